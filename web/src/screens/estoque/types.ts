// What Estoque answers (docs/apis/estoque.openapi.yaml), as the screens read it. Quantities
// are JSON numbers with at most 3 decimals, in the material's unidade.

export type LoteStatus = "quarentena" | "liberado" | "reprovado" | "recolhido";

export interface Material {
  codigo: string;
  nome: string;
  tipo: "insumo" | "produto";
  unidade: string;
  prazo_validade_dias: number;
  vida_util_minima_expedicao_dias: number;
  versao: number;
  criado_em: string;
}

export interface Lote {
  id: string;
  codigo: string;
  material: string;
  unidade: string;
  origem: "recebimento" | "producao";
  status: LoteStatus;
  quantidade: number;
  reservada: number;
  devolvida_em_avaliacao: number;
  disponivel: number;
  validade: string;
  vencido: boolean;
  data_fabricacao: string | null;
  op_id: string | null;
  fornecedor: string | null;
  lote_fornecedor: string | null;
  nota_fiscal: string | null;
  laudo: { laudo_id: string; decisao: "aprovado" | "reprovado" | null; emitido_em: string | null } | null;
  recolhido_motivo: string | null;
  recebido_em: string;
  versao: number;
}

export interface Saldo {
  lote_id: string;
  lote_codigo: string;
  material: string;
  unidade: string;
  quantidade: number;
  reservada: number;
  devolvida_em_avaliacao: number;
  disponivel: number;
  validade: string;
  vencido: boolean;
  status: LoteStatus;
}

export type TipoMovimentacao =
  | "entrada" | "consumo" | "reserva" | "reserva_cancelada" | "expedicao" | "devolucao" | "reintegracao" | "descarte";

export interface Movimentacao {
  id: number;
  lote_id: string;
  lote_codigo: string;
  material: string;
  tipo: TipoMovimentacao;
  quantidade: number;
  reservada: number;
  devolvida: number;
  saldo_apos: number;
  reservada_apos: number;
  devolvida_apos: number;
  documento: { tipo: "recebimento" | "ordem_producao" | "expedicao" | "devolucao"; id: string };
  usuario: { sub: string; username: string };
  request_id: string | null;
  ocorrido_em: string;
}

export interface LoteReservado {
  lote_id: string;
  lote_codigo: string;
  validade: string;
  quantidade: number;
  devolvida: number;
}

export interface ItemExpedicao {
  item: number;
  material: string;
  quantidade: number;
  lote_id: string | null;
  excecao_fefo_motivo: string | null;
  lotes: LoteReservado[];
}

export type ExpedicaoStatus = "reservada" | "confirmada" | "cancelada";

export interface Expedicao {
  id: string;
  codigo: string;
  cliente: { nome: string; documento: string };
  status: ExpedicaoStatus;
  itens: ItemExpedicao[];
  motivo_cancelamento: string | null;
  criado_por: string;
  criado_em: string;
  confirmada_em: string | null;
  cancelada_em: string | null;
  versao: number;
}

export type DevolucaoStatus = "pendente" | "reintegrada" | "descartada";

export interface Devolucao {
  id: string;
  codigo: string;
  expedicao_id: string;
  lote_id: string;
  lote_codigo: string;
  quantidade: number;
  motivo: string;
  status: DevolucaoStatus;
  criado_por: string;
  criado_em: string;
  avaliacao: {
    decisao: "reintegrar" | "descartar";
    motivo: string;
    avaliado_por: string;
    avaliado_em: string;
    assinatura: { nome: string; significado: string; em: string };
  } | null;
  versao: number;
}

// Relatórios: a lot expiring soon.
export interface Vencimento {
  lote_id: string;
  lote_codigo: string;
  material: string;
  material_nome: string | null;
  status: "quarentena" | "liberado";
  validade: string;
  quantidade: number;
  unidade: string;
  dias_restantes: number;
}
