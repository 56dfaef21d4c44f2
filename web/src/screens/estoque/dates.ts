// A calendar date typed as Brazilians write it ("30/11/2027"; "30112027" from a numeric keypad,
// or "2027-11-30" pasted), read into the API's YYYY-MM-DD. A typed field is used instead of the
// browser's date picker, whose order of day and month follows the browser's language.
export type ParsedDate = { ok: true; value: string } | { ok: false; message: string };

export function parseDateBr(input: string): ParsedDate {
  const text = input.trim();
  if (text === "") return { ok: false, message: "Informe a data (dd/mm/aaaa)." };
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(text);
  let day: number, month: number, year: number;
  if (m) {
    [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text))) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    return { ok: false, message: "Use o formato dd/mm/aaaa." };
  }
  const d = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return { ok: false, message: "Esta data não existe." };
  }
  const pad = (n: number) => String(n).padStart(2, "0");
  return { ok: true, value: `${year}-${pad(month)}-${pad(day)}` };
}
