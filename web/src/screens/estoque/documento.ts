// A customer's tax document: CPF (11 digits) or CNPJ (14 characters; since July 2026 the first
// 12 may be letters — the alphanumeric CNPJ of the Receita Federal). Typed with or without
// punctuation; kept in the canonical punctuated form, so the list's exact-match filter finds it.

export type Documento =
  | { ok: true; tipo: "CPF" | "CNPJ"; formatado: string; digitoOk: boolean }
  | { ok: false; message: string };

const value = (ch: string) => ch.charCodeAt(0) - 48; // "0".."9" → 0..9, "A".."Z" → 17..42

function checkDigit(chars: string, weights: number[]): number {
  const sum = weights.reduce((acc, w, i) => acc + value(chars[i]!) * w, 0);
  const r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

function cpfOk(d: string): boolean {
  if (/^(\d)\1{10}$/.test(d)) return false;
  const dv1 = checkDigit(d, [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const dv2 = checkDigit(d, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return dv1 === value(d[9]!) && dv2 === value(d[10]!);
}

function cnpjOk(d: string): boolean {
  if (/^(\d)\1{13}$/.test(d)) return false;
  const dv1 = checkDigit(d, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const dv2 = checkDigit(d, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return dv1 === value(d[12]!) && dv2 === value(d[13]!);
}

export function parseDocumento(input: string): Documento {
  const raw = input.toUpperCase().replace(/[\s.\-/]/g, "");
  if (raw === "") return { ok: false, message: "Informe o CPF ou o CNPJ do cliente." };
  if (/^\d{11}$/.test(raw)) {
    return {
      ok: true,
      tipo: "CPF",
      formatado: `${raw.slice(0, 3)}.${raw.slice(3, 6)}.${raw.slice(6, 9)}-${raw.slice(9)}`,
      digitoOk: cpfOk(raw),
    };
  }
  if (/^[0-9A-Z]{12}\d{2}$/.test(raw)) {
    return {
      ok: true,
      tipo: "CNPJ",
      formatado: `${raw.slice(0, 2)}.${raw.slice(2, 5)}.${raw.slice(5, 8)}/${raw.slice(8, 12)}-${raw.slice(12)}`,
      digitoOk: cnpjOk(raw),
    };
  }
  return { ok: false, message: "Use um CPF (11 dígitos) ou um CNPJ (14 caracteres)." };
}
