// Usuários: every account, newest first, with its roles and situation.
import { Link } from "react-router-dom";
import { formatInstant } from "../../lib/format";
import { ButtonLink, Page, PagedTable, Section } from "../../ui/components";
import { usePaged } from "../../ui/hooks";
import { roles, Situacao, userPath } from "./common";
import type { Usuario } from "./types";

export function UsersPage() {
  const paged = usePaged<Usuario>("/v1/usuarios", { ordem: "desc" });
  return (
    <Page title="Usuários" actions={<ButtonLink to="/usuarios/novo" kind="primary">Novo usuário</ButtonLink>}>
      <p className="lead">Contas nunca são apagadas: uma conta que não deve mais entrar é desativada, com o motivo.</p>
      <Section title="Contas">
        <PagedTable
          paged={paged}
          caption="Usuários do sistema"
          rowKey={(u) => u.id}
          empty="Nenhum usuário."
          columns={[
            { header: "Usuário", cell: (u) => <Link to={userPath(u.id)}>{u.username}</Link> },
            { header: "Nome", cell: (u) => u.nome },
            { header: "E-mail", cell: (u) => u.email },
            { header: "Papéis", cell: (u) => roles(u) },
            { header: "Situação", cell: (u) => <Situacao user={u} /> },
            { header: "Criado em", cell: (u) => formatInstant(u.criado_em) },
          ]}
        />
      </Section>
    </Page>
  );
}
