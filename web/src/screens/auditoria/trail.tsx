// Trilha de auditoria: the consolidated trail of every service, newest first, filtered by
// service, entity, record, user and period (kept in the address, so a filtered view can be
// shared or bookmarked), exported as CSV, as a pt-BR spreadsheet, or as the NDJSON file an
// inspector re-verifies offline.
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { formatInstant } from "../../lib/format";
import { Button, Page, PagedTable, Section, type Column } from "../../ui/components";
import { SelectField, TextField } from "../../ui/fields";
import { usePaged } from "../../ui/hooks";
import { significadoLabel } from "../../lib/format";
import { DownloadButton, UserName } from "./common";
import { acaoLabel, ENTIDADES, entidadeLabel, isoToBr, periodToInstants, readPeriod, SERVICOS, servicoLabel, shortId } from "./labels";
import { historyPath } from "./paths";
import type { RegistroDeAuditoria } from "./types";
import "./auditoria.css";

const FIELDS = ["servico", "entidade", "entidade_id", "usuario", "de", "ate"] as const;
type Filters = Record<(typeof FIELDS)[number], string>;

const columns: Column<RegistroDeAuditoria>[] = [
  {
    header: "Instante",
    cell: (r) => <time dateTime={r.ocorrido_em}>{formatInstant(r.ocorrido_em, true)}</time>,
  },
  {
    header: "Serviço",
    cell: (r) => (
      <>
        {servicoLabel(r.servico)} <span className="muted">nº {r.sequencia}</span>
      </>
    ),
  },
  {
    header: "Ação",
    cell: (r) => (
      <>
        {acaoLabel(r.acao)}
        {r.assinatura ? (
          <span className="muted">
            {" "}
            <span aria-hidden="true">✍</span> assinado ({significadoLabel(r.assinatura.significado ?? "")})
          </span>
        ) : null}
      </>
    ),
  },
  {
    header: "Entidade",
    cell: (r) => (
      <Link to={historyPath(r.entidade, r.entidade_id)} aria-label={`Histórico de ${entidadeLabel(r.entidade)} ${r.entidade_id}`}>
        {entidadeLabel(r.entidade)} <span className="mono">{shortId(r.entidade_id)}</span>
      </Link>
    ),
  },
  { header: "Usuário", cell: (r) => <UserName usuario={r.usuario} /> },
  { header: "Motivo", cell: (r) => r.motivo || "—" },
];

function fromParams(params: URLSearchParams): Filters {
  return Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ""])) as Filters;
}

export function AuditTrailPage() {
  const [params, setParams] = useSearchParams();
  const applied = fromParams(params);
  // The form shows dates as typed (dd/mm/aaaa); the address keeps them as the API writes them.
  const [form, setForm] = useState<Filters>({ ...applied, de: isoToBr(applied.de), ate: isoToBr(applied.ate) });
  const [problems, setProblems] = useState<{ de?: string; ate?: string }>({});
  const period = periodToInstants(applied.de, applied.ate);
  const query = {
    servico: applied.servico,
    entidade: applied.entidade,
    entidade_id: applied.entidade_id,
    usuario: applied.usuario,
    de: period.de,
    ate: period.ate,
  };
  const paged = usePaged<RegistroDeAuditoria>("/v1/relatorios/auditoria", { ...query, ordem: "desc" });
  const set = (name: keyof Filters) => (v: string) => setForm((f) => ({ ...f, [name]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const period = readPeriod(form.de, form.ate);
    setProblems(period.errors);
    if (period.errors.de || period.errors.ate) return;
    const values = { ...form, de: period.de, ate: period.ate };
    const next = new URLSearchParams();
    for (const f of FIELDS) if (values[f].trim()) next.set(f, values[f].trim());
    setParams(next);
  };
  const clear = () => {
    const empty = Object.fromEntries(FIELDS.map((f) => [f, ""])) as Filters;
    setForm(empty);
    setProblems({});
    setParams(new URLSearchParams());
  };

  return (
    <Page title="Trilha de auditoria">
      <p className="lead">Todos os registros de auditoria de todos os serviços, do mais recente ao mais antigo.</p>
      <form className="filters-form" onSubmit={submit} aria-label="Filtros da trilha">
        <div className="filters">
          <SelectField
            label="Serviço"
            name="servico"
            value={form.servico}
            onChange={set("servico")}
            placeholder="Todos"
            options={SERVICOS.map((s) => ({ value: s, label: servicoLabel(s) }))}
          />
          <SelectField
            label="Entidade"
            name="entidade"
            value={form.entidade}
            onChange={set("entidade")}
            placeholder="Todas"
            options={ENTIDADES.map((e) => ({ value: e, label: entidadeLabel(e) }))}
          />
          <TextField label="Identificador da entidade" name="entidade_id" value={form.entidade_id} onChange={set("entidade_id")} />
          <TextField label="Usuário (login)" name="usuario" value={form.usuario} onChange={set("usuario")} autoComplete="off" />
          <TextField label="De (dd/mm/aaaa)" name="de" value={form.de} onChange={set("de")} placeholder="dd/mm/aaaa" error={problems.de} />
          <TextField label="Até (dd/mm/aaaa)" name="ate" value={form.ate} onChange={set("ate")} placeholder="dd/mm/aaaa" error={problems.ate} />
        </div>
        <div className="actions">
          <Button type="submit" kind="primary">
            Filtrar
          </Button>
          <Button onClick={clear}>Limpar filtros</Button>
        </div>
      </form>
      <Section
        title="Registros"
        actions={
          <div className="exports">
            <DownloadButton path="/v1/relatorios/auditoria" accept="text/csv" filename="trilha-de-auditoria.csv" query={query}>
              Exportar CSV
            </DownloadButton>
            <DownloadButton
              path="/v1/relatorios/auditoria"
              accept="text/csv"
              filename="trilha-de-auditoria-planilha.csv"
              query={{ ...query, formato: "excel" }}
            >
              Exportar para planilha
            </DownloadButton>
            <DownloadButton
              path="/v1/relatorios/auditoria/exportacao"
              accept="application/x-ndjson"
              filename={applied.servico ? `trilha-de-auditoria-${applied.servico}.ndjson` : "trilha-de-auditoria.ndjson"}
              query={{ servico: applied.servico }}
            >
              Exportar para verificação (NDJSON)
            </DownloadButton>
          </div>
        }
      >
        <p className="muted">
          O CSV e a planilha trazem a trilha filtrada inteira; a exportação para verificação traz a cadeia completa
          {applied.servico ? ` de ${servicoLabel(applied.servico)}` : " de cada serviço"} com os checkpoints assinados.
        </p>
        <PagedTable
          paged={paged}
          columns={columns}
          rowKey={(r) => r.id}
          caption="Registros de auditoria, do mais recente ao mais antigo"
          empty="Nenhum registro com estes filtros."
        />
      </Section>
    </Page>
  );
}
