// Novo usuário: username, name, e-mail, roles and the initial password. What is typed is kept
// as a draft except the passwords, which never go to storage.
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { post } from "../../api/client";
import { roleLabel } from "../../lib/format";
import { ROLES } from "../../lib/roles";
import { Button, Page, ProblemAlert, Section } from "../../ui/components";
import { CheckboxGroup, fieldError, TextField } from "../../ui/fields";
import { useAction, useDraft } from "../../ui/hooks";
import { userPath } from "./common";
import { passwordProblems, type Usuario } from "./types";

const FIELDS = ["username", "nome", "email", "roles", "senha"];

export function NewUserPage() {
  const navigate = useNavigate();
  const draft = useDraft("usuario.novo", { username: "", nome: "", email: "", roles: [] as string[] });
  const [senha, setSenha] = useState("");
  const [confirmacao, setConfirmacao] = useState("");
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const action = useAction((key: string, body: unknown) => post<Usuario>("/v1/usuarios", body, { idempotencyKey: key }));
  const v = draft.values;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string | undefined> = { ...passwordProblems(senha, confirmacao) };
    if (v.roles.length === 0) problems.roles = "Escolha ao menos um papel.";
    setLocal(problems);
    if (Object.values(problems).some(Boolean)) return;
    const created = await action.run({ username: v.username.trim(), nome: v.nome.trim(), email: v.email.trim(), roles: v.roles, senha });
    if (created) {
      draft.clear();
      setSenha("");
      setConfirmacao("");
      navigate(userPath(created.id), { state: { criado: true } });
    }
  };

  return (
    <Page title="Novo usuário" back={{ to: "/usuarios", label: "Usuários" }}>
      <form onSubmit={submit} noValidate>
        <Section title="Conta">
          <div className="form-grid">
            <TextField
              label="Usuário (login)"
              name="username"
              value={v.username}
              onChange={(x) => draft.set("username", x)}
              error={fieldError(action.error, "username", local)}
              hint="Letras minúsculas, dígitos, ponto, hífen ou sublinhado; não pode ser reutilizado depois."
              autoComplete="off"
              required
            />
            <TextField label="Nome completo" name="nome" value={v.nome} onChange={(x) => draft.set("nome", x)} error={fieldError(action.error, "nome", local)} required />
            <TextField
              label="E-mail"
              name="email"
              type="email"
              value={v.email}
              onChange={(x) => draft.set("email", x)}
              error={fieldError(action.error, "email", local)}
              required
            />
          </div>
          <CheckboxGroup
            label="Papéis"
            name="roles"
            values={v.roles}
            onChange={(x) => draft.set("roles", x)}
            options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
            error={fieldError(action.error, "roles", local)}
          />
        </Section>
        <Section title="Senha inicial">
          <div className="form-grid">
            <TextField
              label="Senha inicial"
              name="senha"
              type="password"
              autoComplete="new-password"
              value={senha}
              onChange={setSenha}
              error={fieldError(action.error, "senha", local)}
              hint="Ao menos 10 caracteres. Entregue-a à pessoa por um canal seguro."
              required
            />
            <TextField
              label="Confirme a senha"
              name="confirmacao"
              type="password"
              autoComplete="new-password"
              value={confirmacao}
              onChange={setConfirmacao}
              error={local.confirmacao}
              required
            />
          </div>
        </Section>
        <ProblemAlert error={action.error} shownFields={FIELDS} />
        <div className="actions">
          <Button type="submit" kind="primary" pending={action.pending}>
            Criar usuário
          </Button>
        </div>
      </form>
    </Page>
  );
}
