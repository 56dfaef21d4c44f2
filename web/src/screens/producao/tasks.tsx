import type { TaskSection } from "../home/tasks";

export const producaoTasks: TaskSection[] = [];
