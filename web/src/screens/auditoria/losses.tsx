// Perdas: what was lost, by material, cause (vencido, reprovado, descartado, recolhido) and
// month, for a period, as the Relatórios report gives it (CSV too), with the totals per
// material, and the lots that will expire before FEFO reaches them at the recent rate of use.
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { get } from "../../api/client";
import { formatDate, formatNumber } from "../../lib/format";
import { Await, Button, Page, Section, Table } from "../../ui/components";
import { TextField } from "../../ui/fields";
import { useLoad } from "../../ui/hooks";
import { DownloadButton, LotLink } from "./common";
import { causaLabel, isoToBr, readPeriod } from "./labels";
import "./auditoria.css";

interface Perda {
  material: string;
  material_nome: string | null;
  unidade: string;
  causa: string;
  mes: string;
  quantidade: number;
  lotes: number;
}

interface Total {
  material: string;
  material_nome: string | null;
  unidade: string;
  quantidade: number;
}

interface Evitavel {
  lote_id: string;
  lote_codigo: string;
  material: string;
  material_nome: string | null;
  unidade: string;
  validade: string;
  saldo: number;
  quantidade_em_risco: number;
  uso_por_dia: number;
  alcancado_em: string | null;
}

interface Perdas {
  de: string;
  ate: string;
  perdas: Perda[];
  totais: Total[];
  evitaveis: Evitavel[];
  dias_do_uso_recente: number;
}

// "2026-11" as "11/2026".
const month = (m: string) => (/^\d{4}-\d{2}$/.test(m) ? `${m.slice(5, 7)}/${m.slice(0, 4)}` : m);
const materialName = (x: { material: string; material_nome: string | null }) =>
  x.material_nome ? `${x.material_nome} (${x.material})` : x.material;

export function LossesPage() {
  const [params, setParams] = useSearchParams();
  const applied = { de: params.get("de") ?? "", ate: params.get("ate") ?? "", material: params.get("material") ?? "" };
  const [form, setForm] = useState({ ...applied, de: isoToBr(applied.de), ate: isoToBr(applied.ate) });
  const [problems, setProblems] = useState<{ de?: string; ate?: string }>({});
  const query = { de: applied.de, ate: applied.ate, material: applied.material };
  const loaded = useLoad<Perdas>(() => get<Perdas>("/v1/relatorios/perdas", query), [JSON.stringify(query)]);

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
        <DownloadButton path="/v1/relatorios/perdas" accept="text/csv" filename="perdas.csv" query={query}>
          Exportar CSV
        </DownloadButton>
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
        {(report) => <Report report={report} />}
      </Await>
    </Page>
  );
}

function Report({ report }: { report: Perdas }) {
  return (
    <>
      <p className="muted">
        De {formatDate(report.de)} a {formatDate(report.ate)}. Um lote é perdido com o saldo que ainda tinha: vencido no dia
        seguinte à validade, reprovado no dia do laudo, recolhido no dia do recolhimento; uma devolução descartada pelo CQ é
        perdida na quantidade devolvida.
      </p>
      <Section title="Perdas por material, causa e mês">
        <Table
          caption="Perdas no período"
          rows={report.perdas}
          rowKey={(p) => `${p.material}|${p.causa}|${p.mes}`}
          empty="Nenhuma perda no período."
          columns={[
            { header: "Mês", cell: (p) => month(p.mes) },
            { header: "Material", cell: materialName },
            { header: "Causa", cell: (p) => causaLabel(p.causa) },
            { header: "Quantidade", cell: (p) => formatNumber(p.quantidade, p.unidade), className: "num" },
            { header: "Lotes", cell: (p) => formatNumber(p.lotes), className: "num" },
          ]}
        />
      </Section>
      {report.totais.length ? (
        <Section title="Total por material">
          <Table
            caption="Total perdido por material no período"
            rows={report.totais}
            rowKey={(t) => `${t.material}|${t.unidade}`}
            columns={[
              { header: "Material", cell: materialName },
              { header: "Quantidade", cell: (t) => formatNumber(t.quantidade, t.unidade), className: "num" },
            ]}
          />
        </Section>
      ) : null}
      <Section title="Perdas evitáveis">
        <p className="muted">
          Lotes liberados que vencerão antes de a FEFO chegar a eles, no ritmo de uso dos últimos {report.dias_do_uso_recente}{" "}
          dias. Antecipe o uso, transfira ou renegocie antes da validade.
        </p>
        <Table
          caption="Lotes em risco de vencer sem uso"
          rows={report.evitaveis}
          rowKey={(x) => x.lote_id}
          empty="Nenhum lote em risco."
          columns={[
            { header: "Lote", cell: (x) => <LotLink codigo={x.lote_codigo} /> },
            { header: "Material", cell: materialName },
            { header: "Validade", cell: (x) => formatDate(x.validade) },
            { header: "Saldo", cell: (x) => formatNumber(x.saldo, x.unidade), className: "num" },
            { header: "Em risco", cell: (x) => formatNumber(x.quantidade_em_risco, x.unidade), className: "num" },
            { header: "Uso por dia", cell: (x) => formatNumber(x.uso_por_dia, x.unidade), className: "num" },
            { header: "FEFO chega em", cell: (x) => (x.alcancado_em ? formatDate(x.alcancado_em) : "sem uso recente") },
          ]}
        />
      </Section>
    </>
  );
}
