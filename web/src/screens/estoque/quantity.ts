// Quantities as exact decimals: the API's numbers have at most 3 decimal places, so they are
// counted here in thousandths (bigint), never added as binary floating point.

const MILLI = 1000n;

// 12.5, "12.5", "-0.125" → thousandths; null when it is not such a decimal.
export function toMilli(value: number | string): bigint | null {
  const text = typeof value === "number" ? String(value) : value.trim();
  const m = /^(-?)(\d+)(?:\.(\d{1,3}))?$/.exec(text);
  if (!m) return null;
  const [, sign, whole = "0", fraction = ""] = m;
  const milli = BigInt(whole) * MILLI + BigInt(fraction.padEnd(3, "0"));
  return sign ? -milli : milli;
}

// Thousandths → the canonical decimal text ("12.5"), as formatNumber and the API take it.
export function fromMilli(milli: bigint): string {
  const sign = milli < 0n ? "-" : "";
  const abs = milli < 0n ? -milli : milli;
  const whole = abs / MILLI;
  const fraction = String(abs % MILLI).padStart(3, "0").replace(/0+$/, "");
  return sign + String(whole) + (fraction ? "." + fraction : "");
}

export const minMilli = (a: bigint, b: bigint) => (a < b ? a : b);
