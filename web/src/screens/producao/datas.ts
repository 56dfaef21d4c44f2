// A calendar date typed as a Brazilian writes it ("29/11/2026"), whatever the browser's own
// language would make a native date picker show, read into the API's "2026-11-29".
export type ParsedDate = { ok: true; value: string } | { ok: false; message: string };

const pad = (n: number) => String(n).padStart(2, "0");

export function parseDateBr(input: string): ParsedDate {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(input.trim());
  if (!m) return { ok: false, message: "Use o formato dd/mm/aaaa." };
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
    return { ok: false, message: "Esta data não existe." };
  }
  return { ok: true, value: `${y}-${pad(mo)}-${pad(d)}` };
}

// "2026-11-29" as "29/11/2026", for a field's first value.
export function isoToBr(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}
