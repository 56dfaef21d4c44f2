// "Minhas tarefas" of an administrator: accounts that need a look — locked or inactive — and
// the ones created lately, for the periodic access review.
import { formatInstant } from "../../lib/format";
import { ListTaskCard } from "../../ui/taskcard";
import type { TaskSection } from "../home/tasks";
import { roles, userPath } from "./common";
import { isLocked, isRecent, type Usuario } from "./types";

function AttentionCard() {
  return (
    <ListTaskCard<Usuario>
      title="Contas bloqueadas ou inativas"
      path="/v1/usuarios"
      query={{ ordem: "desc" }}
      limit={500}
      filter={(u) => !u.ativo || isLocked(u)}
      empty="Nenhuma conta bloqueada ou inativa."
      more={{ to: "/usuarios", label: "Todos os usuários" }}
      toItem={(u) => ({
        key: u.id,
        to: userPath(u.id),
        title: `${u.nome} (${u.username})`,
        detail: isLocked(u) ? `Bloqueada até ${formatInstant(u.bloqueado_ate)}` : "Inativa",
        action: "Revisar",
      })}
    />
  );
}

function RecentCard() {
  return (
    <ListTaskCard<Usuario>
      title="Criados nos últimos 7 dias"
      path="/v1/usuarios"
      query={{ ordem: "desc" }}
      limit={500}
      filter={(u) => isRecent(u, 7)}
      empty="Nenhuma conta criada nos últimos 7 dias."
      more={{ to: "/usuarios/novo", label: "Criar usuário" }}
      toItem={(u) => ({ key: u.id, to: userPath(u.id), title: `${u.nome} (${u.username})`, detail: roles(u), action: "Revisar" })}
    />
  );
}

export const adminTasks: TaskSection[] = [
  { id: "admin.atencao", capability: "manageUsers", order: 20, Component: AttentionCard },
  { id: "admin.recentes", capability: "manageUsers", order: 21, Component: RecentCard },
];
