// What Qualidade reads and writes, as docs/apis/cq.openapi.yaml (and Estoque's returns,
// Produção's orders, Relatórios' lot lookup) answer it.
import { ApiError, get, type Page } from "../../api/client";
import type { Assinatura } from "../../ui/signature";

export type Valor = number | string;

export interface Ensaio {
  codigo: string;
  nome: string;
  unidade?: string;
  minimo?: number;
  maximo?: number;
  esperado?: string;
}

export interface Especificacao {
  material: string;
  versao: number;
  ensaios: Ensaio[];
  criado_por: string;
  criado_em: string;
}

export interface Usuario {
  sub: string;
  username: string;
  nome: string;
}

export interface LoteCq {
  id: string;
  codigo: string;
  material: string;
  quantidade: number;
  unidade: string;
  validade: string;
  data_fabricacao: string | null;
  origem: "recebimento" | "producao";
  op_id: string | null;
  fornecedor: string | null;
  lote_fornecedor: string | null;
  status: string;
  recebido_em: string;
}

export interface Resultado {
  id: string;
  ensaio: string;
  valor: Valor;
  conforme: boolean;
  motivo: string | null;
  registrado_por: Usuario;
  registrado_em: string;
}

export interface ResultadoRegistrado extends Resultado {
  amostra_id: string;
  especificacao_versao: number;
  especificacao: Ensaio;
  fora_de_especificacao: boolean;
}

export interface Coleta {
  quantidade: number;
  observacao: string | null;
  coletada_por: string;
  coletada_em: string;
}

export interface Laudo {
  id: string;
  amostra_id: string;
  lote_id: string;
  decisao: "aprovado" | "reprovado";
  observacao: string | null;
  motivo: string | null;
  emitido_por: Usuario;
  emitido_em: string;
  assinatura: Assinatura;
}

export type AmostraStatus = "aguardando_coleta" | "coletada" | "em_analise" | "concluida";

export interface Amostra {
  id: string;
  codigo: string;
  lote_id: string;
  lote: LoteCq | null;
  status: AmostraStatus;
  especificacao_versao: number | null;
  especificacao: Especificacao | null;
  coleta: Coleta | null;
  resultados: Resultado[];
  historico_resultados: Resultado[];
  laudo: Laudo | null;
  criado_em: string;
  versao: number;
}

export interface Desvio {
  id: string;
  codigo: string;
  op_id: string;
  lote_id: string | null;
  classificacao: "menor" | "maior" | "critico";
  descricao: string;
  status: "aberto" | "encerrado";
  aberto_por: string;
  aberto_em: string;
  conclusao: string | null;
  acao_corretiva: string | null;
  encerrado_por: string | null;
  encerrado_em: string | null;
  assinatura: Assinatura | null;
  versao: number;
}

export interface Recolhimento {
  id: string;
  lote_id: string;
  lote_codigo: string;
  motivo: string;
  criado_por: string;
  criado_em: string;
  assinatura: Assinatura;
}

export interface Devolucao {
  id: string;
  codigo: string;
  expedicao_id: string;
  lote_id: string;
  lote_codigo: string;
  quantidade: number;
  motivo: string;
  status: "pendente" | "reintegrada" | "descartada";
  criado_por: string;
  criado_em: string;
  avaliacao: {
    decisao: "reintegrar" | "descartar";
    motivo: string;
    avaliado_por: string;
    avaliado_em: string;
    assinatura: Assinatura;
  } | null;
  versao: number;
}

export interface Material {
  codigo: string;
  nome: string;
  tipo: "insumo" | "produto";
  unidade: string;
}

export interface LoteEstoque {
  id: string;
  codigo: string;
  material: string;
  unidade: string;
  status: string;
  quantidade: number;
  devolvida_em_avaliacao: number;
  validade: string;
}

export interface OrdemProducao {
  id: string;
  codigo: string;
  produto: string;
  status: string;
  lotes: { id: string; codigo: string; material: string; status: string }[];
}

// A lot as Relatórios knows it: the only lookup of a lot by its code. It follows the events
// by a moment, so a lot created just now may not be found yet.
export interface LoteRelatorio {
  id: string;
  codigo: string;
  material: string;
  material_nome: string | null;
  origem: "producao" | "recebimento";
  op_codigo: string | null;
  status: string;
  quantidade: number;
  unidade: string;
  validade: string;
}

export async function findLotByCode(codigo: string): Promise<LoteRelatorio | null> {
  try {
    const answer = await get<{ lote: LoteRelatorio }>(
      `/v1/relatorios/rastreabilidade/${encodeURIComponent(codigo)}`,
      { direcao: "ascendente" },
    );
    return answer.lote;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

// Every page of a list, up to `max` items (for pickers: materials, production orders).
export async function getAll<T>(path: string, query: Record<string, string> = {}, max = 1000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await get<Page<T>>(path, { ...query, limit: 500, cursor: cursor ?? undefined });
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}
