// Why a lot cannot be used, in the words a person on the floor needs: what blocks it entirely
// (quarantine, rejection, recall, expiry), what blocks only shipping (too little shelf life
// left), and what holds part of it (reservations, a return awaiting QC).
import { addDaysIso, formatDate, formatNumber, todayIso } from "../../lib/format";
import type { Lote, Material } from "../estoque/types";

export interface LotState {
  bloqueios: string[]; // the lot cannot be consumed nor shipped
  expedicao: string[]; // it may be consumed but not shipped
  avisos: string[]; // part of it is held
  usavel: boolean;
}

export function lotState(lot: Lote, material: Material | undefined, today = todayIso()): LotState {
  const bloqueios: string[] = [];
  const expedicao: string[] = [];
  const avisos: string[] = [];
  const q = (n: number) => formatNumber(n, lot.unidade);
  switch (lot.status) {
    case "quarentena":
      bloqueios.push("Em quarentena — aguardando laudo do CQ.");
      break;
    case "reprovado":
      bloqueios.push("Reprovado pelo CQ: nunca volta a ficar disponível.");
      break;
    case "recolhido":
      bloqueios.push("Recolhido" + (lot.recolhido_motivo ? `: ${lot.recolhido_motivo}` : "") + " — bloqueado para qualquer movimentação.");
      break;
    case "liberado":
      break;
  }
  if (lot.vencido || lot.validade < today) {
    bloqueios.push(`Vencido: a validade terminou em ${formatDate(lot.validade)}.`);
  } else if (material && lot.status === "liberado") {
    const minimo = material.vida_util_minima_expedicao_dias;
    if (lot.validade < addDaysIso(today, minimo)) {
      expedicao.push(
        `Vida útil mínima para expedição insuficiente: a expedição exige ${minimo} dias de validade restante ` +
          `(até pelo menos ${formatDate(addDaysIso(today, minimo))}).`,
      );
    }
  }
  if (lot.quantidade <= 0) bloqueios.push("Sem saldo em estoque.");
  if (lot.reservada > 0) avisos.push(`${q(lot.reservada)} reservados para expedições ainda não confirmadas.`);
  if (lot.devolvida_em_avaliacao > 0) {
    avisos.push(`${q(lot.devolvida_em_avaliacao)} devolvidos por cliente, em quarentena até a avaliação do CQ.`);
  }
  return { bloqueios, expedicao, avisos, usavel: bloqueios.length === 0 };
}
