// Exact arithmetic on the plant's decimals (at most 3 places): a typed value is compared with a
// recipe's limits and an insumo's quantity per unit is multiplied by the order's quantity
// without binary floating point, so 8,0001 is never "within 8" and 0,1 × 3 is 0,3.
import { formatNumber } from "../../lib/format";

interface Scaled {
  units: bigint; // the value × 10^scale
  scale: number;
}

// A decimal text ("-7.5", "8") or an API number (7.5) as its exact digits.
export function decimalText(value: number | string): string {
  if (typeof value === "string") return value.trim();
  if (!Number.isFinite(value)) throw new Error(`not a decimal: ${value}`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // The API's numbers have at most 3 places: rounding to 3 recovers the digits it sent.
  return value.toFixed(3).replace(/\.?0+$/, "");
}

function scaled(value: number | string): Scaled {
  const text = decimalText(value);
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole = "", fraction = ""] = m;
  const units = BigInt((whole || "0") + fraction) * (sign === "-" ? -1n : 1n);
  return { units, scale: fraction.length };
}

function aligned(a: Scaled, b: Scaled): [bigint, bigint] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale)];
}

// -1, 0 or 1 as a is below, equal to or above b.
export function compareDecimal(a: number | string, b: number | string): number {
  const [x, y] = aligned(scaled(a), scaled(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

function textOf(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  const text = (negative ? "-" : "") + whole + (fraction ? "." + fraction : "");
  return text === "-0" ? "0" : text;
}

// The sum of decimals as decimal text ("0.1" + "0.2" = "0.3").
export function sumDecimals(values: (number | string)[]): string {
  let total: Scaled = { units: 0n, scale: 0 };
  for (const v of values) {
    const x = scaled(v);
    const [a, b] = aligned(total, x);
    total = { units: a + b, scale: Math.max(total.scale, x.scale) };
  }
  return textOf(total.units, total.scale);
}

// a × b as decimal text ("2.5" × "3" = "7.5"), trailing zeros dropped.
export function multiplyDecimal(a: number | string, b: number | string): string {
  const x = scaled(a);
  const y = scaled(b);
  return textOf(x.units * y.units, x.scale + y.scale);
}

export interface Limits {
  minimo?: number | null;
  maximo?: number | null;
  unidade?: string | null;
}

const has = (n: number | null | undefined): n is number => n !== null && n !== undefined;

// Whether a value breaks the limits (both inclusive; a missing limit bounds nothing).
export function outOfLimits(value: number | string, limits: Limits): boolean {
  if (has(limits.minimo) && compareDecimal(value, limits.minimo) < 0) return true;
  if (has(limits.maximo) && compareDecimal(value, limits.maximo) > 0) return true;
  return false;
}

// The limits as an operator reads them: "entre 5 e 8 °C", "no mínimo 98 %", "sem limites".
export function limitsText(limits: Limits): string {
  const unit = limits.unidade ? ` ${limits.unidade}` : "";
  const min = has(limits.minimo) ? formatNumber(limits.minimo) : null;
  const max = has(limits.maximo) ? formatNumber(limits.maximo) : null;
  if (min !== null && max !== null) return min === max ? `exatamente ${min}${unit}` : `entre ${min} e ${max}${unit}`;
  if (min !== null) return `no mínimo ${min}${unit}`;
  if (max !== null) return `no máximo ${max}${unit}`;
  return "sem limites";
}
