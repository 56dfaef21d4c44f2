// The review of a batch record by exception (RULES G1), read from the order itself: what each
// exception is called, which orders wait for a review, and why this person cannot sign one
// (said before the password is asked; the service checks the same again).
import { ApiError } from "../../api/problem";
import type { OrdemProducao, TipoDeExcecao } from "./types";

const TIPO: Record<TipoDeExcecao, string> = {
  parametro_fora_dos_limites: "Parâmetro fora dos limites",
  desvio: "Desvio",
  etapa_registrada_apos_o_lote: "Etapa registrada após o lote",
};

export function excecaoLabel(tipo: string): string {
  return TIPO[tipo as TipoDeExcecao] ?? tipo.replace(/_/g, " ");
}

// "nenhuma exceção", "1 exceção", "3 exceções".
export function excecoesText(n: number): string {
  if (n === 0) return "nenhuma exceção";
  return n === 1 ? "1 exceção" : `${n} exceções`;
}

type Op = Pick<OrdemProducao, "status" | "revisao" | "etapas">;

// Whether `username` recorded any step of the order: that person may not review its record
// (segregation of duties).
export function recordedAStep(op: Pick<OrdemProducao, "etapas">, username: string | undefined): boolean {
  if (!username) return false;
  return op.etapas.some((e) => e.registro?.registrado_por === username);
}

// Concluded and not reviewed yet: the record waits for its review.
export function awaitsReview(op: Pick<OrdemProducao, "status" | "revisao">): boolean {
  return op.status === "concluida" && (op.revisao === null || op.revisao === undefined);
}

// The orders of a list this analyst may review: concluded, without a review, and none of
// whose steps the analyst recorded.
export function toReview<T extends Op>(ops: T[], username?: string): T[] {
  return ops.filter((op) => awaitsReview(op) && !recordedAStep(op, username));
}

// Why the review cannot be signed now, in words; empty when it can.
export function reviewBlockers(op: Op & Pick<OrdemProducao, "desvios_abertos">, username: string | undefined): string[] {
  if (op.revisao) return ["O registro de lote desta ordem já foi revisado."];
  const reasons: string[] = [];
  if (op.status !== "concluida") reasons.push("A ordem ainda não foi concluída: o registro de lote é revisado depois da conclusão.");
  if (op.desvios_abertos > 0) reasons.push("Há desvio aberto nesta ordem: encerre-o antes da revisão.");
  if (recordedAStep(op, username)) {
    reasons.push("Você registrou etapas desta ordem: outra analista de CQ deve revisar o registro de lote (segregação de funções).");
  }
  return reasons;
}

export const SEGREGACAO = "Segregação de funções: quem registrou etapas da ordem não pode revisar o seu registro de lote";

// The review's refusals said in words (the service's detail kept: it names the order and why).
export function revisaoProblem(e: unknown): unknown {
  if (!(e instanceof ApiError)) return e;
  if (e.status === 403 && e.slug === "sem-permissao") {
    return new ApiError(403, e.slug, SEGREGACAO, e.detail || "Outra analista de CQ, que não registrou etapas desta ordem, deve revisar.");
  }
  if (e.status === 409 && e.slug === "conflito") {
    return new ApiError(409, e.slug, "A revisão não foi aceita", e.detail || "A ordem mudou: recarregue a página e confira.");
  }
  return e;
}
