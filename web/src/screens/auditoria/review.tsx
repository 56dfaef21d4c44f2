// Revisão periódica (auditor, administrador): the user access review — every account, its roles,
// its last sign-in, who granted what and when — and the signature log of a period, each to read
// here and to hand over as CSV or PDF.
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { formatInstant, roleLabel, significadoLabel } from "../../lib/format";
import { Await, Page, Section, StatusBadge, Table, Button } from "../../ui/components";
import { TextField } from "../../ui/fields";
import { useGet } from "../../ui/hooks";
import { DownloadButton } from "./common";
import { acaoLabel, isoToBr, periodToInstants, readPeriod, servicoLabel } from "./labels";
import "./auditoria.css";

interface Concessao {
  acao: string;
  em: string;
  por: string;
  por_nome: string;
  antes: { roles?: string[]; ativo?: boolean } | null;
  depois: { roles?: string[]; ativo?: boolean } | null;
  motivo: string | null;
}

interface Conta {
  id: string;
  username: string;
  nome: string;
  roles: string[];
  ativo: boolean;
  bloqueado_ate: string | null;
  ultimo_acesso_em: string | null;
  concessoes: Concessao[];
}

interface Assinatura {
  em: string;
  nome: string;
  usuario: string;
  significado: string;
  servico: string;
  sequencia: number;
  acao: string;
  entidade: string;
  entidade_id: string;
  motivo: string | null;
}

const roles = (r: string[] | undefined) => (r && r.length ? r.map(roleLabel).join(", ") : "—");

function lastChange(c: Conta): string {
  const g = c.concessoes[c.concessoes.length - 1];
  return g ? `${formatInstant(g.em)} por ${g.por_nome || g.por}` : "—";
}

function AccessReview() {
  const loaded = useGet<{ contas: Conta[]; gerado_em: string }>("/v1/usuarios/revisao-de-acesso");
  return (
    <Section
      title="Revisão de acessos"
      actions={
        <div className="exports">
          <DownloadButton path="/v1/usuarios/revisao-de-acesso" accept="text/csv" filename="revisao-de-acesso.csv">
            Baixar CSV
          </DownloadButton>
          <DownloadButton path="/v1/usuarios/revisao-de-acesso" accept="application/pdf" filename="revisao-de-acesso.pdf">
            Baixar PDF
          </DownloadButton>
        </div>
      }
    >
      <Await loaded={loaded}>
        {(review) => (
          <>
            <p className="muted">
              {review.contas.length} contas em {formatInstant(review.gerado_em, true)}. Confirme que cada conta ativa ainda
              precisa dos papéis que tem; as alterações de acesso são registradas na trilha de auditoria.
            </p>
            <Table
              caption="Contas, papéis e último acesso"
              rows={review.contas}
              rowKey={(c) => c.id}
              columns={[
                { header: "Conta", cell: (c) => `${c.nome} (${c.username})` },
                { header: "Papéis", cell: (c) => roles(c.roles) },
                { header: "Situação", cell: (c) => <StatusBadge status={c.ativo ? "ativo" : "inativo"} /> },
                { header: "Último acesso", cell: (c) => (c.ultimo_acesso_em ? formatInstant(c.ultimo_acesso_em) : "nunca") },
                { header: "Última alteração de acesso", cell: lastChange },
                { header: "Alterações", cell: (c) => c.concessoes.length, className: "num" },
              ]}
            />
          </>
        )}
      </Await>
    </Section>
  );
}

function SignatureLog() {
  const [params, setParams] = useSearchParams();
  const applied = { de: params.get("de") ?? "", ate: params.get("ate") ?? "", usuario: params.get("usuario") ?? "" };
  const [form, setForm] = useState({ ...applied, de: isoToBr(applied.de), ate: isoToBr(applied.ate) });
  const [problems, setProblems] = useState<{ de?: string; ate?: string }>({});
  const period = periodToInstants(applied.de, applied.ate);
  const query = { de: period.de, ate: period.ate, usuario: applied.usuario || undefined };
  const loaded = useGet<{ items: Assinatura[]; truncado: boolean }>("/v1/relatorios/assinaturas", query);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = readPeriod(form.de, form.ate);
    setProblems(p.errors);
    if (p.errors.de || p.errors.ate) return;
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...form, de: p.de, ate: p.ate })) if (v.trim()) next.set(k, v.trim());
    setParams(next);
  };
  return (
    <Section
      title="Registro de assinaturas"
      actions={
        <div className="exports">
          <DownloadButton path="/v1/relatorios/assinaturas" accept="text/csv" filename="assinaturas.csv" query={query}>
            Baixar CSV
          </DownloadButton>
          <DownloadButton path="/v1/relatorios/assinaturas" accept="application/pdf" filename="assinaturas.pdf" query={query}>
            Baixar PDF
          </DownloadButton>
        </div>
      }
    >
      <form className="filters-form" onSubmit={submit} aria-label="Filtros das assinaturas">
        <div className="filters">
          <TextField label="De (dd/mm/aaaa)" name="de" value={form.de} onChange={(v) => setForm((f) => ({ ...f, de: v }))} placeholder="dd/mm/aaaa" error={problems.de} />
          <TextField label="Até (dd/mm/aaaa)" name="ate" value={form.ate} onChange={(v) => setForm((f) => ({ ...f, ate: v }))} placeholder="dd/mm/aaaa" error={problems.ate} />
          <TextField label="Usuário (login)" name="usuario" value={form.usuario} onChange={(v) => setForm((f) => ({ ...f, usuario: v }))} autoComplete="off" />
        </div>
        <div className="actions">
          <Button type="submit" kind="primary">
            Filtrar
          </Button>
        </div>
      </form>
      <Await loaded={loaded}>
        {(log) => (
          <>
            {log.truncado ? <p className="muted">Lista truncada no limite: restrinja o período.</p> : null}
            <Table
              caption="Assinaturas eletrônicas, da mais antiga à mais recente"
              rows={log.items}
              rowKey={(a) => `${a.servico}|${a.sequencia}`}
              empty="Nenhuma assinatura no período."
              columns={[
                { header: "Assinada em", cell: (a) => formatInstant(a.em, true) },
                { header: "Assinante", cell: (a) => `${a.nome} (${a.usuario})` },
                { header: "Significado", cell: (a) => significadoLabel(a.significado) },
                { header: "Ato", cell: (a) => `${servicoLabel(a.servico)} · ${acaoLabel(a.acao)}` },
                { header: "Registro", cell: (a) => `${a.entidade} ${a.entidade_id}` },
                { header: "Motivo", cell: (a) => a.motivo || "—" },
              ]}
            />
          </>
        )}
      </Await>
    </Section>
  );
}

export function PeriodicReviewPage() {
  return (
    <Page title="Revisão periódica">
      <p className="lead">
        A revisão de acessos e o registro de assinaturas eletrônicas, para a revisão periódica do sistema (21 CFR Part 11,
        Anexo 11).
      </p>
      <AccessReview />
      <SignatureLog />
    </Page>
  );
}
