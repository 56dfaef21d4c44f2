import type { TaskSection } from "../home/tasks";

export const auditoriaTasks: TaskSection[] = [];
