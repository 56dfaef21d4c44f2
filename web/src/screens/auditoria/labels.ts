// Words for what the audit trail and the reports hold, as an inspector reads them, and the
// small pure conversions these screens need (a period of dates as instants, a record's
// changed fields). Kept here, beside the screens that use them.
import { formatDate, formatInstant, formatNumber, roleLabel, statusLabel } from "../../lib/format";

export const SERVICOS = ["auth", "producao", "cq", "estoque", "relatorios", "gateway"] as const;

const SERVICO: Record<string, string> = {
  auth: "Autenticação",
  producao: "Produção",
  cq: "Controle de qualidade",
  estoque: "Estoque",
  relatorios: "Relatórios",
  gateway: "Gateway",
};

export function servicoLabel(servico: string): string {
  return SERVICO[servico] ?? servico;
}

const ENTIDADE: Record<string, string> = {
  usuario: "Usuário",
  lote: "Lote",
  material: "Material",
  ordem_producao: "Ordem de produção",
  expedicao: "Expedição",
  amostra: "Amostra",
  devolucao: "Devolução",
  desvio: "Desvio",
  assinatura: "Assinatura",
  receita: "Receita",
  laudo: "Laudo",
  especificacao: "Especificação",
  consumo: "Consumo",
  cliente: "Cliente",
  recolhimento: "Recolhimento",
  resultado: "Resultado",
};

export const ENTIDADES = Object.keys(ENTIDADE);

export function entidadeLabel(entidade: string): string {
  return ENTIDADE[entidade] ?? humanize(entidade);
}

const ACAO: Record<string, string> = {
  "usuario.criado": "Usuário criado",
  "usuario.alterado": "Usuário alterado",
  "usuario.papeis_alterados": "Papéis alterados",
  "usuario.desativado": "Usuário desativado",
  "usuario.reativado": "Usuário reativado",
  "usuario.senha_alterada": "Senha alterada",
  "usuario.senha_atual.falha": "Senha atual incorreta",
  "usuario.bloqueado": "Conta bloqueada",
  "login.sucesso": "Entrada",
  "login.falha": "Falha de entrada",
  "cliente.falha": "Falha de cliente de serviço",
  "refresh_token.revogado": "Sessão encerrada",
  "refresh_token.reutilizado": "Reuso de sessão rotacionada",
  "assinatura.emitida": "Assinatura emitida",
  "assinatura.recusada": "Assinatura recusada",
  "material.cadastrado": "Material cadastrado",
  "lote.recebido": "Lote recebido",
  "lote.criado": "Lote criado",
  "lote.recolhido": "Lote recolhido",
  "lote.laudo_aplicado": "Laudo aplicado ao lote",
  "lote.laudo_recusado": "Laudo recusado pelo lote",
  "lote.entrada_producao": "Entrada de produção",
  "receita.criada": "Receita criada",
  "ordem_producao.criada": "OP criada",
  "ordem_producao.status_alterado": "Status da OP alterado",
  "etapa.registrada": "Etapa registrada",
  "insumos.consumidos": "Insumos consumidos",
  "estoque.consumido": "Estoque consumido",
  "especificacao.versionada": "Especificação versionada",
  "amostra.criada": "Amostra criada",
  "amostra.coletada": "Amostra coletada",
  "resultado.registrado": "Resultado registrado",
  "resultado.corrigido": "Resultado corrigido",
  "laudo.emitido": "Laudo emitido",
  "desvio.aberto": "Desvio aberto",
  "desvio.encerrado": "Desvio encerrado",
  "expedicao.reservada": "Expedição reservada",
  "expedicao.confirmada": "Expedição confirmada",
  "expedicao.cancelada": "Expedição cancelada",
  "expedicao.excecao_fefo": "Exceção à FEFO",
  "devolucao.registrada": "Devolução registrada",
  "devolucao.avaliada": "Devolução avaliada",
};

export function acaoLabel(acao: string): string {
  return ACAO[acao] ?? humanize(acao.replace(/\./g, " "));
}

const EVENTO: Record<string, string> = {
  "lote.criado": "Lote criado",
  "insumos.consumidos": "Consumido em OP",
  "laudo.emitido": "Laudo emitido",
  "desvio.aberto": "Desvio aberto",
  "desvio.encerrado": "Desvio encerrado",
  "lote.recolhido": "Lote recolhido",
  "expedicao.confirmada": "Expedição confirmada",
  "devolucao.registrada": "Devolução registrada",
};

export function eventoLabel(tipo: string): string {
  return EVENTO[tipo] ?? humanize(tipo.replace(/\./g, " "));
}

const ACHADO: Record<string, string> = {
  "cauda-ausente": "Registros cortados do fim da cadeia",
  "cadeia-reescrita": "Cadeia reescrita",
  "copia-divergente": "Cópia consolidada divergente",
  divergencia: "Cadeia e cópia divergem",
  "sem-resposta": "Serviço não respondeu no prazo",
};

export function achadoLabel(tipo: string): string {
  return ACHADO[tipo] ?? humanize(tipo.replace(/-/g, " "));
}

const CAUSA: Record<string, string> = {
  vencido: "Vencido",
  reprovado: "Reprovado",
  descartado: "Descartado",
  recolhido: "Recolhido",
};

export function causaLabel(causa: string): string {
  return CAUSA[causa] ?? statusLabel(causa);
}

function humanize(word: string): string {
  const spaced = word.replace(/_/g, " ").trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

// A period chosen as calendar dates in the reader's time zone, as the instants the API takes:
// `de` from the first instant of its day, `ate` up to the first instant of the next day
// (exclusive), so "até 30/11" includes all of 30/11 wherever the reader is.
export function periodToInstants(de: string, ate: string): { de?: string; ate?: string } {
  const start = (date: string, plusDays: number) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!m) return undefined;
    return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).toISOString();
  };
  return { de: de ? start(de, 0) : undefined, ate: ate ? start(ate, 1) : undefined };
}

// Why a period cannot be asked for, if it cannot.
export function periodProblem(de: string, ate: string): string | undefined {
  if (de && ate && de > ate) return "A data final deve ser igual ou posterior à inicial.";
  return undefined;
}

export interface FieldChange {
  campo: string;
  antes: unknown;
  depois: unknown;
  mudou: boolean;
}

// A record's fields, old and new: every field either side names, in the order the record
// gives them (new ones after), with whether the value changed.
export function fieldChanges(antes: Record<string, unknown> | null, depois: Record<string, unknown> | null): FieldChange[] {
  const a = antes ?? {};
  const d = depois ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(d)])];
  return keys.map((campo) => ({
    campo,
    antes: a[campo],
    depois: d[campo],
    mudou: JSON.stringify(a[campo]) !== JSON.stringify(d[campo]),
  }));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

// One value of an audit record as text: dates and numbers as a Brazilian reads them, yes/no,
// lists joined, anything else as its JSON.
export function formatAuditValue(value: unknown): string {
  if (value === undefined || value === null || value === "") return "—";
  if (typeof value === "boolean") return value ? "Sim" : "Não";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") {
    if (ISO_DATE.test(value)) return formatDate(value);
    if (ISO_INSTANT.test(value)) return formatInstant(value, true);
    return value;
  }
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    return value.length ? value.map(formatAuditValue).join(", ") : "(nenhum)";
  }
  return JSON.stringify(value);
}

const CAMPO: Record<string, string> = {
  roles: "Papéis",
  nome: "Nome",
  email: "E-mail",
  ativo: "Ativo",
  username: "Usuário",
  bloqueado_ate: "Bloqueado até",
  criado_em: "Criado em",
  atualizado_em: "Alterado em",
  codigo: "Código",
  tipo: "Tipo",
  unidade: "Unidade",
  prazo_validade_dias: "Prazo de validade (dias)",
  vida_util_minima_expedicao_dias: "Vida útil mínima para expedição (dias)",
  quantidade: "Quantidade",
  validade: "Validade",
  data_fabricacao: "Data de fabricação",
  fornecedor: "Fornecedor",
  lote_fornecedor: "Lote do fornecedor",
  nota_fiscal: "Nota fiscal",
  material: "Material",
  status: "Status",
  decisao: "Decisão",
  observacao: "Observação",
  motivo_recusa: "Motivo da recusa",
  classificacao: "Classificação",
  descricao: "Descrição",
  conclusao: "Conclusão",
  acao_corretiva: "Ação corretiva",
};

export function fieldLabel(campo: string): string {
  return CAMPO[campo] ?? humanize(campo);
}

// A field's value read with the words of its field: roles and statuses by their names.
export function formatFieldValue(campo: string, value: unknown): string {
  if (campo === "roles" && Array.isArray(value)) return value.length ? value.map((r) => roleLabel(String(r))).join(", ") : "(nenhum)";
  if ((campo === "status" || campo === "decisao" || campo === "tipo" || campo === "classificacao") && typeof value === "string") return statusLabel(value);
  return formatAuditValue(value);
}

// A short form of a long id for a table cell (the full one is in the link and its history).
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id) ? id.slice(0, 8) + "…" : id;
}

const ORIGEM: Record<string, string> = { producao: "Produção", recebimento: "Recebimento" };

// One event of a lot's timeline in a sentence (its `resumo` by `tipo`, relatorios.openapi.yaml
// EventoDoLote); `opCodes` names the OPs the answer knows.
export function eventoResumo(tipo: string, resumo: Record<string, unknown>, opCodes: Record<string, string> = {}): string {
  const q = (v: unknown) => (typeof v === "number" || typeof v === "string" ? formatNumber(v) : "—");
  const op = (v: unknown) => (typeof v === "string" ? opCodes[v] ?? "OP " + shortId(v) : "OP");
  switch (tipo) {
    case "lote.criado":
      return `${ORIGEM[String(resumo.origem)] ?? "Origem desconhecida"}, quantidade ${q(resumo.quantidade)}` +
        (resumo.op_id ? ` (${op(resumo.op_id)})` : "");
    case "insumos.consumidos":
      return `${q(resumo.quantidade)} consumido(s) em ${op(resumo.op_id)}`;
    case "laudo.emitido": {
      const sig = resumo.assinatura as { nome?: string } | undefined;
      return `${statusLabel(String(resumo.decisao ?? ""))}${sig?.nome ? `, assinado por ${sig.nome}` : ""}`;
    }
    case "lote.recolhido":
      return resumo.motivo ? `Motivo: ${String(resumo.motivo)}` : "Recolhido";
    case "expedicao.confirmada": {
      const cliente = resumo.cliente as { nome?: string } | undefined;
      return `${q(resumo.quantidade)} para ${cliente?.nome ?? "cliente"}`;
    }
    case "devolucao.registrada":
      return `${q(resumo.quantidade)} devolvido(s)`;
    case "desvio.aberto":
    case "desvio.encerrado":
      return typeof resumo.desvio_id === "string" ? `Desvio ${shortId(resumo.desvio_id)}` : "";
    default:
      return "";
  }
}

export function origemLabel(origem: string): string {
  return ORIGEM[origem] ?? origem;
}

export type ParsedDate = { ok: true; value: string } | { ok: false; message: string };

const pad2 = (n: number) => String(n).padStart(2, "0");

// A date typed as a Brazilian writes it ("29/11/2026") — a native date picker would show the
// browser's own language instead — read as the API's "2026-11-29". Empty stays empty.
export function parseDateBr(input: string): ParsedDate {
  const text = input.trim();
  if (text === "") return { ok: true, value: "" };
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!m) return { ok: false, message: "Use o formato dd/mm/aaaa." };
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return { ok: false, message: "Esta data não existe." };
  return { ok: true, value: `${y}-${pad2(mo)}-${pad2(d)}` };
}

// "2026-11-29" as "29/11/2026", to show a chosen date back in its field.
export function isoToBr(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

// A period typed in two fields: the API's dates, or each field's problem.
export function readPeriod(de: string, ate: string): { de: string; ate: string; errors: { de?: string; ate?: string } } {
  const a = parseDateBr(de);
  const b = parseDateBr(ate);
  const errors: { de?: string; ate?: string } = {};
  if (!a.ok) errors.de = a.message;
  if (!b.ok) errors.ate = b.message;
  const out = { de: a.ok ? a.value : "", ate: b.ok ? b.value : "" };
  if (a.ok && b.ok) {
    const why = periodProblem(out.de, out.ate);
    if (why) errors.ate = why;
  }
  return { ...out, errors };
}
