// "Minhas tarefas" of the warehouse clerk: shipments waiting to be confirmed, returns waiting
// for QC (to know what is held), lots nearing their validade, and lots in quarantine.
import { useState } from "react";
import { Link } from "react-router-dom";
import { formatDate, formatInstant, formatNumber } from "../../lib/format";
import { ProblemAlert } from "../../ui/components";
import { usePaged } from "../../ui/hooks";
import { ListTaskCard } from "../../ui/taskcard";
import type { TaskSection } from "../home/tasks";
import { itemsSummary, shipmentPath } from "./expedicoes";
import { returnPath } from "./devolucoes";
import { expiryInfo } from "./expiry";
import { lotPath } from "./shared";
import type { Devolucao, Expedicao, Saldo, Vencimento } from "./types";

function ShipmentsToConfirm() {
  return (
    <ListTaskCard<Expedicao>
      title="Expedições aguardando confirmação"
      path="/v1/expedicoes"
      query={{ status: "reservada", ordem: "desc" }}
      empty="Nenhuma expedição reservada."
      more={{ to: "/expedicoes?status=reservada", label: "Ver todas as reservadas" }}
      toItem={(e) => ({
        key: e.id,
        to: shipmentPath(e.id),
        title: `${e.codigo} — ${e.cliente.nome}`,
        detail: `${itemsSummary(e)} · reservada em ${formatInstant(e.criado_em)}`,
        action: "Confirmar",
      })}
    />
  );
}

function ReturnsInEvaluation() {
  return (
    <ListTaskCard<Devolucao>
      title="Devoluções em avaliação no CQ"
      path="/v1/devolucoes"
      query={{ status: "pendente", ordem: "desc" }}
      empty="Nenhuma devolução aguardando o CQ."
      more={{ to: "/devolucoes?status=pendente", label: "Ver todas as pendentes" }}
      toItem={(d) => ({
        key: d.id,
        to: returnPath(d.id),
        title: `${d.codigo} — lote ${d.lote_codigo}`,
        detail: `${formatNumber(d.quantidade)} em quarentena desde ${formatInstant(d.criado_em)}`,
        action: "Ver",
      })}
    />
  );
}

const WINDOWS = [30, 60, 90];

// Lots nearing their validade within the window the clerk picks: the card of ListTaskCard with
// the choice of window under its title.
function ExpiringLots() {
  const [dias, setDias] = useState(30);
  const paged = usePaged<Vencimento>("/v1/relatorios/estoque/vencimentos", { dias }, 8);
  const title = `Lotes que vencem em até ${dias} dias`;
  const loading = paged.loading && paged.items.length === 0;
  return (
    <section className="task-card" aria-label={title}>
      <h2>
        {title} <span className="count">{loading ? "…" : paged.items.length + (paged.hasMore ? "+" : "")}</span>
      </h2>
      <div className="window-choice" role="group" aria-label="Janela de vencimento">
        {WINDOWS.map((d) => (
          <button key={d} type="button" className="button" aria-pressed={dias === d} onClick={() => setDias(d)}>
            {d} dias
          </button>
        ))}
      </div>
      <ProblemAlert error={paged.error} />
      {!loading && paged.items.length === 0 ? <p className="empty">Nenhum lote vence nos próximos {dias} dias.</p> : null}
      <ul>
        {paged.items.map((v) => (
          <li key={v.lote_id}>
            <div className="task-text">
              <span className="task-title">
                {v.lote_codigo} — {v.material_nome ?? v.material}
              </span>
              <span className="task-detail">
                validade {formatDate(v.validade)} ({expiryInfo(v.validade).texto}) · {v.status === "quarentena" ? "em quarentena" : "liberado"}
              </span>
            </div>
            <Link to={lotPath(v.lote_codigo)} className="button button-primary task-action">
              Ver lote
            </Link>
          </li>
        ))}
      </ul>
      <p className="task-more">
        <Link to="/estoque">Ver saldos em estoque</Link>
      </p>
    </section>
  );
}

function QuarantinedLots() {
  return (
    <ListTaskCard<Saldo>
      title="Lotes em quarentena, aguardando laudo"
      path="/v1/estoque/saldos"
      query={{ status: "quarentena" }}
      empty="Nenhum lote em quarentena."
      more={{ to: "/estoque?status=quarentena", label: "Ver todos em quarentena" }}
      toItem={(s) => ({
        key: s.lote_id,
        to: lotPath(s.lote_codigo),
        title: `${s.lote_codigo} — ${s.material}`,
        detail: `${formatNumber(s.quantidade, s.unidade)} · validade ${formatDate(s.validade)}`,
        action: "Ver lote",
      })}
    />
  );
}

export const estoqueTasks: TaskSection[] = [
  { id: "estoque-expedicoes", capability: "ship", order: 30, Component: ShipmentsToConfirm },
  { id: "estoque-devolucoes", capability: "registerReturn", order: 31, Component: ReturnsInEvaluation },
  { id: "estoque-vencimentos", capability: "receive", order: 32, Component: ExpiringLots },
  { id: "estoque-quarentena", capability: "receive", order: 33, Component: QuarantinedLots },
];
