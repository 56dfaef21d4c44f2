// Verificação da cadeia: every service's hash chain re-computed, its consolidated copy checked,
// and the three witnesses (chain, copy, signed checkpoints) held against each other (RULES.md
// A3, A8). The verdict is said in words and marks, not by colour alone.
import { Link } from "react-router-dom";
import { formatInstant, formatNumber } from "../../lib/format";
import { Await, Button, Page, Section, Table, type Column } from "../../ui/components";
import { useGet } from "../../ui/hooks";
import { State } from "./common";
import { achadoLabel, servicoLabel } from "./labels";
import type { Verificacao, VerificacaoServico } from "./types";
import "./auditoria.css";

export function Verdict({ ok, detail }: { ok: boolean; detail?: string }) {
  return (
    <div className={"verdict " + (ok ? "verdict-ok" : "verdict-bad")} role="status">
      <span className="verdict-mark" aria-hidden="true">
        {ok ? "✔" : "✖"}
      </span>
      <div>
        <p className="verdict-title">{ok ? "Trilha de auditoria íntegra" : "Trilha de auditoria NÃO íntegra"}</p>
        {detail ? <p>{detail}</p> : null}
      </div>
    </div>
  );
}

const n = (v: number | undefined) => (v === undefined ? "—" : formatNumber(v));

const columns: Column<VerificacaoServico>[] = [
  { header: "Serviço", cell: (s) => <strong>{servicoLabel(s.servico)}</strong> },
  { header: "Situação", cell: (s) => <State ok={s.integra} /> },
  { header: "Registros", cell: (s) => n(s.registros), className: "num" },
  {
    header: "Primeiro registro inválido",
    cell: (s) =>
      s.primeiro_registro_invalido !== undefined ? (
        <>
          nº {s.primeiro_registro_invalido}
          {s.motivo ? <span className="muted"> — {s.motivo}</span> : null}
        </>
      ) : (
        "nenhum"
      ),
  },
  {
    header: "Checkpoint",
    cell: (s) =>
      s.checkpoint ? (
        <>
          até nº {s.checkpoint.sequencia}
          <span className="muted"> em {formatInstant(s.checkpoint.em, true)}</span>
          {s.checkpoints_invalidos ? <span className="state-bad"> · {s.checkpoints_invalidos} inválido(s)</span> : null}
        </>
      ) : (
        "nenhum ainda"
      ),
  },
  { header: "Não publicados", cell: (s) => n(s.nao_publicados), className: "num" },
  { header: "Pendentes", cell: (s) => n(s.pendentes), className: "num" },
  {
    header: "Cópia consolidada",
    cell: (s) =>
      s.copia_consolidada ? (
        <>
          <State ok={s.copia_consolidada.integra} />
          <span className="muted"> · {n(s.copia_consolidada.registros)} registros</span>
          {s.copia_consolidada.primeiro_registro_invalido !== undefined ? (
            <span> · inválida a partir do nº {s.copia_consolidada.primeiro_registro_invalido}</span>
          ) : null}
        </>
      ) : (
        "—"
      ),
  },
  {
    header: "Achados",
    cell: (s) =>
      s.erro ? (
        <span className="state-bad">Serviço não respondeu: {s.erro}</span>
      ) : s.achados && s.achados.length ? (
        <ul className="findings">
          {s.achados.map((a, i) => (
            <li key={i}>
              <strong>{achadoLabel(a.tipo)}</strong>
              {a.primeiro_registro === null ? "" : ` a partir do nº ${a.primeiro_registro}`}: {a.descricao}
            </li>
          ))}
        </ul>
      ) : (
        "nenhum"
      ),
  },
];

export function summary(v: Verificacao): string {
  const total = v.servicos.reduce((s, x) => s + (x.registros ?? 0), 0);
  const bad = v.servicos.filter((s) => !s.integra).map((s) => servicoLabel(s.servico));
  if (bad.length === 0) return `${formatNumber(total)} registros verificados em ${v.servicos.length} serviços; nenhum problema encontrado.`;
  return `Problema em: ${bad.join(", ")}. Veja abaixo o primeiro registro afetado de cada um.`;
}

export function ChainVerificationPage() {
  const loaded = useGet<Verificacao>("/v1/relatorios/auditoria/verificacao");
  return (
    <Page
      title="Verificação da cadeia"
      actions={
        <Button onClick={loaded.reload} pending={loaded.loading}>
          Verificar de novo
        </Button>
      }
    >
      <p className="lead">
        Cada serviço recalcula a cadeia de hashes da sua trilha; a cópia consolidada e os checkpoints assinados são
        comparados com ela. Consulte a <Link to="/auditoria">trilha de auditoria</Link> para ler os registros.
      </p>
      <Await loaded={loaded}>
        {(v) => (
          <>
            <Verdict ok={v.integra} detail={summary(v)} />
            <Section title="Por serviço">
              <Table columns={columns} rows={v.servicos} rowKey={(s) => s.servico} caption="Verificação de cada serviço" />
            </Section>
          </>
        )}
      </Await>
    </Page>
  );
}
