// A user's situation in words: active or not, and locked until when.
import { formatInstant, roleLabel } from "../../lib/format";
import { StatusBadge } from "../../ui/components";
import { isLocked, type Usuario } from "./types";

export function Situacao({ user }: { user: Usuario }) {
  return (
    <>
      <StatusBadge status={user.ativo ? "ativo" : "inativo"} />
      {isLocked(user) ? <span className="flag"> · bloqueado até {formatInstant(user.bloqueado_ate)}</span> : null}
    </>
  );
}

export function roles(user: Pick<Usuario, "roles">): string {
  return user.roles.map(roleLabel).join(", ") || "—";
}

export function userPath(id: string): string {
  return `/usuarios/${encodeURIComponent(id)}`;
}
