// Stock per lot in FEFO order — the order allocations take lots in — with how near each lot is
// to its validade, filtered by material and status.
import { formatNumber } from "../../lib/format";
import { PagedTable, StatusBadge, type Column } from "../../ui/components";
import { SelectField, statusOptions } from "../../ui/fields";
import { usePaged, type Paged } from "../../ui/hooks";
import { LotLink, materialOptions, Page, Qty, useCatalogue, useFilter, Validade } from "./shared";
import type { Saldo } from "./types";

export const LOT_STATUSES = ["quarentena", "liberado", "reprovado", "recolhido"];

export function SaldosTable({ paged, caption, showMaterial = true }: { paged: Paged<Saldo>; caption: string; showMaterial?: boolean }) {
  const columns: Column<Saldo>[] = [
    { header: "Lote", cell: (s) => <LotLink codigo={s.lote_codigo} id={s.lote_id} /> },
    ...(showMaterial ? [{ header: "Material", cell: (s: Saldo) => s.material }] : []),
    { header: "Quantidade", cell: (s) => <Qty value={s.quantidade} unit={s.unidade} />, className: "num" },
    { header: "Reservada", cell: (s) => <Qty value={s.reservada} unit={s.unidade} />, className: "num" },
    {
      header: "Disponível",
      cell: (s) => (
        <span>
          <Qty value={s.disponivel} unit={s.unidade} />
          {s.devolvida_em_avaliacao > 0 ? (
            <span className="expiry expiry-ok">(+ {formatNumber(s.devolvida_em_avaliacao)} em avaliação)</span>
          ) : null}
        </span>
      ),
      className: "num",
    },
    { header: "Validade", cell: (s) => <Validade date={s.validade} /> },
    { header: "Status", cell: (s) => <StatusBadge status={s.status} /> },
  ];
  return <PagedTable paged={paged} caption={caption} rowKey={(s) => s.lote_id} columns={columns} empty="Nenhum lote com saldo." />;
}

export function StockPage() {
  const [material, setMaterial] = useFilter("material");
  const [status, setStatus] = useFilter("status");
  const catalogue = useCatalogue();
  const paged = usePaged<Saldo>("/v1/estoque/saldos", { material, status });
  return (
    <Page title="Saldos em estoque">
      <p className="lead">
        Lotes com saldo na ordem FEFO: o primeiro a vencer sai primeiro. Só lotes liberados e dentro da validade têm
        quantidade disponível.
      </p>
      <div className="filters">
        <SelectField label="Material" name="material" value={material} onChange={setMaterial} placeholder="Todos" options={materialOptions(catalogue.data)} />
        <SelectField label="Status" name="status" value={status} onChange={setStatus} placeholder="Todos" options={statusOptions(LOT_STATUSES)} />
      </div>
      <SaldosTable paged={paged} caption="Saldos por lote, ordem FEFO" />
    </Page>
  );
}
