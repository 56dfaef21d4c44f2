// How close a lot is to its validade, in words and a level the screens mark (with text, never
// colour alone). A lot is usable through its validade day.
import { daysUntil, todayIso } from "../../lib/format";

export type ExpiryLevel = "vencido" | "proximo" | "ok";

export interface Expiry {
  dias: number;
  nivel: ExpiryLevel;
  texto: string;
}

export const EXPIRY_WARNING_DAYS = 30;

const dias = (n: number) => (n === 1 ? "1 dia" : `${n} dias`);

export function expiryInfo(validade: string, today = todayIso()): Expiry {
  const d = daysUntil(validade, today);
  if (d < 0) return { dias: d, nivel: "vencido", texto: `vencido há ${dias(-d)}` };
  if (d === 0) return { dias: 0, nivel: "proximo", texto: "vence hoje" };
  if (d <= EXPIRY_WARNING_DAYS) return { dias: d, nivel: "proximo", texto: `vence em ${dias(d)}` };
  return { dias: d, nivel: "ok", texto: `faltam ${dias(d)}` };
}
