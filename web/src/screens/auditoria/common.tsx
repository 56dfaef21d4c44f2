// Pieces the audit and report screens share: a file download with its own pending and error
// state, a lot's code as a link to its traceability, a user as a name with the username.
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { download, type Query } from "../../api/client";
import { Button, ProblemAlert } from "../../ui/components";
import { useAction } from "../../ui/hooks";
import { tracePath } from "./paths";
import type { Usuario } from "./types";

export function DownloadButton({ path, accept, filename, query, children }: {
  path: string;
  accept: string;
  filename: string;
  query?: Query;
  children: ReactNode;
}) {
  // A read: no Idempotency-Key; useAction only for the pending state and the error.
  const action = useAction(async () => {
    await download(path, accept, filename, query);
    return true;
  });
  return (
    <div className="download">
      <Button onClick={() => void action.run()} pending={action.pending}>
        {children}
      </Button>
      <ProblemAlert error={action.error} />
    </div>
  );
}

export function LotLink({ codigo }: { codigo: string }) {
  return <Link to={tracePath(codigo)}>{codigo}</Link>;
}

export function UserName({ usuario }: { usuario: Usuario | null | undefined }) {
  if (!usuario || (!usuario.nome && !usuario.username)) return <>—</>;
  return (
    <>
      {usuario.nome || usuario.username}
      {usuario.nome && usuario.username && usuario.nome !== usuario.username ? (
        <span className="muted"> ({usuario.username})</span>
      ) : null}
    </>
  );
}

// A yes/no state in words and a mark, coloured too but never only coloured.
export function State({ ok, yes = "Íntegra", no = "Não íntegra" }: { ok: boolean; yes?: string; no?: string }) {
  return (
    <span className={ok ? "state-ok" : "state-bad"}>
      <span aria-hidden="true">{ok ? "✔ " : "✖ "}</span>
      {ok ? yes : no}
    </span>
  );
}
