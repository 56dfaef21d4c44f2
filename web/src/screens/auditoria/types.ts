// The shapes Relatórios answers (docs/apis/relatorios.openapi.yaml), as these screens read them.
import type { Assinatura } from "../../ui/signature";

export type Quantidade = number | string;

export interface Usuario {
  sub: string;
  username: string;
  nome: string;
}

export interface RegistroDeAuditoria {
  id: string;
  servico: string;
  sequencia: number;
  ocorrido_em: string;
  usuario: Usuario;
  acao: string;
  entidade: string;
  entidade_id: string;
  antes: Record<string, unknown> | null;
  depois: Record<string, unknown> | null;
  motivo: string | null;
  assinatura: Assinatura | null;
  request_id: string | null;
  hash_anterior: string;
  hash: string;
}

export interface CopiaConsolidada {
  registros: number;
  integra: boolean;
  primeiro_registro_invalido?: number;
  motivo?: string;
}

export interface Achado {
  tipo: "cauda-ausente" | "cadeia-reescrita" | "copia-divergente" | "divergencia" | "sem-resposta" | string;
  primeiro_registro: number | null;
  descricao: string;
}

export interface VerificacaoServico {
  servico: string;
  registros: number;
  pendentes?: number;
  integra: boolean;
  primeiro_registro_invalido?: number;
  motivo?: string;
  erro?: string;
  sem_resposta?: boolean;
  nao_publicados?: number;
  ultima_sequencia?: number;
  ultimo_hash?: string | null;
  copia_consolidada?: CopiaConsolidada;
  checkpoint?: { sequencia: number; hash: string; em: string; chave_id: string } | null;
  checkpoints_invalidos?: number;
  achados?: Achado[];
}

export interface Verificacao {
  integra: boolean;
  servicos: VerificacaoServico[];
}

export interface Cliente {
  nome: string;
  documento: string;
}

export interface LoteRelatorio {
  id: string;
  codigo: string;
  material: string;
  material_nome: string | null;
  origem: "producao" | "recebimento";
  op_id: string | null;
  op_codigo: string | null;
  status: string;
  quantidade: Quantidade;
  unidade: string;
  validade: string;
  data_fabricacao: string | null;
  fornecedor: string | null;
  lote_fornecedor: string | null;
  criado_em: string;
}

export interface LaudoDoLote {
  laudo_id: string;
  decisao: "aprovado" | "reprovado";
  emitido_por: string;
  emitido_em: string;
  assinatura: Assinatura;
}

export interface DesvioDoLote {
  desvio_id: string;
  op_id: string;
  lote_id: string | null;
  classificacao: string | null;
  descricao: string | null;
  status: string;
  aberto_em: string | null;
  encerrado_em: string | null;
}

export interface LoteAscendente {
  lote_id: string;
  lote_codigo: string;
  material: string;
  quantidade: Quantidade;
  op_id: string;
  op_codigo: string | null;
  nivel: number;
}

export interface LoteDescendente {
  lote_id: string;
  lote_codigo: string;
  material: string;
  status: string;
  op_id: string;
  op_codigo: string | null;
  nivel: number;
}

export interface ExpedicaoDeLote {
  expedicao_id: string;
  confirmada_em: string;
  cliente: Cliente;
  lote_id: string;
  lote_codigo: string;
  material: string;
  quantidade: Quantidade;
}

export interface EventoDoLote {
  ocorrido_em: string;
  tipo: string;
  usuario: string | null;
  resumo: Record<string, unknown>;
}

export interface Rastreabilidade {
  lote: LoteRelatorio;
  direcao: string;
  laudos: LaudoDoLote[];
  desvios: DesvioDoLote[];
  ascendente: LoteAscendente[] | null;
  descendente: { lotes: LoteDescendente[]; expedicoes: ExpedicaoDeLote[]; clientes: Cliente[] } | null;
  linha_do_tempo: EventoDoLote[];
}

export interface LoteAfetado {
  lote_id: string;
  lote_codigo: string;
  material: string;
  status: string;
  nivel: number;
}

export interface Recolhimento {
  lote: LoteRelatorio;
  lotes_afetados: LoteAfetado[];
  expedicoes: ExpedicaoDeLote[];
  clientes: Cliente[];
  totais: { lotes: number; expedicoes: number; clientes: number };
}

export interface ForaDoLimite {
  parametro: string;
  valor: Quantidade;
  minimo?: Quantidade;
  maximo?: Quantidade;
}

export interface RegistroEtapa {
  id: string;
  ordem: number;
  parametros: Record<string, Quantidade>;
  fora_dos_limites: ForaDoLimite[];
  sinalizado: boolean;
  motivo: string | null;
  observacao: string | null;
  registrado_por: string;
  registrado_em: string;
}

export interface EtapaOp {
  ordem: number;
  nome: string;
  parametros: { nome: string; unidade?: string; minimo?: Quantidade; maximo?: Quantidade }[];
  registro: RegistroEtapa | null;
}

export interface ConsumoOp {
  consumo_id: string;
  material: string;
  quantidade: Quantidade;
  lotes: { lote_id: string; lote_codigo: string; quantidade: Quantidade; validade: string }[];
  criado_por: string;
  criado_em: string;
}

export interface LoteDoRegistro {
  id: string;
  codigo: string;
  material: string;
  quantidade: Quantidade;
  unidade: string;
  data_fabricacao: string;
  validade: string;
  status: string;
  criado_por: string;
  criado_em: string;
  laudos: LaudoDoLote[];
  resultado_cq: "aprovado" | "reprovado" | "pendente";
}

export interface OrdemProducao {
  id: string;
  codigo: string;
  produto: string;
  quantidade: Quantidade;
  receita_id: string;
  receita_versao: number;
  status: string;
  desvios_abertos: number;
  etapas: EtapaOp[];
  consumos: ConsumoOp[];
  lotes: LoteDoRegistro[];
  motivo_cancelamento: string | null;
  criado_por: string;
  criado_em: string;
  iniciada_em: string | null;
  concluida_em: string | null;
  cancelada_em: string | null;
}

export interface RegistroDeLote {
  ordem_producao: OrdemProducao;
  historico_status: { status: string; status_anterior: string | null; usuario: string | null; ocorrido_em: string }[];
  desvios: {
    desvio_id: string;
    lote_id: string | null;
    classificacao: string | null;
    descricao: string | null;
    status: string;
    aberto_em: string | null;
    encerrado_em: string | null;
  }[];
  // The signed review of the batch record by exception (RULES G1), or null while it has none.
  revisao: {
    revisado_por: string; // the reviewer's name
    revisado_em: string;
    excecoes: number;
    assinatura: { nome: string; significado: string; em: string };
  } | null;
  gerado_em: string;
}

export interface Vencimento {
  lote_id: string;
  lote_codigo: string;
  material: string;
  material_nome: string | null;
  status: string;
  validade: string;
  quantidade: Quantidade;
  unidade: string;
  dias_restantes: number;
}

export interface Painel {
  lotes_por_status: Record<string, number>;
  ops_por_status: Record<string, number>;
  desvios_abertos: number;
  lotes_vencendo_30_dias: number;
  lotes_vencendo_90_dias: number;
  perdas_30_dias: number;
  perdas_evitaveis: number;
  gerado_em: string;
}
