// The FEFO preview of a shipment item, before anything is reserved: which released lots the
// server would take, read from the balances it lists in FEFO order (RULES B2, B4). Only a
// preview — the reservation decides, under the server's locks, and may differ if stock moves.
import { fromMilli, minMilli, toMilli } from "./quantity";
import type { Saldo } from "./types";

export interface FefoPart {
  lote_id: string;
  lote_codigo: string;
  validade: string;
  disponivel: string;
  quantidade: string; // taken from this lot
}

export interface FefoPlan {
  parts: FefoPart[];
  available: string; // what all shippable lots hold together
  missing: string | null; // what the shippable lots cannot cover, or null
}

// A lot is shippable when it is liberado, has something available and is valid through
// `minValidade` (today + the material's vida útil mínima para expedição).
export function shippable(s: Saldo, minValidade: string): boolean {
  return s.status === "liberado" && !s.vencido && s.validade >= minValidade && (toMilli(s.disponivel) ?? 0n) > 0n;
}

export function fefoPreview(saldos: Saldo[], quantidade: string, minValidade: string): FefoPlan {
  // The server's order already is FEFO; a stable sort by validade only guards the preview
  // against pages read out of order.
  const lots = saldos.filter((s) => shippable(s, minValidade)).sort((a, b) => (a.validade < b.validade ? -1 : a.validade > b.validade ? 1 : 0));
  let left = toMilli(quantidade) ?? 0n;
  let available = 0n;
  const parts: FefoPart[] = [];
  for (const s of lots) {
    const here = toMilli(s.disponivel) ?? 0n;
    available += here;
    if (left <= 0n) continue;
    const take = minMilli(here, left);
    left -= take;
    parts.push({
      lote_id: s.lote_id,
      lote_codigo: s.lote_codigo,
      validade: s.validade,
      disponivel: fromMilli(here),
      quantidade: fromMilli(take),
    });
  }
  return { parts, available: fromMilli(available), missing: left > 0n ? fromMilli(left) : null };
}

// Whether choosing `loteId` breaks FEFO: another shippable lot expires strictly earlier (the
// server then asks for a motivo).
export function breaksFefo(saldos: Saldo[], loteId: string, minValidade: string): Saldo | null {
  const chosen = saldos.find((s) => s.lote_id === loteId);
  if (!chosen) return null;
  return saldos.find((s) => s.lote_id !== loteId && shippable(s, minValidade) && s.validade < chosen.validade) ?? null;
}
