// One production order, executed from its page: what blocks it first (an open desvio stops
// everything), then its header and acts by status, the steps in recipe order, the insumos
// consumed, the lots produced and the conclusion, with what is still missing said before the
// click; then the review of its batch record by exception (RULES G1). Only what this person
// may do is offered.
import { useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { post, type Page as ListPage } from "../../api/client";
import { formatInstant, formatNumber } from "../../lib/format";
import { Await, Button, ButtonLink, Dialog, Facts, Notice, Page, ProblemAlert, Section, StatusBadge } from "../../ui/components";
import { fieldError, TextArea } from "../../ui/fields";
import { useAction, useDraft, useGet } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { materialName, unitOf, useMateriais } from "./catalogo";
import { useReloadOnConflict } from "./conflict";
import { Etapas } from "./ordem-etapas";
import { Consumos, Lotes } from "./ordem-insumos";
import { RevisaoDoRegistro } from "./ordem-revisao";
import { conclusionBlockers, isBlocked, isFinal, recordedCount } from "./ordem-logic";
import type { Desvio, OrdemProducao, Receita } from "./types";
import "./producao.css";

export function OrdemPage() {
  const { id = "" } = useParams();
  const op = useGet<OrdemProducao>(`/v1/ordens-producao/${encodeURIComponent(id)}`);
  const title = op.data ? `Ordem de produção ${op.data.codigo}` : "Ordem de produção";
  return (
    <Page title={title} back={{ to: "/ordens", label: "Ordens de produção" }}>
      <Await loaded={op}>{(o) => <Ordem op={o} reload={op.reload} />}</Await>
    </Page>
  );
}

function Ordem({ op, reload }: { op: OrdemProducao; reload: () => void }) {
  const { can } = useSession();
  const location = useLocation();
  const [notice, setNotice] = useState<string | null>(
    (location.state as { criada?: boolean } | null)?.criada ? `Ordem ${op.codigo} criada, planejada.` : null,
  );
  const catalogo = useMateriais();
  const receita = useGet<Receita>(can("readRecipes") ? `/v1/receitas/${op.receita_id}` : null);
  const blocked = isBlocked(op);
  const running = op.status === "em_execucao" && !blocked;
  const mayRun = can("runOrders");
  const unidade = unitOf(op.produto, catalogo.data);
  const done = (message: string) => {
    setNotice(message);
    reload();
  };

  return (
    <>
      {blocked ? <Bloqueio op={op} /> : null}
      <Facts
        items={[
          ["Código", op.codigo],
          ["Status", <StatusBadge key="s" status={op.status} />],
          ["Produto", materialName(op.produto, catalogo.data)],
          ["Quantidade", formatNumber(op.quantidade, unidade)],
          [
            "Receita",
            can("readRecipes") ? <Link key="r" to={`/receitas/${op.receita_id}`}>Versão {op.receita_versao}</Link> : `Versão ${op.receita_versao}`,
          ],
          ["Etapas registradas", `${recordedCount(op)} de ${op.etapas.length}`],
          ["Criada", `${formatInstant(op.criado_em)} por ${op.criado_por}`],
          ["Iniciada em", formatInstant(op.iniciada_em)],
          ...(op.concluida_em ? [["Concluída em", formatInstant(op.concluida_em)] as [string, string]] : []),
          ...(op.cancelada_em
            ? [
                ["Cancelada em", formatInstant(op.cancelada_em)] as [string, string],
                ["Motivo do cancelamento", op.motivo_cancelamento ?? "—"] as [string, string],
              ]
            : []),
        ]}
      />
      <div className="actions op-actions">
        {mayRun && op.status === "planejada" && !blocked ? <Iniciar op={op} onDone={done} onConflict={reload} /> : null}
        {can("openDesvio") && !isFinal(op) ? (
          <ButtonLink to={`/desvios/novo?op_id=${encodeURIComponent(op.id)}`}>Abrir desvio</ButtonLink>
        ) : null}
        <ButtonLink to={`/relatorios/ordens/${op.id}`}>Registro de lote</ButtonLink>
        {mayRun && !isFinal(op) && !blocked ? <Cancelar op={op} onDone={done} onConflict={reload} /> : null}
      </div>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {op.status === "planejada" && !blocked ? (
        <Notice>A ordem está planejada: inicie-a para registrar as etapas, consumir insumos e registrar lotes.</Notice>
      ) : null}

      <Section title="Etapas">
        <Etapas
          op={op}
          canRecord={running && mayRun}
          blocked={blocked}
          onRecorded={(r, e) =>
            done(`Etapa ${e.ordem} (${e.nome}) registrada${r.sinalizado ? ", com valor fora dos limites sinalizado" : ""}.`)
          }
          onConflict={reload}
        />
      </Section>
      <Section title="Consumo de insumos">
        <Consumos op={op} receita={receita.data} catalogo={catalogo.data} canAct={running && mayRun} onChanged={reload} />
      </Section>
      <Section title="Lotes produzidos">
        <Lotes op={op} catalogo={catalogo.data} canAct={running && mayRun} onChanged={reload} />
      </Section>
      {mayRun && running ? (
        <Section title="Conclusão">
          <Concluir op={op} onDone={done} onConflict={reload} />
        </Section>
      ) : null}
      {op.status !== "planejada" ? <RevisaoDoRegistro op={op} onReviewed={done} onConflict={reload} /> : null}
    </>
  );
}

// The open desvios that block the order, named, before anything else on the page.
function Bloqueio({ op }: { op: OrdemProducao }) {
  const desvios = useGet<ListPage<Desvio>>("/v1/desvios", { status: "aberto", op_id: op.id, limit: 100 });
  const list = desvios.data?.items ?? [];
  return (
    <div className="alert alert-error op-bloqueio" role="alert" aria-labelledby="bloqueio-titulo">
      <h2 id="bloqueio-titulo">⚠ Ordem bloqueada por desvio aberto</h2>
      <p>
        Enquanto {op.desvios_abertos === 1 || list.length === 1 ? "este desvio estiver aberto" : "estes desvios estiverem abertos"},
        nenhuma etapa, consumo, lote ou conclusão é aceito nesta ordem. O Controle de Qualidade encerra o desvio com uma
        revisão assinada; então a ordem volta a {op.status_antes_do_bloqueio === "planejada" ? "planejada" : "em execução"}.
      </p>
      {desvios.error ? <ProblemAlert error={desvios.error} /> : null}
      {desvios.loading && !desvios.data ? <p>Carregando os desvios…</p> : null}
      {list.length > 0 ? (
        <ul aria-label="Desvios abertos">
          {list.map((d) => (
            <li key={d.id}>
              <Link to={`/desvios/${d.id}`}>
                <strong>{d.codigo}</strong>
              </Link>{" "}
              — classificação <StatusBadge status={d.classificacao} /> — {d.descricao}{" "}
              <span>(aberto por {d.aberto_por} em {formatInstant(d.aberto_em)})</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Iniciar({ op, onDone, onConflict }: { op: OrdemProducao; onDone: (m: string) => void; onConflict: () => void }) {
  const action = useAction((key: string) =>
    post<OrdemProducao>(`/v1/ordens-producao/${op.id}/iniciar`, undefined, { idempotencyKey: key, ifMatch: op.versao }),
  );
  useReloadOnConflict(action.error, onConflict);
  return (
    <>
      <Button
        kind="primary"
        pending={action.pending}
        onClick={async () => {
          if (await action.run()) onDone(`Ordem ${op.codigo} iniciada: registre a etapa 1.`);
        }}
      >
        Iniciar
      </Button>
      <ProblemAlert error={action.error} />
    </>
  );
}

function Cancelar({ op, onDone, onConflict }: { op: OrdemProducao; onDone: (m: string) => void; onConflict: () => void }) {
  const [open, setOpen] = useState(false);
  const draft = useDraft<{ motivo: string }>(`op.${op.id}.cancelar`, { motivo: "" });
  const [local, setLocal] = useState<string>();
  const action = useAction((key: string, motivo: string) =>
    post<OrdemProducao>(`/v1/ordens-producao/${op.id}/cancelar`, { motivo }, { idempotencyKey: key, ifMatch: op.versao }),
  );
  useReloadOnConflict(action.error, onConflict);
  const close = () => {
    setOpen(false);
    setLocal(undefined);
    action.reset();
  };
  return (
    <>
      <Button kind="danger" onClick={() => setOpen(true)}>
        Cancelar ordem
      </Button>
      <Dialog open={open} title={`Cancelar a ordem ${op.codigo}`} onClose={close}>
        <form
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            const motivo = draft.values.motivo.trim();
            if (motivo.length < 3) {
              setLocal("Informe o motivo (ao menos 3 caracteres).");
              return;
            }
            setLocal(undefined);
            if (await action.run(motivo)) {
              draft.clear();
              setOpen(false);
              onDone(`Ordem ${op.codigo} cancelada.`);
            }
          }}
        >
          <p>O cancelamento é definitivo. Consumos e lotes já registrados permanecem como estão.</p>
          <TextArea
            label="Motivo do cancelamento"
            name="motivo"
            required
            value={draft.values.motivo}
            onChange={(v) => draft.set("motivo", v)}
            error={fieldError(action.error, "motivo", { motivo: local })}
          />
          <ProblemAlert error={action.error} shownFields={["motivo"]} />
          <div className="dialog-actions">
            <Button onClick={close}>Voltar</Button>
            <Button type="submit" kind="danger" pending={action.pending}>
              Cancelar a ordem
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

// Concluding needs every step recorded and no open desvio: the reasons are said next to the
// button, which stays disabled until there are none.
function Concluir({ op, onDone, onConflict }: { op: OrdemProducao; onDone: (m: string) => void; onConflict: () => void }) {
  const [open, setOpen] = useState(false);
  const reasons = conclusionBlockers(op);
  const action = useAction((key: string) =>
    post<OrdemProducao>(`/v1/ordens-producao/${op.id}/concluir`, undefined, { idempotencyKey: key, ifMatch: op.versao }),
  );
  useReloadOnConflict(action.error, onConflict);
  return (
    <>
      {reasons.length > 0 ? (
        <div id="conclusao-motivos" className="conclusao-motivos">
          <p>Ainda não é possível concluir:</p>
          <ul>
            {reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p id="conclusao-motivos">Todas as etapas estão registradas e não há desvio aberto: a ordem pode ser concluída.</p>
      )}
      <button
        type="button"
        className="button button-primary"
        disabled={reasons.length > 0}
        aria-describedby="conclusao-motivos"
        onClick={() => setOpen(true)}
      >
        Concluir ordem
      </button>
      <ProblemAlert error={open ? undefined : action.error} />
      <Dialog open={open} title={`Concluir a ordem ${op.codigo}`} onClose={() => setOpen(false)}>
        <p>A conclusão é definitiva: nenhuma etapa, consumo ou lote poderá mais ser registrado nesta ordem.</p>
        <ProblemAlert error={action.error} />
        <div className="dialog-actions">
          <Button onClick={() => setOpen(false)}>Voltar</Button>
          <Button
            kind="primary"
            pending={action.pending}
            onClick={async () => {
              const concluded = await action.run();
              setOpen(false);
              if (concluded) onDone(`Ordem ${op.codigo} concluída.`);
            }}
          >
            Concluir
          </Button>
        </div>
      </Dialog>
    </>
  );
}
