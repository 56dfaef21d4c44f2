// "Minhas tarefas" of an auditor: whether the audit trail is intact, the latest records, and
// a lot to trace.
import { Link } from "react-router-dom";
import { formatInstant } from "../../lib/format";
import { ProblemAlert } from "../../ui/components";
import { useGet } from "../../ui/hooks";
import { ListTaskCard } from "../../ui/taskcard";
import type { TaskSection } from "../home/tasks";
import { State } from "./common";
import { acaoLabel, entidadeLabel, servicoLabel, shortId } from "./labels";
import { LotCodeForm } from "./lotcode";
import { historyPath } from "./paths";
import type { RegistroDeAuditoria, Verificacao } from "./types";
import "./auditoria.css";

function ChainCard() {
  const loaded = useGet<Verificacao>("/v1/relatorios/auditoria/verificacao");
  const v = loaded.data;
  const broken = v?.servicos.filter((s) => !s.integra) ?? [];
  return (
    <section className="task-card" aria-label="Integridade da trilha">
      <h2>Integridade da trilha</h2>
      <ProblemAlert error={loaded.error} />
      {!v && !loaded.error ? <p className="muted">Verificando as cadeias…</p> : null}
      {v ? (
        <>
          <p className="chain-state">
            <State ok={v.integra} yes="Trilha íntegra" no="Trilha NÃO íntegra" />
          </p>
          <p className="muted">
            {v.integra
              ? `Todas as ${v.servicos.length} cadeias conferem.`
              : `Problema em: ${broken.map((s) => servicoLabel(s.servico)).join(", ")}.`}
          </p>
        </>
      ) : null}
      <p className="task-more">
        <Link to="/auditoria/verificacao">Ver a verificação</Link>
      </p>
    </section>
  );
}

function LatestCard() {
  return (
    <ListTaskCard<RegistroDeAuditoria>
      title="Últimos registros de auditoria"
      path="/v1/relatorios/auditoria"
      query={{ ordem: "desc" }}
      limit={5}
      empty="Nenhum registro ainda."
      more={{ to: "/auditoria", label: "Abrir a trilha de auditoria" }}
      toItem={(r) => ({
        key: r.id,
        to: historyPath(r.entidade, r.entidade_id),
        title: `${acaoLabel(r.acao)} — ${entidadeLabel(r.entidade)} ${shortId(r.entidade_id)}`,
        detail: `${formatInstant(r.ocorrido_em)} · ${r.usuario?.nome || r.usuario?.username || "—"}`,
        action: "Histórico",
      })}
    />
  );
}

function TraceCard() {
  return (
    <section className="task-card" aria-label="Rastrear um lote">
      <h2>Rastrear um lote</h2>
      <LotCodeForm />
    </section>
  );
}

export const auditoriaTasks: TaskSection[] = [
  { id: "auditoria.cadeia", capability: "readAudit", order: 10, Component: ChainCard },
  { id: "auditoria.recentes", capability: "readAudit", order: 11, Component: LatestCard },
  { id: "auditoria.rastrear", capability: "readAudit", order: 12, Component: TraceCard },
];
