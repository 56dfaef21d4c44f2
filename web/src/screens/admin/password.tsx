// Alterar senha: anyone changes their own password with the current one (checked like a
// sign-in: a wrong one counts toward the lockout). The change ends every session of the
// account, this one included, so the person signs in again with the new password.
import { useState, type FormEvent } from "react";
import { post } from "../../api/client";
import { beginSignIn, signOut } from "../../auth/session";
import { Button, Notice, Page, ProblemAlert, Section } from "../../ui/components";
import { fieldError, TextField } from "../../ui/fields";
import { useAction } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { passwordProblems } from "./types";

export function OwnPasswordPage() {
  const { me } = useSession();
  const [atual, setAtual] = useState("");
  const [senha, setSenha] = useState("");
  const [confirmacao, setConfirmacao] = useState("");
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [done, setDone] = useState(false);
  const action = useAction((key: string, body: { senha_atual: string; senha: string }) =>
    post(`/v1/usuarios/${encodeURIComponent(me!.sub)}/senha`, body, { idempotencyKey: key }),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string | undefined> = { ...passwordProblems(senha, confirmacao) };
    if (!atual) problems.senha_atual = "Informe a senha atual.";
    else if (senha === atual && !problems.senha) problems.senha = "A nova senha deve ser diferente da atual.";
    setLocal(problems);
    if (Object.values(problems).some(Boolean)) return;
    if (await action.run({ senha_atual: atual, senha })) {
      setAtual("");
      setSenha("");
      setConfirmacao("");
      setDone(true);
    }
  };
  return (
    <Page title="Alterar senha">
      {done ? (
        <>
          <Notice tone="success">
            Senha alterada. Por segurança, todas as sessões desta conta foram encerradas: entre de novo com a nova senha.
          </Notice>
          <Button kind="primary" onClick={() => void signOut().then(() => beginSignIn("/"))}>
            Entrar com a nova senha
          </Button>
        </>
      ) : (
        <Section title={`Conta ${me?.username ?? ""}`}>
          <form onSubmit={submit} noValidate>
            <TextField
              label="Senha atual"
              name="senha_atual"
              type="password"
              autoComplete="current-password"
              value={atual}
              onChange={setAtual}
              error={fieldError(action.error, "senha_atual", local)}
              required
            />
            <div className="form-grid">
              <TextField
                label="Nova senha"
                name="senha"
                type="password"
                autoComplete="new-password"
                value={senha}
                onChange={setSenha}
                error={fieldError(action.error, "senha", local)}
                hint="Ao menos 10 caracteres."
                required
              />
              <TextField
                label="Confirme a nova senha"
                name="confirmacao"
                type="password"
                autoComplete="new-password"
                value={confirmacao}
                onChange={setConfirmacao}
                error={local.confirmacao}
                required
              />
            </div>
            <ProblemAlert error={action.error} shownFields={["senha_atual", "senha"]} />
            <div className="actions">
              <Button type="submit" kind="primary" pending={action.pending}>
                Alterar senha
              </Button>
            </div>
          </form>
        </Section>
      )}
    </Page>
  );
}
