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
