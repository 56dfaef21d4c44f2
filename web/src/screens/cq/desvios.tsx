// Deviations: the list (by status and production order), opening one on an OP (optionally
// on one of its lots), which blocks the OP until it is closed with a signed review.
import { useEffect, useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { post } from "../../api/client";
import { formatInstant, statusLabel } from "../../lib/format";
import { Await, Button, ButtonLink, Page, PagedTable, ProblemAlert, StatusBadge, type Column } from "../../ui/components";
import { fieldError, SelectField, TextArea, statusOptions } from "../../ui/fields";
import { useAction, useDraft, usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import type { Desvio, OrdemProducao } from "./api";
import { useOpCodes, useOrders } from "./data";
import { RadioGroup } from "./widgets";
import "./cq.css";

export const CLASSIFICACOES = ["menor", "maior", "critico"] as const;

function opLabel(op: OrdemProducao): string {
  return `${op.codigo} — ${op.produto} (${statusLabel(op.status)})`;
}

export function DesviosPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const opId = params.get("op_id") ?? "";
  const { can } = useSession();
  const orders = useOrders();
  const paged = usePaged<Desvio>("/v1/desvios", { status, op_id: opId, ordem: "desc" });
  const codes = useOpCodes(paged.items.map((d) => d.op_id));
  const filter = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  const columns: Column<Desvio>[] = [
    { header: "Desvio", className: "nowrap", cell: (d) => <Link to={`/desvios/${d.id}`}>{d.codigo}</Link> },
    { header: "OP", className: "nowrap", cell: (d) => <Link to={`/ordens/${d.op_id}`}>{codes[d.op_id] ?? "OP"}</Link> },
    { header: "Classificação", cell: (d) => <StatusBadge status={d.classificacao} /> },
    { header: "Descrição", cell: (d) => <span className="clamp">{d.descricao}</span> },
    { header: "Status", cell: (d) => <StatusBadge status={d.status} /> },
    { header: "Aberto", cell: (d) => `${formatInstant(d.aberto_em)} por ${d.aberto_por}` },
  ];
  return (
    <Page
      title="Desvios"
      actions={
        can("openDesvio") ? (
          <ButtonLink to={opId ? `/desvios/novo?op_id=${opId}` : "/desvios/novo"} kind="primary">
            Abrir desvio
          </ButtonLink>
        ) : null
      }
    >
      <form className="filters" aria-label="Filtrar desvios" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Status"
          name="status"
          value={status}
          onChange={(v) => filter({ status: v })}
          options={statusOptions(["aberto", "encerrado"])}
          placeholder="Todos"
        />
        <SelectField
          label="Ordem de produção"
          name="op_id"
          value={opId}
          onChange={(v) => filter({ op_id: v })}
          options={(orders.data ?? []).map((op) => ({ value: op.id, label: opLabel(op) }))}
          placeholder={orders.loading ? "Carregando…" : "Todas"}
        />
      </form>
      <ProblemAlert error={orders.error} />
      <PagedTable paged={paged} columns={columns} rowKey={(d) => d.id} caption="Desvios, os mais recentes primeiro" empty="Nenhum desvio." />
    </Page>
  );
}

export function DesvioNovoPage() {
  const orders = useOrders();
  return (
    <Page title="Abrir desvio" back={{ to: "/desvios", label: "Desvios" }}>
      <Await loaded={orders}>{(ops) => <DesvioForm ops={ops} />}</Await>
    </Page>
  );
}

interface DesvioBody {
  op_id: string;
  lote_id: string | null;
  classificacao: string;
  descricao: string;
}

function DesvioForm({ ops }: { ops: OrdemProducao[] }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const draft = useDraft("desvio.novo", { op_id: "", lote_id: "", classificacao: "", descricao: "" });
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  // ?op_id= (from an OP's page) picks the OP, unless a draft already names one.
  const preset = params.get("op_id") ?? "";
  useEffect(() => {
    if (preset && preset !== draft.values.op_id) draft.replace({ ...draft.values, op_id: preset, lote_id: "" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preset]);
  // Cancelled OPs take no deviation; the rest, newest first.
  const open = useMemo(() => ops.filter((op) => op.status !== "cancelada"), [ops]);
  const op = ops.find((o) => o.id === draft.values.op_id);
  const action = useAction((key: string, body: DesvioBody) => post<Desvio>("/v1/desvios", body, { idempotencyKey: key }));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const errors = {
      op_id: draft.values.op_id ? undefined : "Escolha a ordem de produção.",
      classificacao: draft.values.classificacao ? undefined : "Escolha a classificação.",
      descricao: draft.values.descricao.trim().length >= 3 ? undefined : "Descreva o desvio (ao menos 3 caracteres).",
    };
    setLocal(errors);
    if (Object.values(errors).some(Boolean)) return;
    const created = await action.run({
      op_id: draft.values.op_id,
      lote_id: draft.values.lote_id || null,
      classificacao: draft.values.classificacao,
      descricao: draft.values.descricao.trim(),
    });
    if (created) {
      draft.clear();
      navigate(`/desvios/${created.id}`, { state: { aberto: true } });
    }
  };
  const opOptions = open.map((o) => ({ value: o.id, label: opLabel(o) }));
  if (op && !open.includes(op)) opOptions.unshift({ value: op.id, label: opLabel(op) });
  return (
    <form onSubmit={submit} noValidate>
      <div className="form-grid">
        <SelectField
          label="Ordem de produção"
          name="op_id"
          required
          value={draft.values.op_id}
          onChange={(v) => draft.replace({ ...draft.values, op_id: v, lote_id: "" })}
          options={opOptions}
          placeholder="Escolha a OP"
          error={fieldError(action.error, "op_id", local)}
        />
        <SelectField
          label="Lote"
          name="lote_id"
          hint="Opcional: o lote da OP afetado."
          value={draft.values.lote_id}
          onChange={(v) => draft.set("lote_id", v)}
          options={(op?.lotes ?? []).map((l) => ({ value: l.id, label: `${l.codigo} (${statusLabel(l.status)})` }))}
          placeholder={op && op.lotes.length === 0 ? "A OP ainda não tem lotes" : "Nenhum (a OP inteira)"}
          disabled={!op}
          error={fieldError(action.error, "lote_id")}
        />
      </div>
      <RadioGroup
        label="Classificação"
        name="classificacao"
        required
        value={draft.values.classificacao}
        onChange={(v) => draft.set("classificacao", v)}
        options={CLASSIFICACOES.map((c) => ({ value: c, label: statusLabel(c) }))}
        error={fieldError(action.error, "classificacao", local)}
      />
      <TextArea
        label="Descrição"
        name="descricao"
        required
        rows={4}
        value={draft.values.descricao}
        onChange={(v) => draft.set("descricao", v)}
        error={fieldError(action.error, "descricao", local)}
      />
      <p className="hint">Enquanto o desvio estiver aberto, a OP fica bloqueada e seus lotes não podem ser aprovados.</p>
      <ProblemAlert error={action.error} shownFields={["op_id", "lote_id", "classificacao", "descricao"]} />
      <div className="actions">
        <Button type="submit" kind="primary" pending={action.pending}>
          Abrir desvio
        </Button>
      </div>
    </form>
  );
}
