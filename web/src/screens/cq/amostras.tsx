// The analyst's worklist: the samples by status, newest first, each with its next act one
// click away. A lot code (typed or scanned) narrows it to that lot's sample.
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { formatInstant } from "../../lib/format";
import { Button, Notice, Page, PagedTable, ProblemAlert, StatusBadge, type Column } from "../../ui/components";
import { SelectField, TextField, statusOptions } from "../../ui/fields";
import { useLoad, usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { findLotByCode, type Amostra } from "./api";
import { materialText, useMaterials } from "./data";
import { NEXT_ACT_LABEL, nextAct } from "./logic";
import { LoteLink } from "./widgets";
import "./cq.css";

export const SAMPLE_STATUSES = ["aguardando_coleta", "coletada", "em_analise", "concluida"];

export function AmostrasPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const lote = (params.get("lote") ?? "").trim().toUpperCase();
  const [form, setForm] = useState({ status, lote });
  useEffect(() => setForm({ status, lote }), [status, lote]);
  const { can } = useSession();
  const materials = useMaterials();

  // A lot code becomes the lot's id (the samples are filtered by id).
  const lot = useLoad(() => (lote ? findLotByCode(lote) : Promise.resolve(null)), [lote]);
  const found = lot.data && lot.data.codigo.toUpperCase() === lote ? lot.data : null;
  const path = lote && !found ? null : "/v1/amostras";
  const paged = usePaged<Amostra>(path, { status, lote_id: found?.id, ordem: "desc" });

  const columns: Column<Amostra>[] = [
    { header: "Amostra", className: "nowrap", cell: (a) => <Link to={`/cq/amostras/${a.id}`}>{a.codigo}</Link> },
    { header: "Lote", className: "nowrap", cell: (a) => <LoteLink codigo={a.lote?.codigo} /> },
    { header: "Material", cell: (a) => materialText(materials, a.lote?.material) },
    { header: "Status", cell: (a) => <StatusBadge status={a.status} /> },
    { header: "Criada em", cell: (a) => formatInstant(a.criado_em) },
    {
      header: "Próximo passo",
      cell: (a) => {
        const act = nextAct(a);
        if (!act || !can("analyse")) {
          return (
            <Link to={`/cq/amostras/${a.id}`} className="button">
              Abrir<span className="visually-hidden"> amostra {a.codigo}</span>
            </Link>
          );
        }
        return (
          <Link to={`/cq/amostras/${a.id}#${act}`} className="button button-primary">
            {NEXT_ACT_LABEL[act]}
            <span className="visually-hidden"> — amostra {a.codigo}, lote {a.lote?.codigo}</span>
          </Link>
        );
      },
    },
  ];

  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (form.status) next.set("status", form.status);
    if (form.lote.trim()) next.set("lote", form.lote.trim().toUpperCase());
    setParams(next);
  };

  return (
    <Page
      title="Amostras"
      actions={
        <Button
          onClick={() => {
            lot.reload();
            paged.reload();
          }}
        >
          Atualizar
        </Button>
      }
    >
      <form className="filters" onSubmit={apply} aria-label="Filtrar amostras">
        <SelectField
          label="Status"
          name="status"
          value={form.status}
          onChange={(v) => setForm((f) => ({ ...f, status: v }))}
          options={statusOptions(SAMPLE_STATUSES)}
          placeholder="Todos"
        />
        <TextField
          label="Lote"
          name="lote"
          value={form.lote}
          onChange={(v) => setForm((f) => ({ ...f, lote: v }))}
          placeholder="Código do lote"
          autoComplete="off"
        />
        <Button type="submit" kind="primary">
          Filtrar
        </Button>
      </form>
      {lote && lot.error ? <ProblemAlert error={lot.error} /> : null}
      {lote && !lot.loading && !lot.error && !found ? (
        <Notice tone="warning">
          O lote {lote} não foi encontrado. Um lote recém-criado aparece aqui em alguns segundos: use Atualizar.
        </Notice>
      ) : null}
      {path ? (
        <PagedTable
          paged={paged}
          columns={columns}
          rowKey={(a) => a.id}
          caption="Amostras, as mais recentes primeiro"
          empty={lote ? `Nenhuma amostra do lote ${lote} ainda.` : "Nenhuma amostra neste status."}
        />
      ) : null}
    </Page>
  );
}
