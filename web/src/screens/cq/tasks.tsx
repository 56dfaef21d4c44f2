// "Minhas tarefas" for the QC analyst: samples to collect, results to enter, batch records to
// review (concluded orders without a signed review, RULES G1), laudos to sign (results entered
// by another analyst: four eyes), open desvios and returns to evaluate.
import type { ComponentType } from "react";
import { formatInstant, formatNumber, statusLabel } from "../../lib/format";
import { usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { ListTaskCard, TaskCard, type TaskItem } from "../../ui/taskcard";
import type { TaskSection } from "../home/tasks";
import { toReview } from "../producao/revisao-logic";
import type { OrdemProducao } from "../producao/types";
import type { Amostra, Desvio, Devolucao } from "./api";
import { enteredResults, resultsComplete } from "./logic";
import "./tasks.css";

const SHOWN = 8;

function sampleItem(a: Amostra, act: "coletar" | "resultados" | "laudo", action: string): TaskItem {
  return {
    key: a.id,
    to: `/cq/amostras/${a.id}#${act}`,
    title: `${a.codigo} — lote ${a.lote?.codigo ?? "?"}`,
    detail: `${a.lote?.material ?? ""} · ${statusLabel(a.status)} desde ${formatInstant(a.criado_em)}`,
    action,
  };
}

function Coletar() {
  return (
    <ListTaskCard<Amostra>
      title="Amostras a coletar"
      path="/v1/amostras"
      query={{ status: "aguardando_coleta", ordem: "desc" }}
      limit={SHOWN}
      toItem={(a) => sampleItem(a, "coletar", "Coletar")}
      more={{ to: "/cq/amostras?status=aguardando_coleta", label: "Ver todas" }}
      empty="Nenhuma amostra aguardando coleta."
    />
  );
}

// Collected samples, and those in analysis with an ensaio still without result.
function Resultados() {
  const coletadas = usePaged<Amostra>("/v1/amostras", { status: "coletada", ordem: "desc" }, SHOWN);
  const emAnalise = usePaged<Amostra>("/v1/amostras", { status: "em_analise", ordem: "desc" }, 50);
  const items = [...coletadas.items, ...emAnalise.items.filter((a) => !resultsComplete(a))]
    .slice(0, SHOWN)
    .map((a) => sampleItem(a, "resultados", "Registrar resultados"));
  return (
    <TaskCard
      title="Resultados a registrar"
      items={items}
      error={coletadas.error ?? emAnalise.error}
      loading={(coletadas.loading || emAnalise.loading) && items.length === 0}
      more={{ to: "/cq/amostras?status=coletada", label: "Ver todas" }}
      empty="Nenhuma amostra aguardando resultados."
    />
  );
}

// Complete samples whose results someone else entered: this analyst may sign their laudo.
function Laudos() {
  const { me } = useSession();
  const emAnalise = usePaged<Amostra>("/v1/amostras", { status: "em_analise", ordem: "desc" }, 50);
  const items = emAnalise.items
    .filter((a) => resultsComplete(a) && !enteredResults(a, me?.sub))
    .slice(0, SHOWN)
    .map((a) => sampleItem(a, "laudo", "Emitir laudo"));
  return (
    <TaskCard
      title="Laudos a assinar"
      items={items}
      error={emAnalise.error}
      loading={emAnalise.loading && items.length === 0}
      more={{ to: "/cq/amostras?status=em_analise", label: "Ver todas" }}
      empty="Nenhum laudo esperando a sua assinatura."
    />
  );
}

// Concluded orders whose batch record has no review yet, and none of whose steps this analyst
// recorded (segregation of duties): their lots are approved only after the review.
function Revisoes() {
  const { me } = useSession();
  const concluidas = usePaged<OrdemProducao>("/v1/ordens-producao", { status: "concluida", ordem: "desc" }, 50);
  const items = toReview(concluidas.items, me?.username)
    .slice(0, SHOWN)
    .map((op) => ({
      key: op.id,
      to: `/ordens/${op.id}#revisao`,
      title: `${op.codigo} — ${op.produto}`,
      detail: `Concluída em ${formatInstant(op.concluida_em)} · ${op.lotes.map((l) => l.codigo).join(", ") || "sem lote"}`,
      action: "Revisar",
    }));
  return (
    <TaskCard
      title="Registros de lote a revisar"
      items={items}
      error={concluidas.error}
      loading={concluidas.loading && items.length === 0}
      more={{ to: "/ordens?status=concluida", label: "Ver ordens concluídas" }}
      empty="Nenhum registro de lote esperando revisão."
    />
  );
}

function Desvios() {
  return (
    <ListTaskCard<Desvio>
      title="Desvios abertos"
      path="/v1/desvios"
      query={{ status: "aberto", ordem: "desc" }}
      limit={SHOWN}
      toItem={(d) => ({
        key: d.id,
        to: `/desvios/${d.id}`,
        title: `${d.codigo} — ${statusLabel(d.classificacao)}`,
        detail: d.descricao.length > 80 ? d.descricao.slice(0, 79) + "…" : d.descricao,
        action: "Encerrar",
      })}
      more={{ to: "/desvios?status=aberto", label: "Ver todos" }}
      empty="Nenhum desvio aberto."
    />
  );
}

function Devolucoes() {
  return (
    <ListTaskCard<Devolucao>
      title="Devoluções a avaliar"
      path="/v1/devolucoes"
      query={{ status: "pendente", ordem: "desc" }}
      limit={SHOWN}
      toItem={(d) => ({
        key: d.id,
        to: `/cq/devolucoes/${d.id}`,
        title: `${d.codigo} — lote ${d.lote_codigo}`,
        detail: `${formatNumber(d.quantidade)} devolvidos em ${formatInstant(d.criado_em)}`,
        action: "Avaliar",
      })}
      more={{ to: "/cq/devolucoes", label: "Ver todas" }}
      empty="Nenhuma devolução aguardando avaliação."
    />
  );
}

function framed(Card: ComponentType) {
  return function Framed() {
    return (
      <div className="cq-tarefa">
        <Card />
      </div>
    );
  };
}

export const cqTasks: TaskSection[] = [
  { id: "cq-coletar", capability: "analyse", order: 10, Component: framed(Coletar) },
  { id: "cq-resultados", capability: "analyse", order: 11, Component: framed(Resultados) },
  { id: "cq-revisoes", capability: "reviewBatchRecord", order: 12, Component: framed(Revisoes) },
  { id: "cq-laudos", capability: "analyse", order: 12, Component: framed(Laudos) },
  { id: "cq-desvios", capability: "closeDesvio", order: 13, Component: framed(Desvios) },
  { id: "cq-devolucoes", capability: "evaluateReturn", order: 14, Component: framed(Devolucoes) },
];
