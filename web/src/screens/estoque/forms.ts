// What the Estoque forms check before sending, so a person sees every problem beside its field
// at once (the server checks again): drafts as typed, bodies as the API takes them.
import { decimalToJson, parseDecimal, todayIso } from "../../lib/format";
import { parseDateBr } from "./dates";
import type { Material } from "./types";

export interface MaterialDraft extends Record<string, unknown> {
  codigo: string;
  nome: string;
  tipo: string;
  unidade: string;
  prazo: string;
  vidaUtil: string;
}

export const EMPTY_MATERIAL: MaterialDraft = { codigo: "", nome: "", tipo: "", unidade: "", prazo: "", vidaUtil: "" };

// Whole days typed by a person ("365"); the message when it is not one within the bounds.
function days(text: string, min: number): { value?: number; error?: string } {
  const t = text.trim();
  if (t === "") return { error: "Informe o número de dias." };
  if (!/^\d+$/.test(t)) return { error: "Use um número inteiro de dias." };
  const n = Number(t);
  if (n < min || n > 36500) return { error: `Use de ${min} a 36500 dias.` };
  return { value: n };
}

export function validateMaterial(d: MaterialDraft): { body?: Omit<Material, "versao" | "criado_em">; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const codigo = d.codigo.trim();
  if (!codigo) errors.codigo = "Informe o código.";
  else if (!/^[A-Za-z0-9._-]{1,64}$/.test(codigo)) errors.codigo = "Use letras, dígitos, “-”, “_” e “.” (até 64).";
  if (!d.nome.trim()) errors.nome = "Informe o nome.";
  if (d.tipo !== "insumo" && d.tipo !== "produto") errors.tipo = "Escolha insumo ou produto.";
  if (!d.unidade.trim()) errors.unidade = "Informe a unidade (kg, L, un…).";
  const prazo = days(d.prazo, 1);
  const vida = days(d.vidaUtil, 0);
  if (prazo.error) errors.prazo_validade_dias = prazo.error;
  if (vida.error) errors.vida_util_minima_expedicao_dias = vida.error;
  if (prazo.value !== undefined && vida.value !== undefined && vida.value >= prazo.value) {
    errors.vida_util_minima_expedicao_dias = "Deve ser menor que o prazo de validade.";
  }
  if (Object.keys(errors).length) return { errors };
  return {
    errors,
    body: {
      codigo,
      nome: d.nome.trim(),
      tipo: d.tipo as Material["tipo"],
      unidade: d.unidade.trim(),
      prazo_validade_dias: prazo.value!,
      vida_util_minima_expedicao_dias: vida.value!,
    },
  };
}

export interface ReceiptDraft extends Record<string, unknown> {
  material: string;
  quantidade: string;
  validade: string;
  data_fabricacao: string;
  fornecedor: string;
  lote_fornecedor: string;
  nota_fiscal: string;
}

export const EMPTY_RECEIPT: ReceiptDraft = {
  material: "", quantidade: "", validade: "", data_fabricacao: "", fornecedor: "", lote_fornecedor: "", nota_fiscal: "",
};

export interface ReceiptBody {
  material: string;
  quantidade: number;
  validade: string;
  data_fabricacao?: string;
  fornecedor: string;
  lote_fornecedor: string;
  nota_fiscal: string;
}

export function validateReceipt(d: ReceiptDraft, today = todayIso()): { body?: ReceiptBody; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!d.material) errors.material = "Escolha o material.";
  const q = parseDecimal(d.quantidade);
  if (!q.ok) errors.quantidade = q.message;
  else if (!(Number(q.value) > 0)) errors.quantidade = "A quantidade deve ser maior que zero.";
  const validade = parseDateBr(d.validade);
  if (!validade.ok) errors.validade = validade.message;
  else if (validade.value < today) errors.validade = "O lote já está vencido: a validade não pode ser anterior a hoje.";
  const fabricacao = d.data_fabricacao.trim() ? parseDateBr(d.data_fabricacao) : null;
  if (fabricacao && !fabricacao.ok) errors.data_fabricacao = fabricacao.message;
  else if (fabricacao?.ok && fabricacao.value > today) errors.data_fabricacao = "A fabricação não pode ser futura.";
  for (const [campo, nome] of [["fornecedor", "o fornecedor"], ["lote_fornecedor", "o lote do fornecedor"], ["nota_fiscal", "a nota fiscal"]] as const) {
    if (!d[campo].trim()) errors[campo] = `Informe ${nome}.`;
  }
  if (Object.keys(errors).length || !q.ok || !validade.ok) return { errors };
  return {
    errors,
    body: {
      material: d.material,
      quantidade: decimalToJson(q.value),
      validade: validade.value,
      ...(fabricacao?.ok ? { data_fabricacao: fabricacao.value } : {}),
      fornecedor: d.fornecedor.trim(),
      lote_fornecedor: d.lote_fornecedor.trim(),
      nota_fiscal: d.nota_fiscal.trim(),
    },
  };
}

