// Home is "Minhas tarefas": what waits for this person, by role, with the next act one click
// away.
import { Page } from "../../ui/components";
import { useSession } from "../../ui/session";
import { adminTasks } from "../admin/tasks";
import { auditoriaTasks } from "../auditoria/tasks";
import { cqTasks } from "../cq/tasks";
import { estoqueTasks } from "../estoque/tasks";
import { producaoTasks } from "../producao/tasks";
import type { TaskSection } from "./tasks";

const SECTIONS: TaskSection[] = [...cqTasks, ...producaoTasks, ...estoqueTasks, ...auditoriaTasks, ...adminTasks];

export function HomePage() {
  const { me, can } = useSession();
  const mine = SECTIONS.filter((s) => !s.capability || can(s.capability)).sort(
    (a, b) => (a.order ?? 50) - (b.order ?? 50),
  );
  return (
    <Page title="Minhas tarefas">
      <p className="lead">Olá, {me?.nome}. Isto é o que espera por você agora.</p>
      <div className="tasks">
        {mine.map(({ id, Component }) => (
          <Component key={id} />
        ))}
      </div>
      {mine.length === 0 ? <p className="empty">Nenhuma tarefa para o seu perfil.</p> : null}
    </Page>
  );
}
