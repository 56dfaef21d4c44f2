import type { TaskSection } from "../home/tasks";

export const cqTasks: TaskSection[] = [];
