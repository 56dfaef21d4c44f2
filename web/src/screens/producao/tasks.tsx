// "Minhas tarefas" of the production manager: the orders to execute (the next act named: start
// it, or record its next step), the orders a desvio blocks (and which desvio), and the orders
// ready to conclude.
import type { Page } from "../../api/client";
import { formatNumber } from "../../lib/format";
import { useGet, usePaged } from "../../ui/hooks";
import { TaskCard, type TaskItem } from "../../ui/taskcard";
import type { TaskSection } from "../home/tasks";
import { nextStep } from "./ordem-logic";
import type { Desvio, OrdemProducao } from "./types";
import "./producao.css";

const LIMIT = 50;
const SHOWN = 8;

const titleOf = (op: OrdemProducao) => `${op.codigo} — ${op.produto}`;

function desvioText(d: Desvio): string {
  const classe = d.classificacao === "critico" ? "crítico" : d.classificacao;
  return `${d.codigo} (${classe}): ${d.descricao}`;
}

function ProducaoTasks() {
  const planejadas = usePaged<OrdemProducao>("/v1/ordens-producao", { status: "planejada", ordem: "desc" }, LIMIT);
  const emExecucao = usePaged<OrdemProducao>("/v1/ordens-producao", { status: "em_execucao", ordem: "desc" }, LIMIT);
  const bloqueadas = usePaged<OrdemProducao>("/v1/ordens-producao", { status: "bloqueada", ordem: "desc" }, LIMIT);
  const desvios = useGet<Page<Desvio>>(bloqueadas.items.length ? "/v1/desvios" : null, { status: "aberto", ordem: "desc", limit: 500 });

  const aExecutar: TaskItem[] = [
    ...emExecucao.items.flatMap((op) => {
      const next = nextStep(op);
      if (!next || op.desvios_abertos > 0) return [];
      return [{
        key: op.id,
        to: `/ordens/${op.id}`,
        title: titleOf(op),
        detail: `Em execução — ${op.etapas.length - op.etapas.filter((e) => !e.registro).length} de ${op.etapas.length} etapas`,
        action: `Registrar etapa ${next.ordem}: ${next.nome}`,
      }];
    }),
    ...planejadas.items.filter((op) => op.desvios_abertos === 0).map((op) => ({
      key: op.id,
      to: `/ordens/${op.id}`,
      title: titleOf(op),
      detail: `Planejada — ${formatNumber(op.quantidade)} a produzir`,
      action: "Iniciar",
    })),
  ];

  const byOp = new Map<string, Desvio[]>();
  for (const d of desvios.data?.items ?? []) byOp.set(d.op_id, [...(byOp.get(d.op_id) ?? []), d]);
  const bloqueadasItems: TaskItem[] = bloqueadas.items.map((op) => {
    const list = byOp.get(op.id) ?? [];
    return {
      key: op.id,
      to: `/ordens/${op.id}`,
      title: titleOf(op),
      detail: list.length ? `Bloqueada pelo desvio ${list.map(desvioText).join("; ")}` : `Bloqueada por ${op.desvios_abertos} desvio(s) aberto(s)`,
      action: "Ver bloqueio",
    };
  });

  const prontas: TaskItem[] = emExecucao.items
    .filter((op) => !nextStep(op) && op.desvios_abertos === 0)
    .map((op) => ({
      key: op.id,
      to: `/ordens/${op.id}`,
      title: titleOf(op),
      detail: `Todas as ${op.etapas.length} etapas registradas`,
      action: "Concluir",
    }));

  const loading = (p: { loading: boolean; items: unknown[] }) => p.loading && p.items.length === 0;
  // `display: contents`: the three cards stay cells of the home's grid; the wrapper only lets
  // a long act ("Registrar etapa 2: Envase") wrap under its order instead of crushing it.
  return (
    <div className="producao-tarefas">
      <TaskCard
        title="Ordens a executar"
        items={aExecutar.slice(0, SHOWN)}
        error={emExecucao.error ?? planejadas.error}
        loading={loading(emExecucao) || loading(planejadas)}
        more={{ to: "/ordens", label: "Ver todas as ordens" }}
        empty="Nenhuma ordem planejada ou em execução."
      />
      <TaskCard
        title="Ordens bloqueadas por desvio"
        items={bloqueadasItems.slice(0, SHOWN)}
        error={bloqueadas.error ?? desvios.error}
        loading={loading(bloqueadas)}
        more={{ to: "/ordens?status=bloqueada", label: "Ver ordens bloqueadas" }}
        empty="Nenhuma ordem bloqueada."
      />
      <TaskCard
        title="Ordens prontas para concluir"
        items={prontas.slice(0, SHOWN)}
        error={emExecucao.error}
        loading={loading(emExecucao)}
        more={{ to: "/ordens?status=em_execucao", label: "Ver ordens em execução" }}
        empty="Nenhuma ordem com todas as etapas registradas."
      />
    </div>
  );
}

export const producaoTasks: TaskSection[] = [
  { id: "producao-ordens", capability: "runOrders", order: 20, Component: ProducaoTasks },
];
