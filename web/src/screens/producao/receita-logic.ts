// The recipe form as typed (pt-BR decimals, rows added and removed) and the body the API takes,
// with each problem named by the field the service would name (`etapas[0].parametros[1].minimo`)
// so the same place on the screen shows it, whoever found it.
import { decimalToJson, formatNumber, parseDecimal } from "../../lib/format";
import { compareDecimal } from "./decimal";
import type { Receita } from "./types";

export interface ParametroDraft {
  nome: string;
  unidade: string;
  minimo: string;
  maximo: string;
}

export interface EtapaDraft {
  nome: string;
  parametros: ParametroDraft[];
}

export interface InsumoDraft {
  material: string;
  quantidade: string;
}

export interface ReceitaDraft extends Record<string, unknown> {
  produto: string;
  versao: string;
  etapas: EtapaDraft[];
  insumos: InsumoDraft[];
  de: string; // the recipe this draft started from ("" for a new one)
}

export const emptyParametro = (): ParametroDraft => ({ nome: "", unidade: "", minimo: "", maximo: "" });
export const emptyEtapa = (): EtapaDraft => ({ nome: "", parametros: [] });
export const emptyInsumo = (): InsumoDraft => ({ material: "", quantidade: "" });

export function emptyReceita(): ReceitaDraft {
  return { produto: "", versao: "1", etapas: [emptyEtapa()], insumos: [emptyInsumo()], de: "" };
}

const decimalDraft = (n: number | null | undefined) => (n === null || n === undefined ? "" : formatNumber(n));

// The next version of an existing recipe, to be changed before it is saved.
export function draftFrom(r: Receita, versao: number): ReceitaDraft {
  return {
    produto: r.produto,
    versao: String(versao),
    etapas: [...r.etapas]
      .sort((a, b) => a.ordem - b.ordem)
      .map((e) => ({
        nome: e.nome,
        parametros: e.parametros.map((p) => ({
          nome: p.nome,
          unidade: p.unidade ?? "",
          minimo: decimalDraft(p.minimo),
          maximo: decimalDraft(p.maximo),
        })),
      })),
    insumos: r.insumos.map((i) => ({ material: i.material, quantidade: formatNumber(i.quantidade_por_unidade) })),
    de: r.id,
  };
}

export interface ReceitaBody {
  produto: string;
  versao: number;
  etapas: {
    ordem: number;
    nome: string;
    parametros: { nome: string; unidade?: string; minimo?: number; maximo?: number }[];
  }[];
  insumos: { material: string; quantidade_por_unidade: number }[];
}

export function buildReceita(d: ReceitaDraft): { body?: ReceitaBody; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!d.produto) errors.produto = "Escolha o produto.";
  const versao = Number(d.versao.trim());
  if (!/^\d+$/.test(d.versao.trim()) || versao < 1 || versao > 100000) {
    errors.versao = "A versão é um número inteiro de 1 a 100000.";
  }
  if (d.etapas.length === 0) errors.etapas = "Uma receita precisa de ao menos uma etapa.";
  const etapas = d.etapas.map((e, i) => {
    const path = `etapas[${i}]`;
    if (!e.nome.trim()) errors[path + ".nome"] = "Informe o nome da etapa.";
    const seen = new Set<string>();
    const parametros = e.parametros.map((p, j) => {
      const ppath = `${path}.parametros[${j}]`;
      const nome = p.nome.trim();
      if (!nome) errors[ppath + ".nome"] = "Informe o nome do parâmetro.";
      else if (seen.has(nome)) errors[ppath + ".nome"] = "Já há um parâmetro com este nome nesta etapa.";
      seen.add(nome);
      const out: ReceitaBody["etapas"][number]["parametros"][number] = { nome };
      if (p.unidade.trim()) out.unidade = p.unidade.trim();
      const limit = (field: "minimo" | "maximo") => {
        if (!p[field].trim()) return undefined;
        const parsed = parseDecimal(p[field]);
        if (!parsed.ok) {
          errors[`${ppath}.${field}`] = parsed.message;
          return undefined;
        }
        return parsed.value;
      };
      const min = limit("minimo");
      const max = limit("maximo");
      if (min !== undefined && max !== undefined && compareDecimal(min, max) > 0) {
        errors[ppath + ".minimo"] = "O mínimo não pode ser maior que o máximo.";
      }
      if (min !== undefined) out.minimo = decimalToJson(min);
      if (max !== undefined) out.maximo = decimalToJson(max);
      return out;
    });
    return { ordem: i + 1, nome: e.nome.trim(), parametros };
  });
  if (d.insumos.length === 0) errors.insumos = "Uma receita precisa de ao menos um insumo.";
  const usados = new Set<string>();
  const insumos = d.insumos.map((ins, i) => {
    const path = `insumos[${i}]`;
    if (!ins.material) errors[path + ".material"] = "Escolha o insumo.";
    else if (usados.has(ins.material)) errors[path + ".material"] = "Este insumo já está na receita.";
    usados.add(ins.material);
    let quantidade = 0;
    if (!ins.quantidade.trim()) {
      errors[path + ".quantidade_por_unidade"] = "Informe a quantidade por unidade.";
    } else {
      const parsed = parseDecimal(ins.quantidade);
      if (!parsed.ok) errors[path + ".quantidade_por_unidade"] = parsed.message;
      else if (compareDecimal(parsed.value, "0") <= 0) errors[path + ".quantidade_por_unidade"] = "A quantidade deve ser maior que zero.";
      else quantidade = decimalToJson(parsed.value);
    }
    return { material: ins.material, quantidade_por_unidade: quantidade };
  });
  if (Object.keys(errors).length > 0) return { errors };
  return { body: { produto: d.produto, versao, etapas, insumos }, errors };
}

// Problems worth showing while typing: a number that does not parse, limits the wrong way
// round. Missing values wait for the submit.
export function liveErrors(d: ReceitaDraft): Record<string, string> {
  const all = buildReceita(d).errors;
  const live: Record<string, string> = {};
  for (const [campo, mensagem] of Object.entries(all)) {
    if (/\.(minimo|maximo|quantidade_por_unidade)$/.test(campo) && !/^Informe/.test(mensagem)) live[campo] = mensagem;
    if (/\.nome$/.test(campo) && /^Já há/.test(mensagem)) live[campo] = mensagem;
  }
  return live;
}
