// What an order allows next, read from the order itself: the step to record, whether it can
// be concluded and, if not, why. The service checks the same again; the screen says it first.
import { parseDecimal } from "../../lib/format";
import { outOfLimits } from "./decimal";
import type { EtapaOp, OrdemProducao, Parametro } from "./types";

export function stepsInOrder(op: Pick<OrdemProducao, "etapas">): EtapaOp[] {
  return [...op.etapas].sort((a, b) => a.ordem - b.ordem);
}

// The first step without a record: the only one that can be recorded now.
export function nextStep(op: Pick<OrdemProducao, "etapas">): EtapaOp | undefined {
  return stepsInOrder(op).find((e) => e.registro === null);
}

export function recordedCount(op: Pick<OrdemProducao, "etapas">): number {
  return op.etapas.filter((e) => e.registro !== null).length;
}

export function isFinal(op: Pick<OrdemProducao, "status">): boolean {
  return op.status === "concluida" || op.status === "cancelada";
}

// Blocked by a desvio: nothing is recorded on it until the desvio closes.
export function isBlocked(op: Pick<OrdemProducao, "status" | "desvios_abertos">): boolean {
  return op.status === "bloqueada" || (!isFinal(op) && op.desvios_abertos > 0);
}

// Why "Concluir" cannot be used yet, in words; empty when it can.
export function conclusionBlockers(op: Pick<OrdemProducao, "status" | "etapas" | "desvios_abertos">): string[] {
  const reasons: string[] = [];
  if (op.desvios_abertos > 0) {
    reasons.push(op.desvios_abertos === 1 ? "Há um desvio aberto nesta ordem." : `Há ${op.desvios_abertos} desvios abertos nesta ordem.`);
  }
  if (op.status !== "em_execucao" && op.status !== "bloqueada") reasons.push("A ordem não está em execução.");
  const missing = stepsInOrder(op).filter((e) => e.registro === null);
  if (missing.length > 0) {
    reasons.push("Falta registrar: " + missing.map((e) => `etapa ${e.ordem} (${e.nome})`).join(", ") + ".");
  }
  return reasons;
}

export type StepValues = Record<string, string>;

export interface StepCheck {
  errors: Record<string, string>; // by the API's field name: "parametros.<nome>", "motivo"
  outOfLimits: string[]; // names of the parameters whose value breaks the limits
  parametros: Record<string, string>; // canonical decimal text by name, for the values that parse
}

// A step form as typed: each value parsed as a pt-BR decimal and checked against the limits;
// a value out of limits asks for the motivo (at least 3 characters, as the service requires).
export function checkStep(parametros: Parametro[], values: StepValues, motivo: string): StepCheck {
  const out: StepCheck = { errors: {}, outOfLimits: [], parametros: {} };
  for (const p of parametros) {
    const typed = values[p.nome] ?? "";
    if (typed.trim() === "") {
      out.errors["parametros." + p.nome] = "Informe o valor.";
      continue;
    }
    const parsed = parseDecimal(typed);
    if (!parsed.ok) {
      out.errors["parametros." + p.nome] = parsed.message;
      continue;
    }
    out.parametros[p.nome] = parsed.value;
    if (outOfLimits(parsed.value, p)) out.outOfLimits.push(p.nome);
  }
  if (out.outOfLimits.length > 0 && motivo.trim().length < 3) {
    out.errors.motivo = "Há valor fora dos limites: informe o motivo (ao menos 3 caracteres).";
  }
  return out;
}
