// Every screen: its path, who may open it (a capability of lib/roles), and where the
// navigation lists it. Each area of the plant keeps its screens in screens/<area>/routes.tsx.
import type { ReactNode } from "react";
import type { Capability } from "./lib/roles";

export interface AppRoute {
  path: string;
  element: ReactNode;
  capability?: Capability; // absent: every signed-in user
  nav?: { label: string; group: NavGroup; order?: number };
}

export type NavGroup = "Estoque" | "Produção" | "Qualidade" | "Auditoria e relatórios" | "Administração";

export const NAV_GROUPS: NavGroup[] = ["Estoque", "Produção", "Qualidade", "Auditoria e relatórios", "Administração"];
