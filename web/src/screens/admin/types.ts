// A user as Auth answers it (docs/apis/auth.openapi.yaml, Usuario).
export interface Usuario {
  id: string;
  username: string;
  nome: string;
  email: string;
  roles: string[];
  ativo: boolean;
  bloqueado_ate: string | null;
  versao: number;
  criado_em?: string;
  atualizado_em?: string;
}

// Locked now: a lockout that has not run out yet.
export function isLocked(u: Pick<Usuario, "bloqueado_ate">, now = Date.now()): boolean {
  return !!u.bloqueado_ate && new Date(u.bloqueado_ate).getTime() > now;
}

// Created within the last `days` days.
export function isRecent(u: Pick<Usuario, "criado_em">, days = 7, now = Date.now()): boolean {
  return !!u.criado_em && now - new Date(u.criado_em).getTime() <= days * 86_400_000;
}

export const MIN_PASSWORD = 10;

// What is wrong with a new password and its confirmation, field by field, before sending.
export function passwordProblems(senha: string, confirmacao: string): { senha?: string; confirmacao?: string } {
  const out: { senha?: string; confirmacao?: string } = {};
  if ([...senha].length < MIN_PASSWORD) out.senha = `A senha deve ter ao menos ${MIN_PASSWORD} caracteres.`;
  if (confirmacao !== senha) out.confirmacao = "A confirmação não é igual à nova senha.";
  return out;
}

export type Editable = {
  nome: string;
  email: string;
  roles: string[];
};

export const editable = (u: Editable): Editable => ({ nome: u.nome, email: u.email, roles: [...u.roles] });

// A draft of changes to a user: what the person typed, and the version it was typed against.
export type UserDraft = Editable & {
  motivo: string;
  base: Editable;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const FIELDS = ["nome", "email", "roles"] as const;

// The draft carried onto the user as it is now: a field the person did not touch takes the
// current value (another administrator's change is not undone), a touched one keeps what was
// typed.
export function rebaseDraft(draft: UserDraft, current: Editable): UserDraft {
  const next: UserDraft = { ...draft, base: editable(current) };
  for (const f of FIELDS) if (same(draft[f], draft.base[f])) (next as unknown as Record<string, unknown>)[f] = editable(current)[f];
  return next;
}

// Only what the person changed, for the PATCH.
export function changedFields(draft: UserDraft): Partial<Editable> {
  const out: Partial<Editable> = {};
  for (const f of FIELDS) if (!same(draft[f], draft.base[f])) (out as Record<string, unknown>)[f] = draft[f];
  return out;
}
