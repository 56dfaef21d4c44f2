// One block of "Minhas tarefas": the work waiting for a role, each item one click from its act.
import type { ComponentType } from "react";
import type { Capability } from "../../lib/roles";

export interface TaskSection {
  id: string;
  capability?: Capability; // who sees it; absent: everyone
  order?: number;
  Component: ComponentType;
}
