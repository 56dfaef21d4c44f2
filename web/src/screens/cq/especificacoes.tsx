// Specifications: the catalogue to pick a material from, and a material's current version
// with its ensaios. Editing publishes a new version (versions never change; samples keep the
// one they were bound to).
import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { ApiError, get, send } from "../../api/client";
import { formatInstant, statusLabel } from "../../lib/format";
import { Await, Button, Facts, Notice, Page, PagedTable, ProblemAlert, Section, Table, type Column } from "../../ui/components";
import { fieldError, SelectField, TextField, statusOptions } from "../../ui/fields";
import { useAction, useDraft, useLoad, usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import type { Ensaio, Especificacao, Material } from "./api";
import { checkSpecification, draftOf, emptyEnsaio, isQualitative, limitsText, type EnsaioDraft } from "./logic";
import { CellInput, CellSelect } from "./widgets";
import "./cq.css";

export function EspecificacoesPage() {
  const [params, setParams] = useSearchParams();
  const tipo = params.get("tipo") ?? "";
  const [codigo, setCodigo] = useState("");
  const navigate = useNavigate();
  // The catalogue is ordered by code, which is how people look a material up.
  const paged = usePaged<Material>("/v1/materiais", { tipo });
  const columns: Column<Material>[] = [
    {
      header: "Material",
      cell: (m) => (
        <Link to={`/cq/especificacoes/${encodeURIComponent(m.codigo)}`}>
          {m.codigo}
          <span className="visually-hidden"> — especificação</span>
        </Link>
      ),
    },
    { header: "Nome", cell: (m) => m.nome },
    { header: "Tipo", cell: (m) => statusLabel(m.tipo) },
    { header: "Unidade", cell: (m) => m.unidade },
  ];
  return (
    <Page title="Especificações">
      <p className="lead">Escolha o material para ver a versão atual da especificação e publicar uma nova.</p>
      <form
        className="filters"
        aria-label="Abrir especificação por código"
        onSubmit={(e) => {
          e.preventDefault();
          const c = codigo.trim();
          if (c) navigate(`/cq/especificacoes/${encodeURIComponent(c)}`);
        }}
      >
        <TextField label="Código do material" name="material" value={codigo} onChange={setCodigo} autoComplete="off" />
        <Button type="submit" kind="primary">
          Abrir
        </Button>
      </form>
      <form className="filters" aria-label="Filtrar materiais" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Tipo"
          name="tipo"
          value={tipo}
          onChange={(v) => setParams(v ? { tipo: v } : {})}
          options={statusOptions(["insumo", "produto"])}
          placeholder="Todos"
        />
      </form>
      <PagedTable paged={paged} columns={columns} rowKey={(m) => m.codigo} caption="Materiais, por código" empty="Nenhum material cadastrado." />
    </Page>
  );
}

async function loadSpecification(material: string) {
  const m = await get<Material>(`/v1/materiais/${encodeURIComponent(material)}`).catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
  const spec = await get<Especificacao>(`/v1/especificacoes/${encodeURIComponent(material)}`).catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });
  return { material: m, spec };
}

export function EspecificacaoPage() {
  const { material = "" } = useParams();
  const loaded = useLoad(() => loadSpecification(material), [material]);
  return (
    <Await loaded={loaded}>
      {({ material: m, spec }) => (
        <EspecificacaoView codigo={material} material={m} spec={spec} reload={loaded.reload} />
      )}
    </Await>
  );
}

function EspecificacaoView({ codigo, material, spec, reload }: {
  codigo: string;
  material: Material | null;
  spec: Especificacao | null;
  reload: () => void;
}) {
  const { can } = useSession();
  const draft = useDraft(`especificacao.${codigo}`, { editing: false, rows: [] as EnsaioDraft[] });
  const [published, setPublished] = useState<number>();
  const title = `Especificação de ${codigo}`;
  if (!material && !spec) {
    return (
      <Page title={title} back={{ to: "/cq/especificacoes", label: "Especificações" }}>
        <Notice tone="warning">O material {codigo} não está no catálogo.</Notice>
      </Page>
    );
  }
  const startEditing = () => {
    setPublished(undefined);
    draft.replace({ editing: true, rows: spec ? spec.ensaios.map(draftOf) : [emptyEnsaio()] });
  };
  return (
    <Page
      title={title}
      back={{ to: "/cq/especificacoes", label: "Especificações" }}
      actions={
        can("specify") && !draft.values.editing ? (
          <Button kind="primary" onClick={startEditing}>
            {spec ? "Nova versão" : "Criar especificação"}
          </Button>
        ) : null
      }
    >
      <Facts
        items={[
          ["Material", material ? `${material.nome} (${material.codigo})` : codigo],
          ["Tipo", material ? statusLabel(material.tipo) : "—"],
          ["Versão atual", spec ? String(spec.versao) : "nenhuma"],
          ["Publicada por", spec?.criado_por ?? "—"],
          ["Publicada em", formatInstant(spec?.criado_em)],
        ]}
      />
      {published ? <Notice tone="success">Versão {published} publicada.</Notice> : null}
      {draft.values.editing ? (
        <Editor
          codigo={codigo}
          spec={spec}
          rows={draft.values.rows}
          setRows={(rows) => draft.set("rows", rows)}
          onCancel={draft.clear}
          onPublished={(s) => {
            draft.clear();
            setPublished(s.versao);
            reload();
          }}
        />
      ) : spec ? (
        <Section title={`Ensaios da versão ${spec.versao}`}>
          <EnsaiosTable ensaios={spec.ensaios} />
        </Section>
      ) : (
        <p className="empty">Este material ainda não tem especificação.</p>
      )}
    </Page>
  );
}

function EnsaiosTable({ ensaios }: { ensaios: Ensaio[] }) {
  const columns: Column<Ensaio>[] = [
    { header: "Código", cell: (e) => e.codigo },
    { header: "Nome", cell: (e) => e.nome },
    { header: "Tipo", cell: (e) => (isQualitative(e) ? "Qualitativo" : "Numérico") },
    { header: "Especificação", cell: (e) => (isQualitative(e) ? `Esperado: ${e.esperado}` : limitsText(e)) },
  ];
  return <Table columns={columns} rows={ensaios} rowKey={(e) => e.codigo} caption="Ensaios" />;
}

function Editor({ codigo, spec, rows, setRows, onCancel, onPublished }: {
  codigo: string;
  spec: Especificacao | null;
  rows: EnsaioDraft[];
  setRows: (rows: EnsaioDraft[]) => void;
  onCancel: () => void;
  onPublished: (s: Especificacao) => void;
}) {
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction((key: string, ensaios: Ensaio[]) =>
    send<Especificacao>("PUT", `/v1/especificacoes/${encodeURIComponent(codigo)}`, { ensaios }, {
      idempotencyKey: key,
      ifMatch: spec?.versao ?? 0,
    }),
  );
  const setRow = (i: number, patch: Partial<EnsaioDraft>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const err = (i: number, campo: string) => fieldError(action.error, `ensaios[${i}].${campo}`, local);
  const shown = rows.flatMap((_, i) =>
    ["codigo", "nome", "unidade", "minimo", "maximo", "esperado"].map((c) => `ensaios[${i}].${c}`),
  );

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const check = checkSpecification(rows);
    setLocal(check.errors);
    if (Object.keys(check.errors).length > 0) return;
    const result = await action.run(check.ensaios);
    if (result) onPublished(result);
  };

  type Row = EnsaioDraft & { index: number };
  const columns: Column<Row>[] = [
    {
      header: "Código",
      cell: (r) => (
        <CellInput label={`Código do ensaio ${r.index + 1}`} name={`codigo-${r.index}`} value={r.codigo} maxLength={40}
                   onChange={(v) => setRow(r.index, { codigo: v })} error={err(r.index, "codigo")} />
      ),
    },
    {
      header: "Nome",
      className: "wide",
      cell: (r) => (
        <CellInput label={`Nome do ensaio ${r.index + 1}`} name={`nome-${r.index}`} value={r.nome} maxLength={200}
                   onChange={(v) => setRow(r.index, { nome: v })} error={err(r.index, "nome")} />
      ),
    },
    {
      header: "Tipo",
      cell: (r) => (
        <CellSelect
          label={`Tipo do ensaio ${r.index + 1}`}
          name={`tipo-${r.index}`}
          value={r.tipo}
          onChange={(v) => setRow(r.index, { tipo: v as EnsaioDraft["tipo"] })}
          options={[
            { value: "numerico", label: "Numérico" },
            { value: "qualitativo", label: "Qualitativo" },
          ]}
        />
      ),
    },
    {
      header: "Unidade",
      cell: (r) =>
        r.tipo === "numerico" ? (
          <CellInput label={`Unidade do ensaio ${r.index + 1}`} name={`unidade-${r.index}`} value={r.unidade} maxLength={40}
                     onChange={(v) => setRow(r.index, { unidade: v })} error={err(r.index, "unidade")} />
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      header: "Mínimo",
      cell: (r) =>
        r.tipo === "numerico" ? (
          <CellInput label={`Mínimo do ensaio ${r.index + 1}`} name={`minimo-${r.index}`} value={r.minimo} inputMode="decimal"
                     onChange={(v) => setRow(r.index, { minimo: v })} error={err(r.index, "minimo")} />
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      header: "Máximo",
      cell: (r) =>
        r.tipo === "numerico" ? (
          <CellInput label={`Máximo do ensaio ${r.index + 1}`} name={`maximo-${r.index}`} value={r.maximo} inputMode="decimal"
                     onChange={(v) => setRow(r.index, { maximo: v })} error={err(r.index, "maximo")} />
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      header: "Esperado",
      className: "wide",
      cell: (r) =>
        r.tipo === "qualitativo" ? (
          <CellInput label={`Resultado esperado do ensaio ${r.index + 1}`} name={`esperado-${r.index}`} value={r.esperado}
                     maxLength={200} onChange={(v) => setRow(r.index, { esperado: v })} error={err(r.index, "esperado")} />
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      header: "Ações",
      cell: (r) => (
        <div className="row-actions">
          <button
            type="button"
            className="button button-danger"
            onClick={() => setRows(rows.filter((_, j) => j !== r.index))}
          >
            Remover<span className="visually-hidden"> ensaio {r.index + 1}</span>
          </button>
        </div>
      ),
    },
  ];
  const next = (spec?.versao ?? 0) + 1;
  return (
    <Section title={`Nova versão (${next})`}>
      <form onSubmit={submit} noValidate className="spec-editor">
        <p className="hint">
          Numérico: mínimo e/ou máximo, inclusivos (use vírgula para decimais). Qualitativo: o resultado esperado.
        </p>
        <Table
          columns={columns}
          rows={rows.map((r, index) => ({ ...r, index }))}
          rowKey={(r) => String(r.index)}
          caption="Ensaios da nova versão"
          empty="Nenhum ensaio: adicione ao menos um."
        />
        {local.ensaios ? <p className="field-error">{local.ensaios}</p> : null}
        <div className="actions">
          <Button onClick={() => setRows([...rows, emptyEnsaio()])}>Adicionar ensaio</Button>
        </div>
        <ProblemAlert error={action.error} shownFields={shown} />
        <div className="actions">
          <Button type="submit" kind="primary" pending={action.pending}>
            Publicar versão {next}
          </Button>
          <Button onClick={onCancel}>Cancelar</Button>
        </div>
      </form>
    </Section>
  );
}
