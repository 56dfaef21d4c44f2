// What the lot page reads besides Estoque: the lot as Relatórios knows it (which resolves a code
// to an id) and the lot's quality as CQ holds it.
import type { Assinatura } from "../../ui/signature";

export interface LoteRelatorio {
  id: string;
  codigo: string;
  material: string;
  material_nome: string | null;
  origem: "producao" | "recebimento";
  op_id: string | null;
  op_codigo: string | null;
  status: string;
  quantidade: number;
  unidade: string;
  validade: string;
  data_fabricacao: string | null;
  fornecedor: string | null;
  lote_fornecedor: string | null;
  criado_em: string;
}

export interface Rastreabilidade {
  lote: LoteRelatorio;
}

interface Usuario {
  sub: string;
  username: string;
  nome: string;
}

export interface LaudoCq {
  id: string;
  amostra_id: string;
  decisao: "aprovado" | "reprovado";
  observacao: string | null;
  motivo: string | null;
  emitido_por: Usuario;
  emitido_em: string;
  assinatura: Assinatura;
}

export interface DesvioCq {
  id: string;
  codigo: string;
  op_id: string;
  lote_id: string | null;
  classificacao: string;
  descricao: string;
  status: string;
  aberto_em: string;
  encerrado_em: string | null;
  assinatura: Assinatura | null;
}

export interface QualidadeLote {
  id: string;
  codigo: string;
  status: string;
  desvios_abertos: number;
  amostras: { id: string; codigo: string; status: string; criado_em: string }[];
  laudos: LaudoCq[];
  desvios: DesvioCq[];
  recolhimento: { id: string; motivo: string; criado_por: string; criado_em: string; assinatura: Assinatura } | null;
  devolucoes: { devolucao_id: string; quantidade: number; motivo: string; registrada_em: string }[];
}
