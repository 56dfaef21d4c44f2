// Painel: the plant at a glance — lots and OPs by status, open deviations, lots expiring soon,
// losses of the last 30 days and lots at risk of expiring unused.
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { formatInstant, formatNumber, statusLabel } from "../../lib/format";
import { Await, Button, Page, Section } from "../../ui/components";
import { useGet } from "../../ui/hooks";
import type { Painel } from "./types";
import "./auditoria.css";

const LOTES = ["quarentena", "liberado", "reprovado", "recolhido"];
const OPS = ["planejada", "em_execucao", "bloqueada", "concluida", "cancelada"];

function Counter({ label, value, link }: { label: string; value: number; link?: { to: string; text: string } }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{formatNumber(value)}</dd>
      {link ? (
        <dd className="counter-link">
          <Link to={link.to}>{link.text}</Link>
        </dd>
      ) : null}
    </div>
  );
}

function Counters({ children }: { children: ReactNode }) {
  return <dl className="counters">{children}</dl>;
}

export function DashboardPage() {
  const loaded = useGet<Painel>("/v1/relatorios/painel");
  return (
    <Page title="Painel" actions={<Button onClick={loaded.reload} pending={loaded.loading}>Atualizar</Button>}>
      <Await loaded={loaded}>
        {(p) => (
          <>
            <p className="muted">Contagens de {formatInstant(p.gerado_em, true)}.</p>
            <Section title="Lotes por status">
              <Counters>
                {LOTES.map((s) => (
                  <Counter key={s} label={statusLabel(s)} value={p.lotes_por_status[s] ?? 0} />
                ))}
              </Counters>
            </Section>
            <Section title="Vencimentos e desvios">
              <Counters>
                <Counter
                  label="Vencem em até 30 dias"
                  value={p.lotes_vencendo_30_dias}
                  link={{ to: "/relatorios/vencimentos?dias=30", text: "Ver lotes (30 dias)" }}
                />
                <Counter
                  label="Vencem em até 90 dias"
                  value={p.lotes_vencendo_90_dias}
                  link={{ to: "/relatorios/vencimentos?dias=90", text: "Ver lotes (90 dias)" }}
                />
                <Counter label="Desvios abertos" value={p.desvios_abertos} />
              </Counters>
            </Section>
            <Section title="Perdas">
              <Counters>
                <Counter
                  label="Perdas nos últimos 30 dias"
                  value={p.perdas_30_dias}
                  link={{ to: "/relatorios/perdas", text: "Ver perdas" }}
                />
                <Counter
                  label="Lotes em risco de vencer sem uso"
                  value={p.perdas_evitaveis}
                  link={{ to: "/relatorios/perdas", text: "Ver perdas evitáveis" }}
                />
              </Counters>
            </Section>
            <Section title="Ordens de produção por status">
              <Counters>
                {OPS.map((s) => (
                  <Counter key={s} label={statusLabel(s)} value={p.ops_por_status[s] ?? 0} />
                ))}
              </Counters>
            </Section>
          </>
        )}
      </Await>
    </Page>
  );
}
