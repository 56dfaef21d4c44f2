// The electronic signature (21 CFR Part 11 §11.50, §11.200; RULES S1–S3): the dialog names the
// signer, the instant, the meaning and the record; the password is asked again; the signature
// token is spent at once by the act it signs.
import { useEffect, useState, type ReactNode } from "react";
import { sign } from "../api/client";
import { formatInstant, significadoLabel } from "../lib/format";
import { useAction } from "./hooks";
import { Button, Dialog, ProblemAlert } from "./components";
import { TextField } from "./fields";
import { useSession } from "./session";

export interface SignatureRequest {
  recurso: string; // "amostra:<id>"
  significado: string; // "aprovacao"
  registro: ReactNode; // what is being signed, in words
  title?: string;
}

export function SignatureDialog({ request, onClose, act, onDone, explain }: {
  request: SignatureRequest | null;
  onClose: () => void;
  // The signed act: gets the signature token and the act's Idempotency-Key.
  act: (signature: string, idempotencyKey: string) => Promise<unknown>;
  onDone: (result: unknown) => void;
  // What a refusal asks of the person next (a link to where it is done), under its message.
  explain?: (error: unknown) => ReactNode;
}) {
  const { me } = useSession();
  const [senha, setSenha] = useState("");
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!request) return;
    setNow(new Date());
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, [request]);
  const action = useAction(async (key: string, password: string) => {
    if (!request) return undefined;
    const token = await sign(password, request.recurso, request.significado);
    return act(token, key);
  });
  const close = () => {
    setSenha("");
    action.reset();
    onClose();
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const result = await action.run(senha);
    if (result !== undefined) {
      setSenha("");
      onDone(result);
    }
  };
  return (
    <Dialog open={request !== null} title={request?.title ?? "Assinatura eletrônica"} onClose={close}>
      {request ? (
        <form onSubmit={submit} className="signature">
          <dl className="facts">
            <div>
              <dt>Assinante</dt>
              <dd>
                {me?.nome} <span className="muted">({me?.username})</span>
              </dd>
            </div>
            <div>
              <dt>Data e hora</dt>
              <dd>
                <time dateTime={now.toISOString()}>{formatInstant(now.toISOString(), true)}</time>
              </dd>
            </div>
            <div>
              <dt>Significado</dt>
              <dd>
                <strong>{significadoLabel(request.significado)}</strong>
              </dd>
            </div>
            <div>
              <dt>Registro</dt>
              <dd>{request.registro}</dd>
            </div>
          </dl>
          <p className="legal">
            Ao assinar, você declara que esta assinatura eletrônica equivale à sua assinatura manuscrita e que ela se
            aplica somente a este registro, com o significado acima.
          </p>
          <TextField
            label="Sua senha"
            name="senha"
            type="password"
            autoComplete="current-password"
            value={senha}
            onChange={setSenha}
            required
            autoFocus
          />
          <ProblemAlert error={action.error} />
          {action.error && explain ? explain(action.error) : null}
          <div className="dialog-actions">
            <Button onClick={close}>Cancelar</Button>
            <Button type="submit" kind="primary" pending={action.pending} disabled={senha.length === 0}>
              Assinar
            </Button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}

export interface Assinatura {
  usuario?: string;
  nome?: string;
  username?: string;
  significado?: string;
  assinado_em?: string;
  em?: string;
}

// The signatures a record carries, wherever the record appears.
export function Signatures({ items }: { items: Assinatura[] | undefined }) {
  if (!items || items.length === 0) return null;
  return (
    <ul className="signatures" aria-label="Assinaturas">
      {items.map((s, i) => (
        <li key={i}>
          <span className="sig-mark" aria-hidden="true">✍</span> {significadoLabel(s.significado ?? "")} —{" "}
          <strong>{s.nome ?? s.username ?? s.usuario}</strong> em {formatInstant(s.assinado_em ?? s.em, true)}
        </li>
      ))}
    </ul>
  );
}
