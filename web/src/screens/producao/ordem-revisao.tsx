// "Revisão do registro de lote" on the order's page (RULES G1, review by exception): for
// everyone, the exceptions of the record as it stands — values out of the recipe's limits with
// their motivo, desvios, steps recorded after the lot — and, once reviewed, who reviewed it,
// when, how many exceptions it listed and the signature. For the QC analyst, while the order is
// concluded and not reviewed, the observação and the signed review; what keeps it from being
// signed is said before the password is asked.
import { useEffect, useState } from "react";
import { Link, useLocation } from "react-router-dom";
import { get, post } from "../../api/client";
import { ApiError } from "../../api/problem";
import { formatInstant } from "../../lib/format";
import { Button, Facts, ProblemAlert, Section, Table } from "../../ui/components";
import { TextArea } from "../../ui/fields";
import { useDraft, useLoad } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { Signatures, SignatureDialog, type SignatureRequest } from "../../ui/signature";
import { excecaoLabel, excecoesText, reviewBlockers, revisaoProblem } from "./revisao-logic";
import type { Excecao, OrdemProducao } from "./types";

const OBSERVACAO_MAX = 4000;

export function RevisaoDoRegistro({ op, onReviewed, onConflict }: {
  op: OrdemProducao;
  onReviewed: (message: string) => void;
  onConflict: () => void;
}) {
  const { can, me } = useSession();
  const location = useLocation();
  // Read again whenever the order changes (a step, a desvio, the review itself).
  const excecoes = useLoad(
    () => get<{ items: Excecao[] }>(`/v1/ordens-producao/${encodeURIComponent(op.id)}/excecoes`),
    [op.id, op.versao, op.status, op.desvios_abertos, op.revisao?.revisado_em ?? null],
  );

  // "Minhas tarefas" links here (#revisao): the section takes focus.
  useEffect(() => {
    if (location.hash !== "#revisao") return;
    const t = setTimeout(() => {
      const heading = document.querySelector<HTMLElement>("#revisao h2");
      if (!heading) return;
      heading.tabIndex = -1;
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }, 50);
    return () => clearTimeout(t);
  }, [location.hash]);

  const items = excecoes.data?.items ?? [];
  const reviewer = can("reviewBatchRecord");
  const blockers = reviewBlockers(op, me?.username);
  return (
    <div id="revisao">
      <Section title="Revisão do registro de lote">
        <p className="muted">
          Revisão por exceção: abaixo só o que fugiu da receita; todo o restante do registro está como a receita exige.
        </p>
        <ProblemAlert error={excecoes.error} />
        {excecoes.data === undefined && !excecoes.error ? (
          <p className="loading" role="status">Carregando as exceções…</p>
        ) : null}
        {excecoes.data ? (
          <Table
            caption="Exceções do registro de lote"
            rows={items}
            rowKey={(e) => e.tipo + e.referencia}
            empty="Nenhuma exceção: o registro está como a receita exige."
            columns={[
              { header: "Tipo", cell: (e) => <strong className={e.tipo === "desvio" ? undefined : "fora-limite"}>{excecaoLabel(e.tipo)}</strong> },
              { header: "Etapa", cell: (e) => (e.etapa === null ? "—" : `Etapa ${e.etapa}`) },
              {
                header: "Descrição",
                cell: (e) =>
                  e.referencia.startsWith("desvio:") ? (
                    <Link to={`/desvios/${encodeURIComponent(e.referencia.slice("desvio:".length))}`}>{e.descricao}</Link>
                  ) : (
                    e.descricao
                  ),
              },
              { header: "Registrado por", cell: (e) => `${e.registrado_por} em ${formatInstant(e.registrado_em)}` },
              { header: "Motivo", cell: (e) => e.motivo ?? "—" },
            ]}
          />
        ) : null}

        {op.revisao ? (
          <div className="revisao-feita">
            <h3>Revisado</h3>
            <Facts
              items={[
                ["Revisado por", `${op.revisao.revisado_por_nome} (${op.revisao.revisado_por})`],
                ["Revisado em", formatInstant(op.revisao.revisado_em, true)],
                ["Exceções na revisão", excecoesText(op.revisao.excecoes)],
                ["Observação", <span key="o" className="prewrap">{op.revisao.observacao || "—"}</span>],
              ]}
            />
            <Signatures items={[op.revisao.assinatura]} />
          </div>
        ) : op.status === "cancelada" ? (
          <p className="muted">Ordem cancelada: o registro de lote não é revisado.</p>
        ) : reviewer && blockers.length === 0 ? (
          <RevisarForm op={op} count={items.length} onDone={onReviewed} onConflict={onConflict} />
        ) : reviewer ? (
          <div className="conclusao-motivos" id="revisao-motivos">
            <p>Ainda não é possível assinar a revisão:</p>
            <ul>
              {blockers.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="muted">
            {op.status === "concluida"
              ? "Não revisado: aguarda a revisão assinada pela Qualidade, que vem antes da aprovação do lote."
              : "Não revisado: a Qualidade revisa o registro de lote depois de concluída a ordem."}
          </p>
        )}
      </Section>
    </div>
  );
}

function RevisarForm({ op, count, onDone, onConflict }: {
  op: OrdemProducao;
  count: number;
  onDone: (message: string) => void;
  onConflict: () => void;
}) {
  const draft = useDraft(`op.${op.id}.revisao`, { observacao: "" });
  const [local, setLocal] = useState<string>();
  const [request, setRequest] = useState<SignatureRequest | null>(null);
  // The last refusal, kept in the form once the signature dialog is closed.
  const [refusal, setRefusal] = useState<unknown>();
  const open = (e: React.FormEvent) => {
    e.preventDefault();
    const tooLong = draft.values.observacao.trim().length > OBSERVACAO_MAX;
    setLocal(tooLong ? `A observação tem no máximo ${OBSERVACAO_MAX} caracteres.` : undefined);
    if (tooLong) return;
    setRefusal(undefined);
    setRequest({
      recurso: `op:${op.id}`,
      significado: "revisao",
      title: "Assinar a revisão do registro de lote",
      registro: (
        <>
          Revisão do registro de lote da ordem {op.codigo}, com {excecoesText(count)}
        </>
      ),
    });
  };
  const close = () => {
    setRequest(null);
    // The order moved under the form (reviewed in another tab, a desvio opened): read it again.
    if (refusal instanceof ApiError && refusal.status === 409) onConflict();
  };
  return (
    <>
      <form onSubmit={open} noValidate aria-label="Assinar a revisão">
        <TextArea
          label="Observação"
          name="observacao"
          hint="Opcional: o que a revisão concluiu sobre as exceções."
          value={draft.values.observacao}
          onChange={(v) => draft.set("observacao", v)}
          error={local}
        />
        <ProblemAlert error={request ? undefined : refusal} />
        <div className="actions">
          <Button type="submit" kind="primary">
            Assinar revisão…
          </Button>
        </div>
      </form>
      <SignatureDialog
        request={request}
        onClose={close}
        act={(signature, key) => {
          const observacao = draft.values.observacao.trim();
          return post<OrdemProducao>(`/v1/ordens-producao/${op.id}/revisao`, observacao ? { observacao } : {}, {
            idempotencyKey: key,
            signature,
          }).catch((e: unknown) => {
            const problem = revisaoProblem(e);
            // A wrong password is retried in the dialog; a refusal of the review stays said in the form.
            if (problem instanceof ApiError && problem.slug !== "assinatura-invalida" && problem.status !== 401) setRefusal(problem);
            throw problem;
          });
        }}
        onDone={() => {
          setRequest(null);
          draft.clear();
          onDone(`Registro de lote da ordem ${op.codigo} revisado e assinado.`);
        }}
      />
    </>
  );
}
