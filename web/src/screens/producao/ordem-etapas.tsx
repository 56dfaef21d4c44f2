// The steps of an order in recipe order: the recorded ones with their values (who, when, the
// flagged ones marked), the next one as the only form, the later ones waiting their turn.
import { useState } from "react";
import { useReloadOnConflict } from "./conflict";
import { post } from "../../api/client";
import { decimalToJson, formatInstant, formatNumber } from "../../lib/format";
import { Button, ProblemAlert, Table } from "../../ui/components";
import { fieldError, NumberField, TextArea } from "../../ui/fields";
import { useAction, useDraft } from "../../ui/hooks";
import { limitsText } from "./decimal";
import { checkStep, nextStep, stepsInOrder, type StepValues } from "./ordem-logic";
import type { EtapaOp, OrdemProducao, Parametro, Registro } from "./types";

export function Etapas({ op, canRecord, blocked, onRecorded, onConflict }: {
  op: OrdemProducao;
  canRecord: boolean; // running, not blocked, and the person may record
  blocked: boolean;
  onRecorded: (r: Registro, etapa: EtapaOp) => void;
  onConflict: () => void;
}) {
  const next = nextStep(op);
  const steps = stepsInOrder(op);
  if (steps.length === 0) return <p className="empty">A receita desta ordem não tem etapas.</p>;
  return (
    <ol className="etapas">
      {steps.map((e) => {
        const current = next?.ordem === e.ordem;
        const cls = e.registro ? "etapa" : current && !blocked ? "etapa etapa-atual" : "etapa etapa-aguardando";
        return (
          <li key={e.ordem} className={cls} id={`etapa-${e.ordem}`} aria-current={current ? "step" : undefined}>
            <h3>
              Etapa {e.ordem}: {e.nome} <StepState etapa={e} current={current} blocked={blocked} />
            </h3>
            {e.registro ? (
              <Recorded etapa={e} registro={e.registro} />
            ) : current && canRecord ? (
              <StepForm op={op} etapa={e} onRecorded={onRecorded} onConflict={onConflict} />
            ) : (
              <Limits etapa={e} waitingFor={current ? undefined : steps.find((s) => s.ordem < e.ordem && !s.registro)} />
            )}
          </li>
        );
      })}
    </ol>
  );
}

function StepState({ etapa, current, blocked }: { etapa: EtapaOp; current: boolean; blocked: boolean }) {
  if (etapa.registro) {
    return (
      <span className="etapa-estado etapa-estado-feita">
        ✓ Registrada{etapa.registro.sinalizado ? " — com valor fora dos limites" : ""}
      </span>
    );
  }
  if (current && blocked) return <span className="etapa-estado">Próxima — bloqueada pelo desvio</span>;
  if (current) return <span className="etapa-estado etapa-estado-atual">Próxima a registrar</span>;
  return <span className="etapa-estado">Aguardando</span>;
}

// The parameters of a step not yet recorded, with the range each must fall in.
function Limits({ etapa, waitingFor }: { etapa: EtapaOp; waitingFor?: EtapaOp }) {
  return (
    <>
      {waitingFor ? <p className="etapa-meta">Aguardando o registro da etapa {waitingFor.ordem} ({waitingFor.nome}).</p> : null}
      {etapa.parametros.length === 0 ? (
        <p className="etapa-meta">Sem parâmetros de processo.</p>
      ) : (
        <ul className="parametros-limites" aria-label={`Parâmetros da etapa ${etapa.ordem}`}>
          {etapa.parametros.map((p) => (
            <li key={p.nome}>
              <strong>{p.nome}</strong>
              {p.unidade ? ` (${p.unidade})` : ""}: {limitsText(p)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Recorded({ etapa, registro }: { etapa: EtapaOp; registro: Registro }) {
  const flagged = new Set(registro.fora_dos_limites.map((f) => f.parametro));
  const byName = new Map(etapa.parametros.map((p) => [p.nome, p]));
  const names = etapa.parametros.length ? etapa.parametros.map((p) => p.nome) : Object.keys(registro.parametros);
  return (
    <>
      <p className="etapa-meta">
        Registrada por <strong>{registro.registrado_por}</strong> em {formatInstant(registro.registrado_em)}
      </p>
      {names.length > 0 ? (
        <Table
          rows={names}
          rowKey={(n) => n}
          columns={[
            { header: "Parâmetro", cell: (n) => n },
            { header: "Valor", cell: (n) => formatNumber(registro.parametros[n], byName.get(n)?.unidade ?? undefined), className: "num" },
            { header: "Faixa aceita", cell: (n) => (byName.get(n) ? limitsText(byName.get(n)!) : "—") },
            {
              header: "Situação",
              cell: (n) => (flagged.has(n) ? <span className="fora-limite">Fora dos limites</span> : "Dentro dos limites"),
            },
          ]}
        />
      ) : (
        <p className="etapa-meta">Sem parâmetros de processo.</p>
      )}
      {registro.motivo ? (
        <p>
          <strong>Motivo:</strong> {registro.motivo}
        </p>
      ) : null}
      {registro.observacao ? (
        <p>
          <strong>Observação:</strong> {registro.observacao}
        </p>
      ) : null}
    </>
  );
}

interface StepDraft extends Record<string, unknown> {
  valores: StepValues;
  motivo: string;
  observacao: string;
}

interface StepBody {
  parametros: Record<string, number>;
  observacao: string | null;
  motivo?: string;
}

function hintFor(p: Parametro, typedOut: boolean) {
  const range = limitsText(p);
  if (typedOut) return <span className="fora-limite">Fora dos limites: a faixa aceita é {range}.</span>;
  const unit = p.unidade ? `em ${p.unidade}; ` : "";
  return `${unit}faixa aceita: ${range}; use vírgula para decimais`;
}

// The form of the step to record now. A value out of its limits is said at once, next to the
// field, and the motivo the service requires for it appears and is required before sending.
function StepForm({ op, etapa, onRecorded, onConflict }: {
  op: OrdemProducao;
  etapa: EtapaOp;
  onRecorded: (r: Registro, etapa: EtapaOp) => void;
  onConflict: () => void;
}) {
  const draft = useDraft<StepDraft>(`op.${op.id}.etapa.${etapa.ordem}`, { valores: {}, motivo: "", observacao: "" });
  const d = draft.values;
  const [submitted, setSubmitted] = useState(false);
  const action = useAction((key: string, body: StepBody) =>
    post<Registro>(`/v1/ordens-producao/${op.id}/etapas/${etapa.ordem}/registros`, body, { idempotencyKey: key }),
  );
  const check = checkStep(etapa.parametros, d.valores, d.motivo);
  const out = new Set(check.outOfLimits);
  const needsMotivo = out.size > 0;
  // While typing: a value that does not read as a number; on submit: everything.
  const local: Record<string, string> = {};
  for (const [campo, mensagem] of Object.entries(check.errors)) {
    const typed = campo.startsWith("parametros.") && (d.valores[campo.slice(11)] ?? "").trim() !== "";
    if (submitted || typed) local[campo] = mensagem;
  }
  const err = (campo: string) => fieldError(action.error, campo, local);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(check.errors).length > 0) {
      const first = Object.keys(check.errors)[0]!;
      setTimeout(() => document.querySelector<HTMLElement>(`#etapa-${etapa.ordem} [name="${CSS.escape(first)}"]`)?.focus(), 0);
      return;
    }
    const body: StepBody = {
      parametros: Object.fromEntries(Object.entries(check.parametros).map(([k, v]) => [k, decimalToJson(v)])),
      observacao: d.observacao.trim() || null,
    };
    if (needsMotivo) body.motivo = d.motivo.trim();
    const registro = await action.run(body);
    if (registro) {
      draft.clear();
      onRecorded(registro, etapa);
    }
  };
  useReloadOnConflict(action.error, onConflict);

  return (
    <form onSubmit={submit} noValidate aria-label={`Registrar etapa ${etapa.ordem}: ${etapa.nome}`}>
      {etapa.parametros.length === 0 ? <p className="etapa-meta">Esta etapa não tem parâmetros: registre a sua execução.</p> : null}
      <div className="form-grid">
        {etapa.parametros.map((p) => {
          const typed = d.valores[p.nome] ?? "";
          return (
            <NumberField
              key={p.nome}
              label={p.nome}
              name={`parametros.${p.nome}`}
              required
              value={typed}
              onChange={(v) => draft.set("valores", { ...d.valores, [p.nome]: v })}
              error={err(`parametros.${p.nome}`)}
              hint={hintFor(p, out.has(p.nome))}
            />
          );
        })}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {needsMotivo ? `Valor fora dos limites em ${check.outOfLimits.join(", ")}: informe o motivo.` : ""}
      </p>
      {needsMotivo ? (
        <TextArea
          label="Motivo do valor fora dos limites"
          name="motivo"
          required
          value={d.motivo}
          onChange={(v) => draft.set("motivo", v)}
          error={err("motivo")}
          hint="Obrigatório: o valor será registrado e sinalizado no registro do lote."
        />
      ) : null}
      <TextArea label="Observação" name="observacao" value={d.observacao} onChange={(v) => draft.set("observacao", v)} error={err("observacao")} hint="Opcional." />
      <ProblemAlert
        error={action.error}
        shownFields={[...etapa.parametros.map((p) => `parametros.${p.nome}`), "observacao", ...(needsMotivo ? ["motivo"] : [])]}
      />
      <div className="actions">
        <Button type="submit" kind="primary" pending={action.pending}>
          Registrar etapa {etapa.ordem}
        </Button>
      </div>
    </form>
  );
}
