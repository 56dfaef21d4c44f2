// Who may do what, as API.md says; the services check it again. A screen or an action a role
// cannot use is not offered.
export type Role = "administrador" | "gestor_producao" | "analista_cq" | "estoquista" | "auditor";

export const ROLES: Role[] = ["administrador", "gestor_producao", "analista_cq", "estoquista", "auditor"];

export const can = {
  createMaterial: ["estoquista", "administrador"],
  receive: ["estoquista"],
  ship: ["estoquista"],
  registerReturn: ["estoquista"],
  evaluateReturn: ["analista_cq"],
  readRecipes: ["administrador", "gestor_producao", "analista_cq", "auditor"],
  manageRecipes: ["gestor_producao"],
  runOrders: ["gestor_producao"],
  reviewBatchRecord: ["analista_cq"],
  readSamples: ["administrador", "gestor_producao", "analista_cq", "auditor"],
  analyse: ["analista_cq"],
  specify: ["analista_cq"],
  openDesvio: ["analista_cq", "gestor_producao"],
  closeDesvio: ["analista_cq"],
  recall: ["analista_cq"],
  readAudit: ["administrador", "auditor"],
  manageUsers: ["administrador"],
} satisfies Record<string, Role[]>;

export type Capability = keyof typeof can;

export function allowed(roles: readonly string[] | undefined, capability: Capability): boolean {
  return !!roles && (can[capability] as readonly string[]).some((r) => roles.includes(r));
}
