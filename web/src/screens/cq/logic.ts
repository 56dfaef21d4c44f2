// The rules of the quality screens that need no browser: what a specification's limits read
// as, a sample's next act, who may sign its laudo, and the checks that run on what was typed
// before anything is sent (so a bad "7,5x" is shown next to its field, not by the server).
import { ApiError } from "../../api/problem";
import { decimalToJson, formatNumber, parseDecimal } from "../../lib/format";
import type { Amostra, Ensaio, Resultado, Valor } from "./api";

export function isQualitative(e: Ensaio): boolean {
  return e.esperado !== undefined && e.esperado !== null;
}

// "6 a 8", "≤ 12,5 %", "≥ 98 %", or the expected text of a qualitative ensaio.
export function limitsText(e: Ensaio): string {
  if (isQualitative(e)) return e.esperado!;
  const unit = e.unidade ? " " + e.unidade : "";
  const has = (n: number | undefined | null) => n !== undefined && n !== null;
  if (has(e.minimo) && has(e.maximo)) return `${formatNumber(e.minimo)} a ${formatNumber(e.maximo)}${unit}`;
  if (has(e.minimo)) return `≥ ${formatNumber(e.minimo)}${unit}`;
  if (has(e.maximo)) return `≤ ${formatNumber(e.maximo)}${unit}`;
  return "—";
}

export function valorText(valor: Valor | null | undefined, unidade?: string): string {
  if (valor === null || valor === undefined) return "—";
  return typeof valor === "number" ? formatNumber(valor, unidade) : valor;
}

export type NextAct = "coletar" | "resultados" | "laudo" | null;

export const NEXT_ACT_LABEL: Record<Exclude<NextAct, null>, string> = {
  coletar: "Coletar",
  resultados: "Registrar resultados",
  laudo: "Emitir laudo",
};

// Every ensaio of the bound specification has a current result.
export function resultsComplete(a: Amostra): boolean {
  const ensaios = a.especificacao?.ensaios ?? [];
  if (ensaios.length === 0) return false;
  const done = new Set(a.resultados.map((r) => r.ensaio));
  return ensaios.every((e) => done.has(e.codigo));
}

export function nextAct(a: Amostra): NextAct {
  switch (a.status) {
    case "aguardando_coleta":
      return "coletar";
    case "coletada":
      return "resultados";
    case "em_analise":
      return resultsComplete(a) ? "laudo" : "resultados";
    default:
      return null;
  }
}

// Four eyes (RULES S2): whoever entered any result of the sample, corrections included, may
// not sign its laudo.
export function enteredResults(a: Amostra, sub: string | undefined): boolean {
  if (!sub) return false;
  return a.historico_resultados.some((r) => r.registrado_por.sub === sub);
}

export const FOUR_EYES = "Quatro olhos: quem registrou os resultados não pode assinar o laudo";

export const REGISTRO_NAO_REVISADO = "Registro de lote não revisado";

// The laudo's refusals said in words: the signer entered results of this sample (403); the
// lot's batch record has not been reviewed yet (RULES G1).
export function laudoProblem(e: unknown): unknown {
  if (e instanceof ApiError && e.status === 403 && e.slug === "sem-permissao") {
    return new ApiError(403, e.slug, FOUR_EYES, "Outra analista de CQ, que não registrou resultados desta amostra, deve assinar o laudo.");
  }
  if (isRegistroNaoRevisado(e)) {
    return new ApiError(
      409,
      "registro-de-lote-nao-revisado",
      REGISTRO_NAO_REVISADO,
      "Este lote foi produzido por uma ordem de produção cujo registro de lote ainda não foi revisado. " +
        "Primeiro uma analista de CQ que não registrou etapas da ordem revisa e assina o registro de lote; depois o lote pode ser aprovado.",
    );
  }
  return e;
}

export function isRegistroNaoRevisado(e: unknown): boolean {
  return e instanceof ApiError && e.slug === "registro-de-lote-nao-revisado";
}

// ---- results entry -------------------------------------------------------------------------

export const OTHER = "__outro";
export const NOT_CONFORMING = "Não conforme";

// What was typed in one row: the text of a numeric value, or the picked option of a
// qualitative one (with the observed text when "Outro" was picked).
export interface RowInput {
  valor: string;
  outro?: string;
}

export interface ResultPost {
  ensaio: string;
  valor: Valor;
  motivo?: string;
}

export interface ResultsCheck {
  posts: ResultPost[];
  errors: Record<string, string>; // by ensaio codigo, and "motivo"
  corrections: string[]; // ensaios whose current result would be replaced
}

function sameValue(a: Valor, b: Valor): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  return typeof a === "string" && typeof b === "string" && a.trim() === b.trim();
}

export function checkResults(ensaios: Ensaio[], inputs: Record<string, RowInput | undefined>,
                             current: Resultado[], motivo: string): ResultsCheck {
  const posts: ResultPost[] = [];
  const errors: Record<string, string> = {};
  const corrections: string[] = [];
  for (const e of ensaios) {
    const input = inputs[e.codigo];
    const typed = input?.valor.trim() ?? "";
    if (typed === "") continue;
    let valor: Valor;
    if (isQualitative(e)) {
      if (typed === OTHER) {
        const outro = input?.outro?.trim() ?? "";
        if (outro === "") {
          errors[e.codigo] = "Descreva o valor observado.";
          continue;
        }
        valor = outro;
      } else {
        valor = typed;
      }
    } else {
      const parsed = parseDecimal(typed);
      if (!parsed.ok) {
        errors[e.codigo] = parsed.message;
        continue;
      }
      valor = decimalToJson(parsed.value);
    }
    const previous = current.find((r) => r.ensaio === e.codigo);
    if (previous && sameValue(previous.valor, valor)) continue;
    if (previous) corrections.push(e.codigo);
    posts.push({ ensaio: e.codigo, valor });
  }
  if (corrections.length > 0) {
    if (motivo.trim().length < 3) {
      errors.motivo = "Informe o motivo da correção (ao menos 3 caracteres).";
    } else {
      for (const p of posts) if (corrections.includes(p.ensaio)) p.motivo = motivo.trim();
    }
  }
  return { posts, errors, corrections };
}

// ---- specification editor ------------------------------------------------------------------

export interface EnsaioDraft {
  codigo: string;
  nome: string;
  tipo: "numerico" | "qualitativo";
  unidade: string;
  minimo: string;
  maximo: string;
  esperado: string;
}

export function emptyEnsaio(): EnsaioDraft {
  return { codigo: "", nome: "", tipo: "numerico", unidade: "", minimo: "", maximo: "", esperado: "" };
}

const decimalText = (n: number | undefined | null) => (n === undefined || n === null ? "" : formatNumber(n));

export function draftOf(e: Ensaio): EnsaioDraft {
  return {
    codigo: e.codigo,
    nome: e.nome,
    tipo: isQualitative(e) ? "qualitativo" : "numerico",
    unidade: e.unidade ?? "",
    minimo: decimalText(e.minimo).replace(/\./g, ""),
    maximo: decimalText(e.maximo).replace(/\./g, ""),
    esperado: e.esperado ?? "",
  };
}

// The ensaios to send, or the messages by field as the server names them
// ("ensaios[0].minimo").
export function checkSpecification(rows: EnsaioDraft[]): { ensaios: Ensaio[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const ensaios: Ensaio[] = [];
  const seen = new Map<string, number>();
  if (rows.length === 0) errors.ensaios = "Inclua ao menos um ensaio.";
  rows.forEach((r, i) => {
    const f = (campo: string) => `ensaios[${i}].${campo}`;
    const codigo = r.codigo.trim();
    const nome = r.nome.trim();
    if (!codigo) errors[f("codigo")] = "Informe o código.";
    else if (seen.has(codigo.toUpperCase())) errors[f("codigo")] = `Código repetido (linha ${seen.get(codigo.toUpperCase())! + 1}).`;
    else seen.set(codigo.toUpperCase(), i);
    if (!nome) errors[f("nome")] = "Informe o nome.";
    const e: Ensaio = { codigo, nome };
    if (r.tipo === "qualitativo") {
      const esperado = r.esperado.trim();
      if (!esperado) errors[f("esperado")] = "Informe o resultado esperado.";
      e.esperado = esperado;
    } else {
      if (r.unidade.trim()) e.unidade = r.unidade.trim();
      const limit = (campo: "minimo" | "maximo") => {
        const text = r[campo].trim();
        if (!text) return undefined;
        const parsed = parseDecimal(text);
        if (!parsed.ok) {
          errors[f(campo)] = parsed.message;
          return undefined;
        }
        return decimalToJson(parsed.value);
      };
      const minimo = limit("minimo");
      const maximo = limit("maximo");
      if (!r.minimo.trim() && !r.maximo.trim()) errors[f("minimo")] = "Informe o mínimo, o máximo ou ambos.";
      if (minimo !== undefined && maximo !== undefined && minimo > maximo) {
        errors[f("maximo")] = "O máximo não pode ser menor que o mínimo.";
      }
      if (minimo !== undefined) e.minimo = minimo;
      if (maximo !== undefined) e.maximo = maximo;
    }
    ensaios.push(e);
  });
  return { ensaios, errors };
}

// ---- motivo ----------------------------------------------------------------------------------

export function motivoError(text: string, required = true): string | undefined {
  const t = text.trim();
  if (!required && t === "") return undefined;
  return t.length < 3 ? "Informe o motivo (ao menos 3 caracteres)." : undefined;
}
