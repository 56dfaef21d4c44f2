// Perdas: what was lost, by material, cause (vencido, reprovado, descartado, recolhido) and
// month, for a period, as the Relatórios report gives it (CSV too), and the lots that will
// expire before FEFO reaches them. Where the server does not offer the report, the screen
// says so and shows what Estoque does know: the balances that can no longer be used.
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { get, type Page as ListPage } from "../../api/client";
import { ApiError } from "../../api/problem";
import { formatDate, formatNumber } from "../../lib/format";
import { Await, Button, Notice, Page, Section, StatusBadge, Table } from "../../ui/components";
import { TextField } from "../../ui/fields";
import { useLoad } from "../../ui/hooks";
import { DownloadButton, LotLink } from "./common";
import { causaLabel, isoToBr, readPeriod } from "./labels";
import "./auditoria.css";

interface Perda {
  material: string;
  material_nome?: string | null;
  causa: string;
  mes?: string;
  quantidade: number | string;
  unidade?: string;
  lotes?: number;
}

interface Evitavel {
  lote_id?: string;
  lote_codigo: string;
  material: string;
  validade: string;
  quantidade: number | string;
  unidade?: string;
}

interface Perdas {
  items: Perda[];
  evitaveis?: Evitavel[];
}

interface Saldo {
  lote_id: string;
  lote_codigo: string;
  material: string;
  unidade: string;
  quantidade: number | string;
  validade: string;
  vencido: boolean;
  status: string;
}

interface Retido extends Saldo {
  causa: string;
}

type Loaded = { kind: "report"; report: Perdas } | { kind: "stock"; lots: Retido[] };

// "2026-11" as "11/2026".
const month = (m: string | undefined) => (m && /^\d{4}-\d{2}/.test(m) ? `${m.slice(5, 7)}/${m.slice(0, 4)}` : m ?? "—");

// Balances that can no longer be used: lots reprovados or recolhidos, and lots past their
// validade (FEFO order puts them first in each status).
async function fromStock(material: string): Promise<Retido[]> {
  const page = (status: string) =>
    get<ListPage<Saldo>>("/v1/estoque/saldos", { status, material: material || undefined, limit: 500 }).then((p) => p.items);
  const [reprovados, recolhidos, liberados, quarentena] = await Promise.all([
    page("reprovado"),
    page("recolhido"),
    page("liberado"),
    page("quarentena"),
  ]);
  return [
    ...reprovados.map((s) => ({ ...s, causa: "reprovado" })),
    ...recolhidos.map((s) => ({ ...s, causa: "recolhido" })),
    ...[...liberados, ...quarentena].filter((s) => s.vencido).map((s) => ({ ...s, causa: "vencido" })),
  ];
}

export function LossesPage() {
  const [params, setParams] = useSearchParams();
  const applied = { de: params.get("de") ?? "", ate: params.get("ate") ?? "", material: params.get("material") ?? "" };
  const [form, setForm] = useState({ ...applied, de: isoToBr(applied.de), ate: isoToBr(applied.ate) });
  const [problems, setProblems] = useState<{ de?: string; ate?: string }>({});
  const query = { de: applied.de, ate: applied.ate, material: applied.material };
  const loaded = useLoad<Loaded>(async () => {
    try {
      return { kind: "report", report: await get<Perdas>("/v1/relatorios/perdas", query) };
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return { kind: "stock", lots: await fromStock(applied.material) };
      throw e;
    }
  }, [JSON.stringify(query)]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const period = readPeriod(form.de, form.ate);
    setProblems(period.errors);
    if (period.errors.de || period.errors.ate) return;
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...form, de: period.de, ate: period.ate })) if (v.trim()) next.set(k, v.trim());
    setParams(next);
  };

  return (
    <Page
      title="Perdas"
      actions={
        loaded.data?.kind === "report" ? (
          <DownloadButton path="/v1/relatorios/perdas" accept="text/csv" filename="perdas.csv" query={query}>
            Exportar CSV
          </DownloadButton>
        ) : null
      }
    >
      <form className="filters-form" onSubmit={submit} aria-label="Filtros das perdas">
        <div className="filters">
          <TextField label="De (dd/mm/aaaa)" name="de" value={form.de} onChange={(v) => setForm((f) => ({ ...f, de: v }))} placeholder="dd/mm/aaaa" error={problems.de} />
          <TextField label="Até (dd/mm/aaaa)" name="ate" value={form.ate} onChange={(v) => setForm((f) => ({ ...f, ate: v }))} placeholder="dd/mm/aaaa" error={problems.ate} />
          <TextField label="Material (código)" name="material" value={form.material} onChange={(v) => setForm((f) => ({ ...f, material: v }))} />
        </div>
        <div className="actions">
          <Button type="submit" kind="primary">
            Filtrar
          </Button>
        </div>
      </form>
      <Await loaded={loaded}>
        {(data) => (data.kind === "report" ? <Report report={data.report} /> : <FromStock lots={data.lots} />)}
      </Await>
    </Page>
  );
}

function Report({ report }: { report: Perdas }) {
  return (
    <>
      <Section title="Perdas por material, causa e mês">
        <Table
          caption="Perdas no período"
          rows={report.items}
          rowKey={(p) => `${p.material}|${p.causa}|${p.mes ?? ""}`}
          empty="Nenhuma perda no período."
          columns={[
            { header: "Mês", cell: (p) => month(p.mes) },
            { header: "Material", cell: (p) => (p.material_nome ? `${p.material_nome} (${p.material})` : p.material) },
            { header: "Causa", cell: (p) => causaLabel(p.causa) },
            { header: "Quantidade", cell: (p) => formatNumber(p.quantidade, p.unidade), className: "num" },
            ...(report.items.some((p) => p.lotes !== undefined) ? [{ header: "Lotes", cell: (p: Perda) => p.lotes ?? "—", className: "num" }] : []),
          ]}
        />
      </Section>
      {report.evitaveis ? (
        <Section title="Perdas evitáveis">
          <p className="muted">Lotes que vencerão antes de a FEFO chegar a eles, no ritmo de consumo atual.</p>
          <Table
            caption="Lotes em risco de vencer sem uso"
            rows={report.evitaveis}
            rowKey={(x) => x.lote_id ?? x.lote_codigo}
            empty="Nenhum lote em risco."
            columns={[
              { header: "Lote", cell: (x) => <LotLink codigo={x.lote_codigo} /> },
              { header: "Material", cell: (x) => x.material },
              { header: "Validade", cell: (x) => formatDate(x.validade) },
              { header: "Quantidade", cell: (x) => formatNumber(x.quantidade, x.unidade), className: "num" },
            ]}
          />
        </Section>
      ) : null}
    </>
  );
}

function FromStock({ lots }: { lots: Retido[] }) {
  return (
    <>
      <Notice tone="warning">
        O relatório de perdas por período ainda não é oferecido pelo servidor. Abaixo, o que o estoque mostra agora: os
        saldos que não podem mais ser usados (o filtro de período não se aplica a eles).
      </Notice>
      <Section title="Saldos retidos no estoque">
        <Table
          caption="Lotes reprovados, recolhidos ou vencidos com saldo"
          rows={lots}
          rowKey={(x) => x.lote_id + x.causa}
          empty="Nenhum saldo retido."
          columns={[
            { header: "Causa", cell: (x) => causaLabel(x.causa) },
            { header: "Lote", cell: (x) => <LotLink codigo={x.lote_codigo} /> },
            { header: "Material", cell: (x) => x.material },
            { header: "Status", cell: (x) => <StatusBadge status={x.status} /> },
            { header: "Validade", cell: (x) => formatDate(x.validade) },
            { header: "Saldo", cell: (x) => formatNumber(x.quantidade, x.unidade), className: "num" },
          ]}
        />
      </Section>
    </>
  );
}
