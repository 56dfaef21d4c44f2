// Every ensaio of a sample's specification on one screen: one row each, with its limits or
// expected value, the current result and the new value. Tab (or Enter) goes row to row; one
// "Salvar resultados" sends each value as its own result and shows, per row, what the server
// computed. A value that replaces a current result is a correction and needs a motivo.
import { useRef, useState } from "react";
import { ApiError, post } from "../../api/client";
import { newUuid } from "../../auth/pkce";
import { formatInstant } from "../../lib/format";
import { Button, Notice, ProblemAlert, Table, type Column } from "../../ui/components";
import { TextArea } from "../../ui/fields";
import { useAction, useDraft } from "../../ui/hooks";
import type { Amostra, Ensaio, Especificacao, Resultado, ResultadoRegistrado } from "./api";
import {
  checkResults,
  isQualitative,
  limitsText,
  NOT_CONFORMING,
  OTHER,
  valorText,
  type ResultPost,
  type RowInput,
} from "./logic";
import { CellInput, CellSelect, Conformity } from "./widgets";

interface Outcome {
  saved: ResultadoRegistrado[];
  failed: Record<string, string>; // by ensaio
}

// A failed row's message, in the words the server gave for it.
function rowMessage(e: unknown): string {
  if (e instanceof ApiError) return e.fieldError("valor") ?? e.fieldError("ensaio") ?? e.fieldError("motivo") ?? (e.detail || e.title);
  return (e as Error).message ?? String(e);
}

// A definite answer (4xx but "still running") means the row had no effect: a new try is a
// new act. Otherwise the same row sent again reuses its key, so it is never entered twice.
function definite(e: unknown): boolean {
  return e instanceof ApiError && e.status >= 400 && e.status < 500 && e.slug !== "idempotency-key-em-uso";
}

export function ResultadosForm({ amostra: a, spec, onSaved }: { amostra: Amostra; spec: Especificacao; onSaved: () => void }) {
  const draft = useDraft(`amostra.${a.id}.resultados`, { valores: {} as Record<string, RowInput>, motivo: "" });
  const [local, setLocal] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>();
  const keys = useRef(new Map<string, string>());
  const saveButton = useRef<HTMLDivElement>(null);
  const current = new Map(a.resultados.map((r) => [r.ensaio, r]));

  const setRow = (codigo: string, patch: Partial<RowInput>) => {
    const old = draft.values.valores[codigo] ?? { valor: "" };
    draft.set("valores", { ...draft.values.valores, [codigo]: { ...old, ...patch } });
  };

  const action = useAction(async (_key: string, posts: ResultPost[]): Promise<Outcome> => {
    const out: Outcome = { saved: [], failed: {} };
    for (const body of posts) {
      const id = JSON.stringify(body);
      const key = keys.current.get(id) ?? newUuid();
      keys.current.set(id, key);
      try {
        out.saved.push(await post<ResultadoRegistrado>(`/v1/amostras/${a.id}/resultados`, body, { idempotencyKey: key }));
        keys.current.delete(id);
      } catch (e) {
        if (definite(e)) keys.current.delete(id);
        out.failed[body.ensaio] = rowMessage(e);
      }
    }
    return out;
  });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const check = checkResults(spec.ensaios, draft.values.valores, a.resultados, draft.values.motivo);
    if (Object.keys(check.errors).length === 0 && check.posts.length === 0) {
      check.errors.form = "Nada a salvar: digite ao menos um valor novo.";
    }
    setLocal(check.errors);
    if (Object.keys(check.errors).length > 0) return;
    const result = await action.run(check.posts);
    if (!result) return;
    setOutcome(result);
    // What was saved leaves the draft; what failed stays there to be fixed.
    const valores = { ...draft.values.valores };
    for (const r of result.saved) delete valores[r.ensaio];
    const left = Object.keys(result.failed).length > 0;
    draft.replace({ valores, motivo: left ? draft.values.motivo : "" });
    if (!left) keys.current.clear();
    if (result.saved.length > 0) onSaved();
  };

  // Enter moves to the next row's value (and from the last row to the save button).
  const next = (e: React.KeyboardEvent<HTMLElement>) => {
    e.preventDefault();
    const table = (e.currentTarget as HTMLElement).closest(".results-table");
    if (!table) return;
    const fields = Array.from(table.querySelectorAll<HTMLElement>("input, select"));
    const i = fields.indexOf(e.currentTarget as HTMLElement);
    const target = fields[i + 1] ?? saveButton.current?.querySelector<HTMLElement>("button");
    target?.focus();
  };

  const justSaved = new Map((outcome?.saved ?? []).map((r) => [r.ensaio, r]));
  const errorOf = (codigo: string) => local[codigo] ?? outcome?.failed[codigo];
  const corrections = spec.ensaios.filter((e) => current.has(e.codigo) && (draft.values.valores[e.codigo]?.valor ?? "") !== "");

  const columns: Column<Ensaio>[] = [
    {
      header: "Ensaio",
      cell: (e) => (
        <span>
          <strong>{e.nome}</strong> <span className="muted">({e.codigo})</span>
        </span>
      ),
    },
    { header: "Especificação", cell: (e) => (isQualitative(e) ? <span>Esperado: {limitsText(e)}</span> : limitsText(e)) },
    {
      header: "Resultado atual",
      cell: (e) => <CurrentResult resultado={current.get(e.codigo)} ensaio={e} saved={justSaved.has(e.codigo)} />,
    },
    {
      header: "Novo valor",
      className: "entry",
      cell: (e) => {
        const row = draft.values.valores[e.codigo] ?? { valor: "" };
        const label = `Valor de ${e.nome} (${e.codigo})`;
        if (!isQualitative(e)) {
          return (
            <CellInput
              label={label + (e.unidade ? `, em ${e.unidade}` : "")}
              name={`valor-${e.codigo}`}
              inputMode="decimal"
              value={row.valor}
              onChange={(v) => setRow(e.codigo, { valor: v })}
              onEnter={next}
              error={errorOf(e.codigo)}
            />
          );
        }
        const options = [
          { value: "", label: "—" },
          { value: e.esperado!, label: e.esperado! },
          { value: NOT_CONFORMING, label: NOT_CONFORMING },
          { value: OTHER, label: "Outro (descrever)…" },
        ];
        return (
          <>
            <CellSelect
              label={label}
              name={`valor-${e.codigo}`}
              value={row.valor}
              options={options}
              onChange={(v) => setRow(e.codigo, { valor: v })}
              onEnter={next}
              error={row.valor === OTHER ? undefined : errorOf(e.codigo)}
            />
            {row.valor === OTHER ? (
              <CellInput
                label={`Valor observado de ${e.nome} (${e.codigo})`}
                name={`outro-${e.codigo}`}
                value={row.outro ?? ""}
                onChange={(v) => setRow(e.codigo, { outro: v })}
                onEnter={next}
                error={errorOf(e.codigo)}
                maxLength={200}
              />
            ) : null}
          </>
        );
      },
    },
  ];

  const savedCount = outcome?.saved.length ?? 0;
  const failedCount = Object.keys(outcome?.failed ?? {}).length;
  const nonConforming = outcome?.saved.filter((r) => !r.conforme).length ?? 0;
  return (
    <form onSubmit={submit} noValidate className="results-form">
      {a.especificacao_versao ? (
        <p className="muted">Especificação versão {a.especificacao_versao}.</p>
      ) : (
        <p className="muted">
          O primeiro resultado vincula a amostra à versão {spec.versao} da especificação (a atual).
        </p>
      )}
      <div className="results-table">
        <Table columns={columns} rows={spec.ensaios} rowKey={(e) => e.codigo} caption="Ensaios da especificação" />
      </div>
      {corrections.length > 0 ? (
        <TextArea
          label="Motivo da correção"
          name="motivo"
          required
          hint={`Substitui o resultado atual de ${corrections.map((e) => e.codigo).join(", ")}; o anterior fica no histórico.`}
          value={draft.values.motivo}
          onChange={(v) => draft.set("motivo", v)}
          error={local.motivo}
        />
      ) : null}
      {local.form ? <p className="field-error">{local.form}</p> : null}
      {outcome && savedCount > 0 ? (
        <Notice tone={nonConforming > 0 ? "warning" : "success"}>
          {savedCount} {savedCount === 1 ? "resultado salvo" : "resultados salvos"}:{" "}
          {savedCount - nonConforming} {savedCount - nonConforming === 1 ? "conforme" : "conformes"}, {nonConforming}{" "}
          {nonConforming === 1 ? "não conforme" : "não conformes"}.
        </Notice>
      ) : null}
      {failedCount > 0 ? (
        <div className="alert alert-error" role="alert">
          {failedCount === 1 ? "Um valor não foi aceito" : `${failedCount} valores não foram aceitos`}: veja a mensagem em cada
          linha.
        </div>
      ) : null}
      <ProblemAlert error={action.error} />
      <div className="actions" ref={saveButton}>
        <Button type="submit" kind="primary" pending={action.pending}>
          Salvar resultados
        </Button>
      </div>
      <History resultados={a.historico_resultados} ensaios={spec.ensaios} />
    </form>
  );
}

function CurrentResult({ resultado, ensaio, saved }: { resultado: Resultado | undefined; ensaio: Ensaio; saved: boolean }) {
  if (!resultado) return <span className="muted">—</span>;
  return (
    <span className="current-result">
      <span className="result-value">{valorText(resultado.valor, ensaio.unidade)}</span> <Conformity conforme={resultado.conforme} />
      {saved ? <span className="muted"> salvo agora</span> : null}
    </span>
  );
}

// The results as they stand, for whoever reads the sample (and after the laudo).
export function ResultadosView({ amostra: a, spec }: { amostra: Amostra; spec: Especificacao | null }) {
  const ensaios = spec?.ensaios ?? [];
  const current = new Map(a.resultados.map((r) => [r.ensaio, r]));
  if (ensaios.length === 0 && a.resultados.length === 0) return <p className="muted">Nenhum resultado registrado.</p>;
  const columns: Column<Ensaio>[] = [
    {
      header: "Ensaio",
      cell: (e) => (
        <span>
          <strong>{e.nome}</strong> <span className="muted">({e.codigo})</span>
        </span>
      ),
    },
    { header: "Especificação", cell: (e) => limitsText(e) },
    { header: "Resultado", cell: (e) => <CurrentResult resultado={current.get(e.codigo)} ensaio={e} saved={false} /> },
    {
      header: "Registrado por",
      cell: (e) => {
        const r = current.get(e.codigo);
        return r ? `${r.registrado_por.nome}, ${formatInstant(r.registrado_em)}` : "—";
      },
    },
  ];
  return (
    <>
      <Table columns={columns} rows={ensaios} rowKey={(e) => e.codigo} caption="Resultados por ensaio" />
      <History resultados={a.historico_resultados} ensaios={ensaios} />
    </>
  );
}

// Corrections keep every earlier result: shown when there are any.
function History({ resultados, ensaios }: { resultados: Resultado[]; ensaios: Ensaio[] }) {
  const corrected = new Set(resultados.filter((r) => r.motivo).map((r) => r.ensaio));
  if (corrected.size === 0) return null;
  const unit = (codigo: string) => ensaios.find((e) => e.codigo === codigo)?.unidade;
  const columns: Column<Resultado>[] = [
    { header: "Ensaio", cell: (r) => r.ensaio },
    { header: "Valor", cell: (r) => valorText(r.valor, unit(r.ensaio)) },
    { header: "Conformidade", cell: (r) => <Conformity conforme={r.conforme} /> },
    { header: "Motivo", cell: (r) => r.motivo ?? "—" },
    { header: "Registrado", cell: (r) => `${r.registrado_por.nome}, ${formatInstant(r.registrado_em)}` },
  ];
  return (
    <details className="history">
      <summary>Histórico de resultados ({resultados.length})</summary>
      <Table
        columns={columns}
        rows={resultados.filter((r) => corrected.has(r.ensaio))}
        rowKey={(r) => r.id}
        caption="Resultados corrigidos e os anteriores"
      />
    </details>
  );
}

