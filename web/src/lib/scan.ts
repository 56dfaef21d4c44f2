// What a keyboard-wedge scanner types into the search box: a lot label's GS1 element string
// ("17" expiry YYMMDD, "10" lot, in either order, with or without parentheses or the
// symbology prefix) or a bare lot code. Answers the lot code, or null when it is not one.
const GS = "\u001d";

export function lotCodeFromScan(input: string): string | null {
  let text = input.trim().replace(/^\](Q3|d2|C1|e0)/, "");
  if (text === "") return null;
  const bracketed = /\(10\)([^()]+)/.exec(text);
  if (bracketed) return clean(bracketed[1]!);
  text = text.replace(/\(|\)/g, "");
  // Fixed-length AI 17 first: 17YYMMDD then 10<lot>.
  let m = /^17\d{6}10(.+)$/.exec(text);
  if (m) return clean(m[1]!.split(GS)[0]!);
  // AI 10 first, ended by a group separator before 17.
  m = /^10([^\u001d]+)\u001d17\d{6}$/.exec(text);
  if (m) return clean(m[1]!);
  return /^[A-Za-z0-9][A-Za-z0-9\-_.\/]{2,63}$/.test(text) ? text.toUpperCase() : null;
}

function clean(code: string): string | null {
  const c = code.trim();
  return c ? c.toUpperCase() : null;
}

// The GS1 element string a lot label carries: expiry then lot (no separator needed after the
// fixed-length AI 17).
export function gs1ForLot(codigo: string, validade: string): string {
  const [y = "", m = "", d = ""] = validade.split("-");
  return `17${y.slice(2)}${m}${d}10${codigo}`;
}
