// The materials catalogue: the list, registering a material (estoquista, administrador) and a
// material's page with its lots in stock.
import { useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import { ApiError, get, post } from "../../api/client";
import { formatInstant, statusLabel } from "../../lib/format";
import { Await, Button, ButtonLink, Facts, Notice, PagedTable, Section } from "../../ui/components";
import { fieldError, SelectField, statusOptions, TextField } from "../../ui/fields";
import { useAction, useDraft, useLoad, usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { SaldosTable } from "./saldos";
import { ActProblem, Page, useFilter } from "./shared";
import { EMPTY_MATERIAL, validateMaterial, type MaterialDraft } from "./forms";
import type { Material, Saldo } from "./types";

export function materialPath(codigo: string): string {
  return `/materiais/${encodeURIComponent(codigo)}`;
}

export function MaterialsPage() {
  const { can } = useSession();
  const [tipo, setTipo] = useFilter("tipo");
  const paged = usePaged<Material>("/v1/materiais", { tipo });
  return (
    <Page
      title="Materiais"
      actions={can("createMaterial") ? <ButtonLink to="/materiais/novo" kind="primary">Cadastrar material</ButtonLink> : null}
    >
      <div className="filters">
        <SelectField label="Tipo" name="tipo" value={tipo} onChange={setTipo} placeholder="Todos" options={statusOptions(["insumo", "produto"])} />
      </div>
      <PagedTable
        paged={paged}
        caption="Catálogo de materiais, por código"
        rowKey={(m) => m.codigo}
        empty="Nenhum material cadastrado."
        columns={[
          { header: "Código", cell: (m) => <Link to={materialPath(m.codigo)} className="mono">{m.codigo}</Link> },
          { header: "Nome", cell: (m) => m.nome },
          { header: "Tipo", cell: (m) => statusLabel(m.tipo) },
          { header: "Unidade", cell: (m) => m.unidade },
          { header: "Prazo de validade", cell: (m) => `${m.prazo_validade_dias} dias`, className: "num" },
          { header: "Vida útil mínima para expedição", cell: (m) => `${m.vida_util_minima_expedicao_dias} dias`, className: "num" },
        ]}
      />
    </Page>
  );
}

const MATERIAL_FIELDS = ["codigo", "nome", "tipo", "unidade", "prazo_validade_dias", "vida_util_minima_expedicao_dias"];

export function NewMaterialPage() {
  const navigate = useNavigate();
  const draft = useDraft<MaterialDraft>("material.novo", EMPTY_MATERIAL);
  const v = draft.values;
  const action = useAction((key: string, body: NonNullable<ReturnType<typeof validateMaterial>["body"]>) =>
    post<Material>("/v1/materiais", body, { idempotencyKey: key }),
  );
  // Errors found before sending, shown beside their fields as the server's would be.
  const [local, setLocal] = useState<Record<string, string>>({});
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const { body, errors } = validateMaterial(v);
    setLocal(errors);
    if (!body) return;
    const created = await action.run(body);
    if (created) {
      draft.clear();
      navigate(materialPath(created.codigo), { state: { criado: true } });
    }
  };
  // A code already used is the code field's problem.
  const taken = action.error instanceof ApiError && action.error.slug === "conflito";
  const err = (campo: string) =>
    fieldError(action.error, campo, local) ?? (campo === "codigo" && taken ? "Já existe um material com este código." : undefined);
  return (
    <Page title="Cadastrar material" back={{ to: "/materiais", label: "Materiais" }}>
      <form onSubmit={submit} noValidate>
        <Section title="Dados do material">
          <div className="form-grid">
            <TextField label="Código" name="codigo" value={v.codigo} onChange={(x) => draft.set("codigo", x)} required maxLength={64} error={err("codigo")} hint="Único e permanente; letras, dígitos, “-”, “_” e “.”" />
            <TextField label="Nome" name="nome" value={v.nome} onChange={(x) => draft.set("nome", x)} required maxLength={200} error={err("nome")} />
            <SelectField label="Tipo" name="tipo" value={v.tipo} onChange={(x) => draft.set("tipo", x)} placeholder="Escolha…" options={statusOptions(["insumo", "produto"])} required error={err("tipo")} />
            <TextField label="Unidade" name="unidade" value={v.unidade} onChange={(x) => draft.set("unidade", x)} required maxLength={20} error={err("unidade")} hint="Por exemplo kg, L, un" />
            <TextField label="Prazo de validade (dias)" name="prazo_validade_dias" inputMode="numeric" value={v.prazo} onChange={(x) => draft.set("prazo", x)} required error={err("prazo_validade_dias")} hint="A validade de um lote produzido é a fabricação mais este prazo." />
            <TextField label="Vida útil mínima para expedição (dias)" name="vida_util_minima_expedicao_dias" inputMode="numeric" value={v.vidaUtil} onChange={(x) => draft.set("vidaUtil", x)} required error={err("vida_util_minima_expedicao_dias")} hint="Validade que um lote ainda precisa ter para ser expedido; menor que o prazo." />
          </div>
        </Section>
        <ActProblem
          error={action.error}
          shownFields={MATERIAL_FIELDS}
          words={{ conflito: "Códigos de material são únicos e nunca mudam: escolha outro código." }}
        />
        <div className="actions">
          <Button type="submit" kind="primary" pending={action.pending}>Cadastrar material</Button>
          <Button onClick={() => { draft.clear(); setLocal({}); action.reset(); }}>Limpar formulário</Button>
        </div>
      </form>
    </Page>
  );
}

export function MaterialPage() {
  const { codigo = "" } = useParams();
  const { can } = useSession();
  const location = useLocation();
  const criado = (location.state as { criado?: boolean } | null)?.criado;
  const material = useLoad(() => get<Material>(`/v1/materiais/${encodeURIComponent(codigo)}`), [codigo]);
  const saldos = usePaged<Saldo>("/v1/estoque/saldos", { material: codigo });
  return (
    <Page
      title={`Material ${codigo}`}
      back={{ to: "/materiais", label: "Materiais" }}
      actions={can("receive") ? <ButtonLink to={`/recebimentos/novo?material=${encodeURIComponent(codigo)}`} kind="primary">Receber lote</ButtonLink> : null}
    >
      {criado ? <Notice tone="success">Material cadastrado. Ele já pode ser recebido e usado em receitas.</Notice> : null}
      <Await loaded={material}>
        {(m) => (
          <Section title="Cadastro">
            <Facts
              items={[
                ["Código", <span className="mono">{m.codigo}</span>],
                ["Nome", m.nome],
                ["Tipo", statusLabel(m.tipo)],
                ["Unidade", m.unidade],
                ["Prazo de validade", `${m.prazo_validade_dias} dias`],
                ["Vida útil mínima para expedição", `${m.vida_util_minima_expedicao_dias} dias`],
                ["Cadastrado em", formatInstant(m.criado_em)],
              ]}
            />
          </Section>
        )}
      </Await>
      <Section title="Lotes em estoque (ordem FEFO)">
        <SaldosTable paged={saldos} caption={`Lotes de ${codigo} com saldo, na ordem em que saem`} showMaterial={false} />
      </Section>
    </Page>
  );
}
