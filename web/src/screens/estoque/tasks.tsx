import type { TaskSection } from "../home/tasks";

export const estoqueTasks: TaskSection[] = [];
