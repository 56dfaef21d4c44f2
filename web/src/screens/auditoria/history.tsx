// A record's history: every audit record of one entity, oldest first, each with who, when,
// why, its signature, and every field it changed as old → new (RULES.md G2). Printable.
import { Link, useParams } from "react-router-dom";
import { formatInstant } from "../../lib/format";
import { Button, Facts, Loading, Page, ProblemAlert } from "../../ui/components";
import { usePaged } from "../../ui/hooks";
import { Signatures } from "../../ui/signature";
import { UserName } from "./common";
import { acaoLabel, entidadeLabel, fieldChanges, fieldLabel, formatFieldValue, servicoLabel } from "./labels";
import type { RegistroDeAuditoria } from "./types";
import "./auditoria.css";

function Changes({ record }: { record: RegistroDeAuditoria }) {
  const rows = fieldChanges(record.antes, record.depois);
  if (rows.length === 0) return <p className="muted">Nenhum campo registrado.</p>;
  const creation = record.antes === null || Object.keys(record.antes).length === 0;
  return (
    <div className="table-wrap">
      <table className="changes">
        <caption className="visually-hidden">Campos de {acaoLabel(record.acao)}</caption>
        <thead>
          <tr>
            <th scope="col">Campo</th>
            <th scope="col">Antes</th>
            <th scope="col">Depois</th>
            <th scope="col">Alteração</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.campo}>
              <th scope="row">{fieldLabel(c.campo)}</th>
              <td className="before" data-label="Antes">{creation ? "—" : formatFieldValue(c.campo, c.antes)}</td>
              <td className="after" data-label="Depois">{formatFieldValue(c.campo, c.depois)}</td>
              <td data-label="Alteração">
                {c.mudou ? (
                  <span className="changed-mark">
                    {creation ? "registrado" : `${formatFieldValue(c.campo, c.antes)} → ${formatFieldValue(c.campo, c.depois)}`}
                  </span>
                ) : (
                  <span className="muted">sem alteração</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RecordHistoryPage() {
  const { entidade = "", id = "" } = useParams();
  // Every record of this entity, as the trail keeps them, oldest first.
  const paged = usePaged<RegistroDeAuditoria>("/v1/relatorios/auditoria", { entidade, entidade_id: id, ordem: "asc" }, 500);
  const title = `Histórico: ${entidadeLabel(entidade)} ${id}`;
  return (
    <Page
      title={title}
      back={{ to: `/auditoria?entidade=${encodeURIComponent(entidade)}&entidade_id=${encodeURIComponent(id)}`, label: "Trilha de auditoria" }}
      actions={
        <>
          {/* Records reach the consolidated trail within seconds of the act. */}
          <Button onClick={paged.reload} pending={paged.loading}>
            Atualizar
          </Button>
          <Button onClick={() => window.print()}>Imprimir</Button>
        </>
      }
    >
      <Facts
        items={[
          ["Entidade", entidadeLabel(entidade)],
          ["Identificador", <span className="mono">{id}</span>],
          ["Registros", paged.loading && paged.items.length === 0 ? "…" : `${paged.items.length}${paged.hasMore ? " (há mais)" : ""}`],
        ]}
      />
      <p className="print-only">Impresso em {formatInstant(new Date().toISOString(), true)}.</p>
      <ProblemAlert error={paged.error} />
      {paged.items.length === 0 && paged.loading ? <Loading /> : null}
      {paged.items.length === 0 && !paged.loading && !paged.error ? (
        <p className="empty">
          Nenhum registro de auditoria para esta entidade. <Link to="/auditoria">Voltar à trilha</Link>
        </p>
      ) : null}
      <ol className="history" aria-label="Registros, do mais antigo ao mais recente">
        {paged.items.map((r) => (
          <li key={r.id}>
            <h2>
              {acaoLabel(r.acao)} — <time dateTime={r.ocorrido_em}>{formatInstant(r.ocorrido_em, true)}</time>
            </h2>
            <p className="meta">
              {servicoLabel(r.servico)}, registro nº {r.sequencia} · por <UserName usuario={r.usuario} />
              {r.motivo ? <> · motivo: <strong>{r.motivo}</strong></> : null}
            </p>
            {r.assinatura ? <Signatures items={[r.assinatura]} /> : null}
            <Changes record={r} />
          </li>
        ))}
      </ol>
      {paged.hasMore ? (
        <div className="paged-footer no-print">
          <span className="muted">{paged.items.length} registros (há mais)</span>
          <Button onClick={paged.more} pending={paged.loading}>
            Carregar mais
          </Button>
        </div>
      ) : null}
    </Page>
  );
}
