// The records of Produção as the API answers them (docs/apis/producao.openapi.yaml), and the
// few of Estoque and CQ these screens show beside them.

export interface Parametro {
  nome: string;
  unidade?: string | null;
  minimo?: number | null;
  maximo?: number | null;
}

export interface Etapa {
  ordem: number;
  nome: string;
  parametros: Parametro[];
}

export interface Insumo {
  material: string;
  quantidade_por_unidade: number;
}

export interface Receita {
  id: string;
  produto: string;
  versao: number;
  etapas: Etapa[];
  insumos: Insumo[];
  criado_por: string;
  criado_em: string;
}

export type OpStatus = "planejada" | "em_execucao" | "bloqueada" | "concluida" | "cancelada";

export const OP_STATUSES: OpStatus[] = ["planejada", "em_execucao", "bloqueada", "concluida", "cancelada"];

export interface ForaDoLimite {
  parametro: string;
  valor: number;
  minimo?: number | null;
  maximo?: number | null;
}

export interface Registro {
  id: string;
  ordem: number;
  parametros: Record<string, number>;
  fora_dos_limites: ForaDoLimite[];
  sinalizado: boolean;
  motivo: string | null;
  observacao: string | null;
  registrado_por: string;
  registrado_em: string;
}

export interface EtapaOp extends Etapa {
  registro: Registro | null;
}

export interface LoteAlocado {
  lote_id: string;
  lote_codigo: string;
  quantidade: number;
  validade: string;
}

export interface Consumo {
  consumo_id: string;
  op_id: string;
  material: string;
  quantidade: number;
  lotes: LoteAlocado[];
  criado_por: string;
  criado_em: string;
}

export interface LoteProduzido {
  id: string;
  codigo: string;
  op_id: string;
  material: string;
  quantidade: number;
  unidade: string;
  data_fabricacao: string;
  validade: string;
  status: string;
  criado_por: string;
  criado_em: string;
}

export interface OrdemProducao {
  id: string;
  codigo: string;
  produto: string;
  quantidade: number;
  receita_id: string;
  receita_versao: number;
  status: OpStatus;
  status_antes_do_bloqueio: "planejada" | "em_execucao" | null;
  desvios_abertos: number;
  etapas: EtapaOp[];
  consumos: Consumo[];
  lotes: LoteProduzido[];
  revisao: Revisao | null; // the signed review of its batch record (RULES G1), null until then
  motivo_cancelamento: string | null;
  criado_por: string;
  criado_em: string;
  iniciada_em: string | null;
  concluida_em: string | null;
  cancelada_em: string | null;
  versao: number;
}

// One exception of a batch record (RULES G1), as GET /v1/ordens-producao/{id}/excecoes lists it.
export type TipoDeExcecao = "parametro_fora_dos_limites" | "desvio" | "etapa_registrada_apos_o_lote";

export interface Excecao {
  tipo: TipoDeExcecao;
  etapa: number | null; // the step's ordem; null for a desvio
  descricao: string;
  registrado_por: string;
  registrado_em: string;
  motivo: string | null;
  referencia: string; // "registro:<id>" or "desvio:<id>"
}

// The signed review of the batch record by exception.
export interface Revisao {
  revisado_por: string;
  revisado_por_nome: string;
  revisado_em: string;
  excecoes: number;
  observacao: string | null;
  assinatura: { nome: string; significado: string; em: string };
}

export interface Material {
  codigo: string;
  nome: string;
  tipo: "insumo" | "produto";
  unidade: string;
  prazo_validade_dias: number;
}

// A desvio as CQ answers it (the desvio blocking an order).
export type { Desvio } from "../cq/api";
