// Words for the ledger's entries and documents that the shared status labels do not have.
import { statusLabel } from "../../lib/format";
import type { TipoMovimentacao } from "./types";

const MOVIMENTACAO: Record<TipoMovimentacao, string> = {
  entrada: "Entrada",
  consumo: "Consumo",
  reserva: "Reserva",
  reserva_cancelada: "Reserva cancelada",
  expedicao: "Expedição",
  devolucao: "Devolução",
  reintegracao: "Reintegração",
  descarte: "Descarte",
};

export function movimentacaoLabel(tipo: string): string {
  return MOVIMENTACAO[tipo as TipoMovimentacao] ?? statusLabel(tipo);
}

const DECISAO: Record<string, string> = {
  reintegrar: "Reintegrada ao estoque liberado",
  descartar: "Descartada",
};

export function decisaoDevolucaoLabel(decisao: string): string {
  return DECISAO[decisao] ?? statusLabel(decisao);
}
