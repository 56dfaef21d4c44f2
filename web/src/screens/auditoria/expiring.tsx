// Vencimentos: lots in quarantine or released that expire within 30, 60 or 90 days. Listed
// soonest first — the order the risk comes in — rather than newest first.
import { Link, useSearchParams } from "react-router-dom";
import { formatDate, formatNumber } from "../../lib/format";
import { Page, PagedTable, Section, StatusBadge } from "../../ui/components";
import { usePaged } from "../../ui/hooks";
import { LotLink } from "./common";
import type { Vencimento } from "./types";
import "./auditoria.css";

export const WINDOWS = [30, 60, 90] as const;

export function ExpiringPage() {
  const [params] = useSearchParams();
  const asked = Number(params.get("dias"));
  const dias = (WINDOWS as readonly number[]).includes(asked) ? asked : 30;
  const paged = usePaged<Vencimento>("/v1/relatorios/estoque/vencimentos", { dias });
  return (
    <Page title="Vencimentos">
      <p className="lead">Lotes em quarentena ou liberados que vencem nos próximos dias, do vencimento mais próximo ao mais distante.</p>
      <nav aria-label="Janela de vencimento" className="choice">
        {WINDOWS.map((d) => (
          <Link key={d} to={`/relatorios/vencimentos?dias=${d}`} className="button" aria-current={d === dias ? "page" : undefined}>
            {d} dias
          </Link>
        ))}
      </nav>
      <Section title={`Vencem em até ${dias} dias`}>
        <PagedTable
          paged={paged}
          caption={`Lotes que vencem em até ${dias} dias`}
          rowKey={(v) => v.lote_id}
          empty={`Nenhum lote vence nos próximos ${dias} dias.`}
          columns={[
            { header: "Lote", cell: (v) => <LotLink codigo={v.lote_codigo} /> },
            { header: "Material", cell: (v) => (v.material_nome ? `${v.material_nome} (${v.material})` : v.material) },
            { header: "Status", cell: (v) => <StatusBadge status={v.status} /> },
            { header: "Validade", cell: (v) => formatDate(v.validade) },
            {
              header: "Dias restantes",
              className: "num",
              cell: (v) => (v.dias_restantes === 0 ? <strong className="flag">vence hoje</strong> : v.dias_restantes),
            },
            { header: "Quantidade criada", cell: (v) => formatNumber(v.quantidade, v.unidade), className: "num" },
          ]}
        />
      </Section>
    </Page>
  );
}
