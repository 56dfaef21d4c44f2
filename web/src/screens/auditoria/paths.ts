// Where each screen of this area lives, for links between them.
export function historyPath(entidade: string, id: string): string {
  return `/auditoria/registro/${encodeURIComponent(entidade)}/${encodeURIComponent(id)}`;
}

export function tracePath(codigo: string): string {
  return `/rastreabilidade/${encodeURIComponent(codigo)}`;
}

export function recallPath(codigo: string): string {
  return `/recolhimento/${encodeURIComponent(codigo)}`;
}

export function batchRecordPath(opId: string): string {
  return `/relatorios/ordens/${encodeURIComponent(opId)}`;
}
