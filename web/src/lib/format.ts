// How a Brazilian reader expects to see the plant's data: status words, dd/mm/aaaa dates,
// 1.234,5 numbers. Quantities come from the API as exact decimals (at most 3 places) and are
// formatted from their decimal text, never through binary floating point arithmetic.

const STATUS: Record<string, string> = {
  quarentena: "Quarentena",
  liberado: "Liberado",
  reprovado: "Reprovado",
  recolhido: "Recolhido",
  vencido: "Vencido",
  descartado: "Descartado",
  planejada: "Planejada",
  em_execucao: "Em execução",
  bloqueada: "Bloqueada",
  concluida: "Concluída",
  cancelada: "Cancelada",
  aguardando_coleta: "Aguardando coleta",
  coletada: "Coletada",
  em_analise: "Em análise",
  aberto: "Aberto",
  aberta: "Aberta",
  encerrado: "Encerrado",
  encerrada: "Encerrada",
  reservada: "Reservada",
  confirmada: "Confirmada",
  registrada: "Registrada",
  avaliada: "Avaliada",
  aguardando_avaliacao: "Aguardando avaliação",
  reintegrar: "Reintegrar",
  reintegrada: "Reintegrada",
  descartar: "Descartar",
  aprovado: "Aprovado",
  aprovada: "Aprovada",
  menor: "Menor",
  maior: "Maior",
  critico: "Crítico",
  insumo: "Insumo",
  produto: "Produto",
  recebimento: "Recebimento",
  producao: "Produção",
  entrada: "Entrada",
  consumo: "Consumo",
  reserva: "Reserva",
  expedicao: "Expedição",
  devolucao: "Devolução",
  descarte: "Descarte",
  ativo: "Ativo",
  inativo: "Inativo",
  pendente: "Pendente",
};

const SIGNIFICADO: Record<string, string> = {
  aprovacao: "Aprovação",
  reprovacao: "Reprovação",
  revisao: "Revisão",
  execucao: "Execução",
  liberacao: "Liberação",
  recolhimento: "Recolhimento",
};

const ROLE: Record<string, string> = {
  administrador: "Administrador",
  gestor_producao: "Gestor de produção",
  analista_cq: "Analista de CQ",
  estoquista: "Estoquista",
  auditor: "Auditor",
};

function humanize(word: string): string {
  const spaced = word.replace(/_/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function statusLabel(status: string | null | undefined): string {
  if (!status) return "—";
  return STATUS[status] ?? humanize(status);
}

export function significadoLabel(significado: string): string {
  return SIGNIFICADO[significado] ?? humanize(significado);
}

export function roleLabel(role: string): string {
  return ROLE[role] ?? humanize(role);
}

const pad = (n: number) => String(n).padStart(2, "0");

// A calendar date of the API ("2026-11-29") as "29/11/2026"; it is a date, not an instant, so
// no time zone is applied.
export function formatDate(date: string | null | undefined): string {
  if (!date) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  return `${m[3]}/${m[2]}/${m[1]}`;
}

// An instant of the API (RFC 3339, UTC) in the reader's time zone: "29/11/2026 07:15".
export function formatInstant(instant: string | null | undefined, withSeconds = false): string {
  if (!instant) return "—";
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  const date = `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}` + (withSeconds ? `:${pad(d.getSeconds())}` : "");
  return `${date} ${time}`;
}

// A decimal ("1234.5", 1234.5, "-0.125") as "1.234,5"; trailing zeros of the fraction go.
export function formatNumber(value: number | string | null | undefined, unit?: string): string {
  if (value === null || value === undefined || value === "") return "—";
  const text = typeof value === "number" ? numberToDecimalText(value) : value.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  const [, sign, whole = "0", fraction = ""] = m;
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const frac = fraction.replace(/0+$/, "");
  const out = sign + grouped + (frac ? "," + frac : "");
  return unit ? `${out} ${unit}` : out;
}

// A JS number's shortest round-trip text, without exponent for the magnitudes quantities have.
function numberToDecimalText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = String(n);
  if (!/e/i.test(text)) return text;
  return n.toFixed(Math.min(20, Math.max(0, -Math.floor(Math.log10(Math.abs(n))) + 3)));
}

export type Parsed = { ok: true; value: string } | { ok: false; message: string };

// What a person types for a decimal, read as a Brazilian writes it: "7,5" is 7.5 and
// "1.234,5" is 1234.5. Without a comma, a dot followed by groups of exactly three digits
// separates thousands ("1.234" is 1234); any other single dot is taken as the decimal point
// ("7.5" is 7.5), which is what a reader of either convention meant. Answers the canonical
// decimal text ("1234.5") for the API.
export function parseDecimal(input: string, { maxDecimals = 3 } = {}): Parsed {
  const text = input.trim().replace(/\s+/g, "");
  if (text === "") return { ok: false, message: "Informe um número." };
  let sign = "";
  let body = text;
  if (body.startsWith("-")) {
    sign = "-";
    body = body.slice(1);
  }
  let whole: string;
  let fraction = "";
  if (body.includes(",")) {
    const parts = body.split(",");
    if (parts.length !== 2) return { ok: false, message: "Use uma única vírgula para os decimais." };
    [whole = "", fraction = ""] = parts;
    if (whole.includes(".")) {
      if (!/^\d{1,3}(\.\d{3})+$/.test(whole)) return { ok: false, message: "Separador de milhar inválido." };
      whole = whole.replace(/\./g, "");
    }
  } else if (/^\d{1,3}(\.\d{3})+$/.test(body)) {
    whole = body.replace(/\./g, "");
  } else {
    const parts = body.split(".");
    if (parts.length > 2) return { ok: false, message: "Número inválido." };
    [whole = "", fraction = ""] = parts;
  }
  if (whole === "") whole = "0";
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) return { ok: false, message: "Número inválido." };
  fraction = fraction.replace(/0+$/, "");
  if (fraction.length > maxDecimals) {
    return { ok: false, message: `Use no máximo ${maxDecimals} casas decimais.` };
  }
  whole = whole.replace(/^0+(?=\d)/, "");
  const value = sign + whole + (fraction ? "." + fraction : "");
  return { ok: true, value: value === "-0" ? "0" : value };
}

// A decimal text as the JSON number the API takes (exact: at most 3 places, so the shortest
// double prints back the same digits).
export function decimalToJson(value: string): number {
  return Number(value);
}

// Today in the reader's calendar, as the API writes dates.
export function todayIso(now = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function addDaysIso(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

// Days from today until a calendar date (negative when past).
export function daysUntil(date: string, today = todayIso()): number {
  const toUtc = (s: string) => {
    const [y, m, d] = s.split("-").map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((toUtc(date) - toUtc(today)) / 86_400_000);
}
