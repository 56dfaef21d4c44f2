// A new recipe, or the next version of one: the product, the version, the steps with their
// process parameters and limits, and the insumos per unit. Kept as a draft while typed; once
// saved it can never be changed.
import { useEffect, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { post } from "../../api/client";
import { Await, Button, ButtonLink, Notice, Page, ProblemAlert, Section } from "../../ui/components";
import { fieldError, NumberField, SelectField, TextField } from "../../ui/fields";
import { useAction, useDraft, useGet } from "../../ui/hooks";
import { materialOptions, unitOf, useMateriais, useReceitasDe } from "./catalogo";
import {
  buildReceita,
  draftFrom,
  emptyEtapa,
  emptyInsumo,
  emptyParametro,
  emptyReceita,
  liveErrors,
  type EtapaDraft,
  type InsumoDraft,
  type ParametroDraft,
  type ReceitaBody,
  type ReceitaDraft,
} from "./receita-logic";
import type { Receita } from "./types";
import "./producao.css";

// Focus a field the person just added (by its name, which is the API's field path).
function focusField(name: string) {
  setTimeout(() => document.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`)?.focus(), 0);
}

export function ReceitaNovaPage() {
  const [params] = useSearchParams();
  const de = params.get("de") ?? "";
  const source = useGet<Receita>(de ? `/v1/receitas/${encodeURIComponent(de)}` : null);
  if (de) {
    return (
      <Page title="Nova versão de receita" back={{ to: `/receitas/${de}`, label: "Receita de origem" }}>
        <Await loaded={source}>
          {(r) => <ReceitaForm draftKey={`receita.${de}.nova-versao`} source={r} versao={Number(params.get("versao")) || r.versao + 1} />}
        </Await>
      </Page>
    );
  }
  return (
    <Page title="Nova receita" back={{ to: "/receitas", label: "Receitas" }}>
      <ReceitaForm draftKey="receita.nova" />
    </Page>
  );
}

function ReceitaForm({ draftKey, source, versao }: { draftKey: string; source?: Receita; versao?: number }) {
  const navigate = useNavigate();
  const draft = useDraft<ReceitaDraft>(draftKey, emptyReceita());
  const d = draft.values;
  const produtos = useMateriais("produto");
  const insumos = useMateriais("insumo");
  const versoes = useReceitasDe(d.produto);
  const [submitted, setSubmitted] = useState(false);

  // A new version starts as a copy of the one it comes from (once: later edits stay).
  useEffect(() => {
    if (source && d.de !== source.id) draft.replace(draftFrom(source, versao ?? source.versao + 1));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source?.id]);

  const action = useAction((key: string, body: ReceitaBody) => post<Receita>("/v1/receitas", body, { idempotencyKey: key }));
  const built = buildReceita(d);
  const existentes = (versoes.data ?? []).map((v) => v.versao);
  const local: Record<string, string> = submitted ? { ...built.errors } : liveErrors(d);
  if (existentes.includes(Number(d.versao))) {
    local.versao = `A versão ${d.versao} já existe e não pode ser alterada: use a versão ${Math.max(...existentes) + 1}.`;
  }
  const err = (campo: string) => fieldError(action.error, campo, local);

  const setEtapas = (etapas: EtapaDraft[]) => draft.set("etapas", etapas);
  const setEtapa = (i: number, patch: Partial<EtapaDraft>) => setEtapas(d.etapas.map((e, k) => (k === i ? { ...e, ...patch } : e)));
  const setParametro = (i: number, j: number, patch: Partial<ParametroDraft>) =>
    setEtapa(i, { parametros: d.etapas[i]!.parametros.map((p, k) => (k === j ? { ...p, ...patch } : p)) });
  const setInsumos = (list: InsumoDraft[]) => draft.set("insumos", list);
  const setInsumo = (i: number, patch: Partial<InsumoDraft>) => setInsumos(d.insumos.map((x, k) => (k === i ? { ...x, ...patch } : x)));

  const shownFields = [
    "produto", "versao", "etapas", "insumos",
    ...d.etapas.flatMap((e, i) => [
      `etapas[${i}].nome`, `etapas[${i}].ordem`,
      ...e.parametros.flatMap((_, j) => ["nome", "unidade", "minimo", "maximo"].map((f) => `etapas[${i}].parametros[${j}].${f}`)),
    ]),
    ...d.insumos.flatMap((_, i) => [`insumos[${i}].material`, `insumos[${i}].quantidade_por_unidade`]),
  ];

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!built.body || local.versao) {
      focusField(Object.keys(local)[0] ?? "produto");
      return;
    }
    const created = await action.run(built.body);
    if (created) {
      draft.clear();
      navigate(`/receitas/${created.id}`, { state: { criada: true } });
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Notice>
        Uma versão de receita é imutável: depois de criada, não pode ser alterada. Confira etapas, limites e insumos
        antes de criar; para mudar depois, crie a próxima versão.
      </Notice>
      <Section title="Produto e versão">
        <div className="form-grid">
          <SelectField
            label="Produto"
            name="produto"
            required
            value={d.produto}
            onChange={(v) => draft.set("produto", v)}
            options={materialOptions(produtos.data?.list ?? [])}
            placeholder={produtos.loading ? "Carregando produtos…" : "Escolha o produto"}
            error={err("produto")}
            disabled={!!source}
          />
          <TextField
            label="Versão"
            name="versao"
            required
            inputMode="numeric"
            value={d.versao}
            onChange={(v) => draft.set("versao", v)}
            error={err("versao")}
            hint={existentes.length ? `Versões existentes: ${[...existentes].sort((a, b) => a - b).join(", ")}.` : "Número inteiro, a partir de 1."}
          />
        </div>
        <ProblemAlert error={produtos.error ?? insumos.error} />
      </Section>

      <Section title="Etapas">
        {err("etapas") ? <p className="field-error">{err("etapas")}</p> : null}
        <div className="linhas">
          {d.etapas.map((etapa, i) => (
            <fieldset key={i} className="linha">
              <legend>Etapa {i + 1}</legend>
              <TextField
                label="Nome da etapa"
                name={`etapas[${i}].nome`}
                required
                value={etapa.nome}
                onChange={(v) => setEtapa(i, { nome: v })}
                error={err(`etapas[${i}].nome`) ?? err(`etapas[${i}].ordem`)}
                maxLength={200}
              />
              {etapa.parametros.length === 0 ? <p className="muted">Sem parâmetros de processo.</p> : null}
              <div className="linhas">
                {etapa.parametros.map((p, j) => {
                  const path = `etapas[${i}].parametros[${j}]`;
                  return (
                    <fieldset key={j} className="linha">
                      <legend>Parâmetro {j + 1}</legend>
                      <div className="linha-campos">
                        <TextField label="Nome" name={`${path}.nome`} required value={p.nome} onChange={(v) => setParametro(i, j, { nome: v })} error={err(`${path}.nome`)} maxLength={100} />
                        <TextField label="Unidade" name={`${path}.unidade`} value={p.unidade} onChange={(v) => setParametro(i, j, { unidade: v })} error={err(`${path}.unidade`)} hint="opcional; ex.: °C, min, rpm" maxLength={40} />
                        <NumberField label="Mínimo" name={`${path}.minimo`} value={p.minimo} onChange={(v) => setParametro(i, j, { minimo: v })} error={err(`${path}.minimo`)} hint="opcional; use vírgula para decimais" />
                        <NumberField label="Máximo" name={`${path}.maximo`} value={p.maximo} onChange={(v) => setParametro(i, j, { maximo: v })} error={err(`${path}.maximo`)} hint="opcional; use vírgula para decimais" />
                      </div>
                      <div className="linha-acoes">
                        <Button kind="link" onClick={() => setEtapa(i, { parametros: etapa.parametros.filter((_, k) => k !== j) })}>
                          Remover parâmetro {j + 1} da etapa {i + 1}
                        </Button>
                      </div>
                    </fieldset>
                  );
                })}
              </div>
              <div className="linha-acoes">
                <Button
                  onClick={() => {
                    setEtapa(i, { parametros: [...etapa.parametros, emptyParametro()] });
                    focusField(`etapas[${i}].parametros[${etapa.parametros.length}].nome`);
                  }}
                >
                  Adicionar parâmetro à etapa {i + 1}
                </Button>
                {d.etapas.length > 1 ? (
                  <Button kind="danger" onClick={() => setEtapas(d.etapas.filter((_, k) => k !== i))}>
                    Remover etapa {i + 1}
                  </Button>
                ) : null}
              </div>
            </fieldset>
          ))}
        </div>
        <Button
          onClick={() => {
            setEtapas([...d.etapas, emptyEtapa()]);
            focusField(`etapas[${d.etapas.length}].nome`);
          }}
        >
          Adicionar etapa
        </Button>
      </Section>

      <Section title="Insumos por unidade produzida">
        {err("insumos") ? <p className="field-error">{err("insumos")}</p> : null}
        <div className="linhas">
          {d.insumos.map((ins, i) => (
            <fieldset key={i} className="linha">
              <legend>Insumo {i + 1}</legend>
              <div className="linha-campos">
                <SelectField
                  label="Material"
                  name={`insumos[${i}].material`}
                  required
                  value={ins.material}
                  onChange={(v) => setInsumo(i, { material: v })}
                  options={materialOptions(insumos.data?.list ?? [])}
                  placeholder={insumos.loading ? "Carregando insumos…" : "Escolha o insumo"}
                  error={err(`insumos[${i}].material`)}
                />
                <NumberField
                  label="Quantidade por unidade"
                  name={`insumos[${i}].quantidade_por_unidade`}
                  required
                  value={ins.quantidade}
                  onChange={(v) => setInsumo(i, { quantidade: v })}
                  unit={unitOf(ins.material, insumos.data)}
                  error={err(`insumos[${i}].quantidade_por_unidade`)}
                />
              </div>
              {d.insumos.length > 1 ? (
                <div className="linha-acoes">
                  <Button kind="link" onClick={() => setInsumos(d.insumos.filter((_, k) => k !== i))}>
                    Remover insumo {i + 1}
                  </Button>
                </div>
              ) : null}
            </fieldset>
          ))}
        </div>
        <Button
          onClick={() => {
            setInsumos([...d.insumos, emptyInsumo()]);
            focusField(`insumos[${d.insumos.length}].material`);
          }}
        >
          Adicionar insumo
        </Button>
      </Section>

      <ProblemAlert error={action.error} shownFields={shownFields} />
      <div className="actions">
        <Button type="submit" kind="primary" pending={action.pending}>
          Criar receita
        </Button>
        <ButtonLink to={source ? `/receitas/${source.id}` : "/receitas"}>Voltar</ButtonLink>
        <Button
          kind="link"
          onClick={() => {
            draft.clear();
            setSubmitted(false);
            action.reset();
            if (source) draft.replace(draftFrom(source, versao ?? source.versao + 1));
          }}
        >
          Descartar rascunho
        </Button>
      </div>
    </form>
  );
}
