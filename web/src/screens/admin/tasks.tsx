import type { TaskSection } from "../home/tasks";

export const adminTasks: TaskSection[] = [];
