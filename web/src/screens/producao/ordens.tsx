// Production orders: the list (by status and product, newest first) and a new order of a
// product by one of its recipe versions.
import { useEffect, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { post } from "../../api/client";
import { decimalToJson, formatInstant, formatNumber, parseDecimal } from "../../lib/format";
import { Button, ButtonLink, Notice, Page, PagedTable, ProblemAlert, Section, StatusBadge } from "../../ui/components";
import { fieldError, NumberField, SelectField, statusOptions } from "../../ui/fields";
import { useAction, useDraft, usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { materialName, materialOptions, unitOf, useMateriais, useReceitasDe } from "./catalogo";
import { nextStep, recordedCount } from "./ordem-logic";
import { OP_STATUSES, type OrdemProducao } from "./types";
import "./producao.css";

export function OrdensPage() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const produto = params.get("produto") ?? "";
  const produtos = useMateriais("produto");
  const paged = usePaged<OrdemProducao>("/v1/ordens-producao", {
    status: status || undefined,
    produto: produto || undefined,
    ordem: "desc",
  });
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  return (
    <Page
      title="Ordens de produção"
      actions={can("runOrders") ? <ButtonLink to="/ordens/nova" kind="primary">Nova ordem</ButtonLink> : null}
    >
      <div className="filters">
        <SelectField
          label="Status"
          name="status"
          value={status}
          onChange={(v) => setFilter("status", v)}
          options={statusOptions(OP_STATUSES)}
          placeholder="Todos"
        />
        <SelectField
          label="Produto"
          name="produto"
          value={produto}
          onChange={(v) => setFilter("produto", v)}
          options={materialOptions(produtos.data?.list ?? [])}
          placeholder="Todos os produtos"
        />
      </div>
      <PagedTable
        paged={paged}
        caption="Ordens de produção encontradas"
        rowKey={(o) => o.id}
        empty="Nenhuma ordem com estes filtros."
        columns={[
          { header: "Código", cell: (o) => <Link to={`/ordens/${o.id}`}>{o.codigo}</Link>, className: "nowrap" },
          { header: "Produto", cell: (o) => materialName(o.produto, produtos.data) },
          { header: "Quantidade", cell: (o) => formatNumber(o.quantidade, unitOf(o.produto, produtos.data)), className: "num" },
          { header: "Receita", cell: (o) => `versão ${o.receita_versao}`, className: "nowrap" },
          { header: "Status", cell: (o) => <StatusBadge status={o.status} /> },
          { header: "Etapas", cell: (o) => <Progresso op={o} /> },
          { header: "Criada em", cell: (o) => formatInstant(o.criado_em) },
        ]}
      />
    </Page>
  );
}

function Progresso({ op }: { op: OrdemProducao }) {
  const next = nextStep(op);
  const done = `${recordedCount(op)} de ${op.etapas.length}`;
  if (op.status !== "em_execucao" || !next) return <>{done}</>;
  return (
    <>
      {done} <span className="muted">(próxima: {next.nome})</span>
    </>
  );
}

interface OrdemDraft extends Record<string, unknown> {
  produto: string;
  quantidade: string;
  receita_id: string;
}

export function OrdemNovaPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const draft = useDraft<OrdemDraft>("ordem.nova", {
    produto: params.get("produto") ?? "",
    quantidade: "",
    receita_id: params.get("receita") ?? "",
  });
  const d = draft.values;
  const produtos = useMateriais("produto");
  const receitas = useReceitasDe(d.produto);
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction((key: string, body: { produto: string; quantidade: number; receita_id: string }) =>
    post<OrdemProducao>("/v1/ordens-producao", body, { idempotencyKey: key }),
  );

  // Opened from a recipe ("Nova ordem com esta receita"): that product and version, whatever
  // an older draft held.
  useEffect(() => {
    const produto = params.get("produto");
    if (produto && (produto !== d.produto || (params.get("receita") ?? "") !== d.receita_id)) {
      draft.replace({ ...d, produto, receita_id: params.get("receita") ?? "" });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The newest version is the usual choice; a version of another product never stays chosen.
  useEffect(() => {
    const list = receitas.data;
    if (!list || receitas.loading) return;
    if (!list.some((r) => r.id === d.receita_id)) draft.set("receita_id", list[0]?.id ?? "");
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [receitas.data, receitas.loading]);

  const quantidadeError = (() => {
    if (!d.quantidade.trim()) return undefined;
    const parsed = parseDecimal(d.quantidade);
    return parsed.ok ? undefined : parsed.message;
  })();
  const err = (campo: string) => fieldError(action.error, campo, { ...local, quantidade: local.quantidade ?? quantidadeError });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!d.produto) problems.produto = "Escolha o produto.";
    if (!d.receita_id) problems.receita_id = "Escolha a versão da receita.";
    const parsed = parseDecimal(d.quantidade);
    if (!parsed.ok) problems.quantidade = parsed.message;
    else if (Number(parsed.value) <= 0) problems.quantidade = "A quantidade deve ser maior que zero.";
    setLocal(problems);
    if (Object.keys(problems).length > 0 || !parsed.ok) return;
    const created = await action.run({ produto: d.produto, quantidade: decimalToJson(parsed.value), receita_id: d.receita_id });
    if (created) {
      draft.clear();
      navigate(`/ordens/${created.id}`, { state: { criada: true } });
    }
  };

  const unidade = unitOf(d.produto, produtos.data);
  return (
    <Page title="Nova ordem de produção" back={{ to: "/ordens", label: "Ordens de produção" }}>
      <form onSubmit={submit} noValidate>
        <Section title="Ordem">
          <div className="form-grid">
            <SelectField
              label="Produto"
              name="produto"
              required
              value={d.produto}
              onChange={(v) => draft.replace({ ...d, produto: v, receita_id: "" })}
              options={materialOptions(produtos.data?.list ?? [])}
              placeholder={produtos.loading ? "Carregando produtos…" : "Escolha o produto"}
              error={err("produto")}
            />
            <NumberField
              label="Quantidade"
              name="quantidade"
              required
              value={d.quantidade}
              onChange={(v) => draft.set("quantidade", v)}
              unit={unidade}
              error={err("quantidade")}
            />
            <SelectField
              label="Receita"
              name="receita_id"
              required
              value={d.receita_id}
              onChange={(v) => draft.set("receita_id", v)}
              options={(receitas.data ?? []).map((r) => ({ value: r.id, label: `Versão ${r.versao}` }))}
              placeholder={!d.produto ? "Escolha antes o produto" : receitas.loading ? "Carregando receitas…" : "Escolha a versão"}
              disabled={!d.produto}
              error={err("receita_id")}
              hint={receitaHint(receitas.data, d.receita_id)}
            />
          </div>
          {d.produto && receitas.data && receitas.data.length === 0 && !receitas.loading ? (
            <Notice tone="warning">
              Este produto ainda não tem receita. <Link to="/receitas/nova">Crie uma receita</Link> antes de abrir a ordem.
            </Notice>
          ) : null}
          <ProblemAlert error={produtos.error ?? receitas.error} />
        </Section>
        <ProblemAlert error={action.error} shownFields={["produto", "quantidade", "receita_id"]} />
        <div className="actions">
          <Button type="submit" kind="primary" pending={action.pending}>
            Criar ordem
          </Button>
          <ButtonLink to="/ordens">Voltar</ButtonLink>
        </div>
      </form>
    </Page>
  );
}

function receitaHint(list: { id: string; versao: number; criado_em: string; etapas: unknown[] }[] | undefined, id: string) {
  const r = list?.find((x) => x.id === id);
  if (!r) return undefined;
  const newest = list && list[0]?.id === r.id;
  return `${r.etapas.length} ${r.etapas.length === 1 ? "etapa" : "etapas"}; criada em ${formatInstant(r.criado_em)}${newest ? " (a mais nova)" : ""}.`;
}
