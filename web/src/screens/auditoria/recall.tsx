// The recall report of a lot (RULES.md B5): the lot and every lot made from it, every
// confirmed shipment of any of them, and the customers to call, with quantities; as CSV too.
import { useParams } from "react-router-dom";
import { formatInstant, formatNumber } from "../../lib/format";
import { Await, Facts, Page, Section, StatusBadge, Table } from "../../ui/components";
import { useGet } from "../../ui/hooks";
import { DownloadButton, LotLink } from "./common";
import { tracePath } from "./paths";
import type { Recolhimento } from "./types";
import "./auditoria.css";

export function RecallReportPage() {
  const { codigo = "" } = useParams();
  const path = `/v1/relatorios/recolhimento/${encodeURIComponent(codigo)}`;
  const loaded = useGet<Recolhimento>(path);
  return (
    <Page
      title={`Recolhimento: impacto do lote ${codigo}`}
      back={{ to: tracePath(codigo), label: `Rastreabilidade do lote ${codigo}` }}
      actions={
        <div className="exports">
          <DownloadButton path={path} accept="text/csv" filename={`recolhimento-${codigo}.csv`}>
            Baixar CSV
          </DownloadButton>
          <DownloadButton path={path} accept="text/csv" filename={`recolhimento-${codigo}-planilha.csv`} query={{ formato: "excel" }}>
            Baixar para planilha
          </DownloadButton>
        </div>
      }
    >
      <Await loaded={loaded}>
        {(r) => (
          <>
            <Section title="Resumo">
              <dl className="counters">
                <div>
                  <dt>Lotes afetados</dt>
                  <dd>{r.totais.lotes}</dd>
                </div>
                <div>
                  <dt>Expedições</dt>
                  <dd>{r.totais.expedicoes}</dd>
                </div>
                <div>
                  <dt>Clientes</dt>
                  <dd>{r.totais.clientes}</dd>
                </div>
              </dl>
              <Facts
                items={[
                  ["Lote", r.lote.codigo],
                  ["Material", `${r.lote.material_nome ?? r.lote.material} (${r.lote.material})`],
                  ["Status", <StatusBadge status={r.lote.status} />],
                  ["Quantidade criada", formatNumber(r.lote.quantidade, r.lote.unidade)],
                ]}
              />
            </Section>
            <Section title="Clientes a contatar">
              <Table
                caption="Clientes que receberam algum lote afetado"
                rows={r.clientes}
                rowKey={(c) => c.documento}
                empty="Nenhum cliente recebeu lotes afetados."
                columns={[
                  { header: "Cliente", cell: (c) => c.nome },
                  { header: "Documento", cell: (c) => c.documento },
                  {
                    header: "Quantidade recebida",
                    className: "num",
                    cell: (c) =>
                      formatNumber(
                        r.expedicoes
                          .filter((x) => x.cliente.documento === c.documento)
                          .reduce((s, x) => s + Math.round(Number(x.quantidade) * 1000), 0) / 1000,
                      ),
                  },
                ]}
              />
            </Section>
            <Section title="Expedições">
              <Table
                caption="Expedições confirmadas de lotes afetados"
                rows={r.expedicoes}
                rowKey={(x) => x.expedicao_id + x.lote_id}
                empty="Nenhuma expedição de lotes afetados."
                columns={[
                  { header: "Confirmada em", cell: (x) => formatInstant(x.confirmada_em) },
                  { header: "Cliente", cell: (x) => x.cliente.nome },
                  { header: "Documento", cell: (x) => x.cliente.documento },
                  { header: "Lote", cell: (x) => <LotLink codigo={x.lote_codigo} /> },
                  { header: "Material", cell: (x) => x.material },
                  { header: "Quantidade", cell: (x) => formatNumber(x.quantidade), className: "num" },
                ]}
              />
            </Section>
            <Section title="Lotes afetados">
              <Table
                caption="O lote e os lotes feitos a partir dele, por nível"
                rows={r.lotes_afetados}
                rowKey={(x) => x.lote_id}
                columns={[
                  { header: "Nível", cell: (x) => (x.nivel === 0 ? "0 (o próprio lote)" : x.nivel) },
                  { header: "Lote", cell: (x) => <LotLink codigo={x.lote_codigo} /> },
                  { header: "Material", cell: (x) => x.material },
                  { header: "Status", cell: (x) => <StatusBadge status={x.status} /> },
                ]}
              />
            </Section>
          </>
        )}
      </Await>
    </Page>
  );
}
