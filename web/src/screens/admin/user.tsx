// One user: their data and roles changed with a motivo (If-Match on the version read, so two
// administrators never overwrite each other), the account deactivated or reactivated with a
// motivo, and the password reset. Every change is audited by Auth; the history is one click
// away.
import { useEffect, useState, type FormEvent } from "react";
import { useLocation, useParams } from "react-router-dom";
import { post, send } from "../../api/client";
import { ApiError } from "../../api/problem";
import { formatInstant, roleLabel } from "../../lib/format";
import { ROLES } from "../../lib/roles";
import { Await, Button, ButtonLink, Dialog, Facts, Notice, Page, ProblemAlert, Section } from "../../ui/components";
import { CheckboxGroup, fieldError, TextArea, TextField } from "../../ui/fields";
import { useAction, useDraft, useGet } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { roles, Situacao } from "./common";
import { changedFields, editable, passwordProblems, rebaseDraft, type UserDraft, type Usuario } from "./types";

const patch = (user: Usuario, body: Record<string, unknown>, key: string) =>
  send<Usuario>("PATCH", `/v1/usuarios/${encodeURIComponent(user.id)}`, body, { idempotencyKey: key, ifMatch: user.versao });

// Another administrator changed the account since it was read: the draft is kept, and the
// current version is one click away (the form then applies to it).
function Stale({ error, onReload }: { error: unknown; onReload: () => void }) {
  if (!(error instanceof ApiError) || error.status !== 412) return null;
  return (
    <p>
      <Button onClick={onReload}>Carregar a versão atual</Button>
    </p>
  );
}

function EditForm({ user, onDone, onReload }: { user: Usuario; onDone: (u: Usuario) => void; onReload: () => void }) {
  const draft = useDraft<UserDraft>(`usuario.${user.id}.dados`, { ...editable(user), motivo: "", base: editable(user) });
  // A draft typed against an older version (kept through a reload or a 412) moves onto this one.
  useEffect(() => {
    const next = rebaseDraft(draft.values, user);
    if (JSON.stringify(next) !== JSON.stringify(draft.values)) draft.replace(next);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [nothing, setNothing] = useState(false);
  const action = useAction((key: string, body: Record<string, unknown>) => patch(user, body, key));
  const v = draft.values;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string | undefined> = {};
    const changes = changedFields({ ...v, nome: v.nome.trim(), email: v.email.trim() });
    if (v.roles.length === 0) problems.roles = "Escolha ao menos um papel.";
    if (v.motivo.trim().length < 3) problems.motivo = "Informe o motivo da alteração (ao menos 3 caracteres).";
    const nothing = Object.keys(changes).length === 0;
    setNothing(nothing);
    setLocal(problems);
    if (nothing || Object.values(problems).some(Boolean)) return;
    const changed = await action.run({ ...changes, motivo: v.motivo.trim() });
    if (changed) {
      draft.clear();
      onDone(changed);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <div className="form-grid">
        <TextField label="Nome completo" name="nome" value={v.nome} onChange={(x) => draft.set("nome", x)} error={fieldError(action.error, "nome", local)} required />
        <TextField label="E-mail" name="email" type="email" value={v.email} onChange={(x) => draft.set("email", x)} error={fieldError(action.error, "email", local)} required />
      </div>
      <CheckboxGroup
        label="Papéis"
        name="roles"
        values={v.roles}
        onChange={(x) => draft.set("roles", x)}
        options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
        error={fieldError(action.error, "roles", local)}
      />
      <TextArea
        label="Motivo da alteração"
        name="motivo"
        value={v.motivo}
        onChange={(x) => draft.set("motivo", x)}
        error={fieldError(action.error, "motivo", local)}
        hint="Fica registrado na trilha de auditoria."
        required
      />
      {nothing ? <Notice tone="warning">Nada foi alterado: mude o nome, o e-mail ou os papéis antes de salvar.</Notice> : null}
      <ProblemAlert error={action.error} shownFields={["nome", "email", "roles", "motivo"]} />
      <Stale error={action.error} onReload={onReload} />
      <div className="actions">
        <Button type="submit" kind="primary" pending={action.pending}>
          Salvar alterações
        </Button>
      </div>
    </form>
  );
}

function ActiveDialog({ user, open, onClose, onDone, onReload }: {
  user: Usuario;
  open: boolean;
  onClose: () => void;
  onDone: (u: Usuario) => void;
  onReload: () => void;
}) {
  const deactivate = user.ativo;
  const draft = useDraft(`usuario.${user.id}.situacao`, { motivo: "" });
  const [local, setLocal] = useState<string>();
  const action = useAction((key: string, motivo: string) => patch(user, { ativo: !deactivate, motivo }, key));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const motivo = draft.values.motivo.trim();
    if (motivo.length < 3) {
      setLocal("Informe o motivo (ao menos 3 caracteres).");
      return;
    }
    setLocal(undefined);
    const changed = await action.run(motivo);
    if (changed) {
      draft.clear();
      onDone(changed);
    }
  };
  return (
    <Dialog open={open} title={deactivate ? `Desativar ${user.username}` : `Reativar ${user.username}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>
          {deactivate
            ? "A conta deixa de poder entrar e as sessões abertas são encerradas. Ela não é apagada e pode ser reativada."
            : "A conta volta a poder entrar com a senha que tinha."}
        </p>
        <TextArea
          label="Motivo"
          name="motivo"
          value={draft.values.motivo}
          onChange={(x) => draft.set("motivo", x)}
          error={fieldError(action.error, "motivo", { motivo: local })}
          required
        />
        <ProblemAlert error={action.error} shownFields={["motivo"]} />
        <Stale error={action.error} onReload={onReload} />
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancelar</Button>
          <Button type="submit" kind={deactivate ? "danger" : "primary"} pending={action.pending}>
            {deactivate ? "Desativar" : "Reativar"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ResetPassword({ user, onDone }: { user: Usuario; onDone: () => void }) {
  const [senha, setSenha] = useState("");
  const [confirmacao, setConfirmacao] = useState("");
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const action = useAction((key: string, nova: string) =>
    post<Usuario>(`/v1/usuarios/${encodeURIComponent(user.id)}/senha`, { senha: nova }, { idempotencyKey: key }),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = passwordProblems(senha, confirmacao);
    setLocal(problems);
    if (problems.senha || problems.confirmacao) return;
    if (await action.run(senha)) {
      setSenha("");
      setConfirmacao("");
      onDone();
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <div className="form-grid">
        <TextField label="Nova senha" name="nova-senha" type="password" autoComplete="new-password" value={senha} onChange={setSenha} error={fieldError(action.error, "senha", local)} required />
        <TextField label="Confirme a nova senha" name="confirmacao" type="password" autoComplete="new-password" value={confirmacao} onChange={setConfirmacao} error={local.confirmacao} required />
      </div>
      <ProblemAlert error={action.error} shownFields={["senha"]} />
      <div className="actions">
        <Button type="submit" pending={action.pending}>
          Redefinir senha
        </Button>
      </div>
    </form>
  );
}

export function UserPage() {
  const { id = "" } = useParams();
  const { can } = useSession();
  const location = useLocation();
  const loaded = useGet<Usuario>(`/v1/usuarios/${encodeURIComponent(id)}`);
  const [notice, setNotice] = useState<string | undefined>(
    (location.state as { criado?: boolean } | null)?.criado ? "Usuário criado." : undefined,
  );
  const [dialog, setDialog] = useState(false);
  const user = loaded.data?.id === id ? loaded.data : undefined;
  const done = (message: string) => {
    setNotice(message);
    setDialog(false);
    loaded.reload();
  };
  return (
    <Page title={user ? `Usuário ${user.username}` : "Usuário"} back={{ to: "/usuarios", label: "Usuários" }}>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <Await loaded={{ ...loaded, data: user, error: loaded.error }}>
        {(u) => (
          <>
            <Section
              title="Conta"
              actions={
                can("readAudit") ? (
                  <ButtonLink to={`/auditoria/registro/usuario/${encodeURIComponent(u.id)}`}>Histórico de auditoria</ButtonLink>
                ) : undefined
              }
            >
              <Facts
                items={[
                  ["Usuário", u.username],
                  ["Nome", u.nome],
                  ["E-mail", u.email],
                  ["Papéis", roles(u)],
                  ["Situação", <Situacao user={u} />],
                  ["Criado em", formatInstant(u.criado_em)],
                  ["Alterado em", formatInstant(u.atualizado_em)],
                  ["Versão", String(u.versao)],
                ]}
              />
            </Section>
            <Section title="Dados e papéis">
              <EditForm key={u.versao} user={u} onDone={() => done("Alterações salvas.")} onReload={loaded.reload} />
            </Section>
            <Section title="Situação da conta">
              <p>
                Esta conta está <strong>{u.ativo ? "ativa" : "inativa"}</strong>.
              </p>
              <Button kind={u.ativo ? "danger" : "primary"} onClick={() => setDialog(true)}>
                {u.ativo ? "Desativar usuário" : "Reativar usuário"}
              </Button>
              <ActiveDialog
                key={`${u.versao}-${u.ativo}`}
                user={u}
                open={dialog}
                onClose={() => setDialog(false)}
                onDone={(c) => done(c.ativo ? "Usuário reativado." : "Usuário desativado.")}
                onReload={() => {
                  setDialog(false);
                  loaded.reload();
                }}
              />
            </Section>
            <Section title="Redefinir senha">
              <p className="muted">Defina uma senha provisória e entregue-a à pessoa; as sessões dela são encerradas.</p>
              <ResetPassword user={u} onDone={() => done("Senha redefinida; as sessões do usuário foram encerradas.")} />
            </Section>
          </>
        )}
      </Await>
    </Page>
  );
}
