// Registro de lote: the batch record of an OP as an inspector reads and prints it — every
// step with its parameters against the recipe's limits (out-of-limit values flagged, in words,
// with their motivo), who recorded it and when, the insumo lots consumed, the lots made with
// their QC outcome and signed laudos, the deviations, the status history (RULES.md B8, G2) and
// the signed review of the record by exception, or that it has none yet (G1).
import { useParams } from "react-router-dom";
import { formatInstant, formatNumber, formatDate, statusLabel } from "../../lib/format";
import { Await, Button, Facts, Page, Section, StatusBadge, Table } from "../../ui/components";
import { useGet } from "../../ui/hooks";
import { Signatures } from "../../ui/signature";
import { LotLink } from "./common";
import type { EtapaOp, RegistroDeLote } from "./types";
import "./auditoria.css";

function limits(p: EtapaOp["parametros"][number]): string {
  const u = p.unidade ? " " + p.unidade : "";
  if (p.minimo !== undefined && p.maximo !== undefined) return `${formatNumber(p.minimo)} a ${formatNumber(p.maximo)}${u}`;
  if (p.minimo !== undefined) return `mín. ${formatNumber(p.minimo)}${u}`;
  if (p.maximo !== undefined) return `máx. ${formatNumber(p.maximo)}${u}`;
  return "sem limites";
}

function Step({ etapa }: { etapa: EtapaOp }) {
  const r = etapa.registro;
  const out = new Set(r?.fora_dos_limites.map((f) => f.parametro) ?? []);
  return (
    <Section title={`Etapa ${etapa.ordem}: ${etapa.nome}`}>
      {r ? (
        <p>
          Registrada por <strong>{r.registrado_por}</strong> em {formatInstant(r.registrado_em, true)}
          {r.sinalizado ? <strong className="flag"> · ⚠ Valor fora do limite</strong> : null}
        </p>
      ) : (
        <p className="flag">Etapa ainda não registrada.</p>
      )}
      {etapa.parametros.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Parâmetros da etapa {etapa.ordem}</caption>
            <thead>
              <tr>
                <th scope="col">Parâmetro</th>
                <th scope="col" className="num">Valor</th>
                <th scope="col">Limites da receita</th>
                <th scope="col">Conformidade</th>
              </tr>
            </thead>
            <tbody>
              {etapa.parametros.map((p) => {
                const value = r?.parametros[p.nome];
                const flagged = out.has(p.nome);
                return (
                  <tr key={p.nome} className={flagged ? "flagged" : undefined}>
                    <th scope="row">{p.nome}</th>
                    <td className="num" data-label="Valor">{value === undefined ? "—" : formatNumber(value, p.unidade)}</td>
                    <td data-label="Limites da receita">{limits(p)}</td>
                    <td data-label="Conformidade">
                      {!r ? "—" : flagged ? <strong className="flag">⚠ Fora do limite</strong> : "Dentro do limite"}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">Etapa sem parâmetros de processo.</p>
      )}
      {r?.motivo ? (
        <p>
          <strong>Motivo do valor fora do limite:</strong> {r.motivo}
        </p>
      ) : null}
      {r?.observacao ? (
        <p>
          <strong>Observação:</strong> {r.observacao}
        </p>
      ) : null}
    </Section>
  );
}

export function BatchRecordPage() {
  const { id = "" } = useParams();
  const loaded = useGet<RegistroDeLote>(`/v1/relatorios/ordens-producao/${encodeURIComponent(id)}`);
  const code = loaded.data?.ordem_producao.codigo;
  return (
    <Page title={code ? `Registro de lote da ${code}` : "Registro de lote"} actions={<Button onClick={() => window.print()}>Imprimir</Button>}>
      <Await loaded={loaded}>
        {({ ordem_producao: op, historico_status, desvios, revisao, gerado_em }) => (
          <>
            <Section title="Ordem de produção">
              <Facts
                items={[
                  ["OP", op.codigo],
                  ["Produto", op.produto],
                  ["Quantidade planejada", formatNumber(op.quantidade)],
                  ["Receita", `versão ${op.receita_versao}`],
                  ["Status", <StatusBadge status={op.status} />],
                  ["Criada por", `${op.criado_por} em ${formatInstant(op.criado_em)}`],
                  ["Iniciada em", formatInstant(op.iniciada_em)],
                  ["Concluída em", formatInstant(op.concluida_em)],
                  ...(op.cancelada_em ? ([["Cancelada em", `${formatInstant(op.cancelada_em)} — ${op.motivo_cancelamento ?? ""}`]] as [string, string][]) : []),
                  ["Etapas fora do limite", String(op.etapas.filter((e) => e.registro?.sinalizado).length)],
                ]}
              />
              <p className="muted">Registro montado em {formatInstant(gerado_em, true)}.</p>
            </Section>
            {op.etapas.map((e) => (
              <Step key={e.ordem} etapa={e} />
            ))}
            <Section title="Consumos de insumos">
              <Table
                caption="Insumos consumidos, com os lotes tomados por FEFO"
                rows={op.consumos}
                rowKey={(c) => c.consumo_id}
                empty="Nenhum consumo registrado."
                columns={[
                  { header: "Material", cell: (c) => c.material },
                  { header: "Quantidade", cell: (c) => formatNumber(c.quantidade), className: "num" },
                  {
                    header: "Lotes",
                    cell: (c) => (
                      <ul className="findings">
                        {c.lotes.map((l) => (
                          <li key={l.lote_id}>
                            <LotLink codigo={l.lote_codigo} />: {formatNumber(l.quantidade)} (validade {formatDate(l.validade)})
                          </li>
                        ))}
                      </ul>
                    ),
                  },
                  { header: "Por", cell: (c) => `${c.criado_por} em ${formatInstant(c.criado_em)}` },
                ]}
              />
            </Section>
            <Section title="Lotes produzidos e resultado do CQ">
              <Table
                caption="Lotes produzidos pela OP"
                rows={op.lotes}
                rowKey={(l) => l.id}
                empty="Nenhum lote produzido."
                columns={[
                  { header: "Lote", cell: (l) => <LotLink codigo={l.codigo} /> },
                  { header: "Quantidade", cell: (l) => formatNumber(l.quantidade, l.unidade), className: "num" },
                  { header: "Fabricação", cell: (l) => formatDate(l.data_fabricacao) },
                  { header: "Validade", cell: (l) => formatDate(l.validade) },
                  { header: "Status", cell: (l) => <StatusBadge status={l.status} /> },
                  { header: "Resultado do CQ", cell: (l) => statusLabel(l.resultado_cq) },
                  {
                    header: "Laudos",
                    cell: (l) => (l.laudos.length ? <Signatures items={l.laudos.map((x) => x.assinatura)} /> : "—"),
                  },
                ]}
              />
            </Section>
            <Section title="Desvios">
              <Table
                caption="Desvios da OP ou de seus lotes"
                rows={desvios}
                rowKey={(d) => d.desvio_id}
                empty="Nenhum desvio."
                columns={[
                  { header: "Classificação", cell: (d) => <StatusBadge status={d.classificacao} /> },
                  { header: "Descrição", cell: (d) => d.descricao ?? "—" },
                  { header: "Status", cell: (d) => <StatusBadge status={d.status} /> },
                  { header: "Aberto em", cell: (d) => formatInstant(d.aberto_em) },
                  { header: "Encerrado em", cell: (d) => formatInstant(d.encerrado_em) },
                ]}
              />
            </Section>
            <Section title="Revisão do registro de lote">
              {revisao ? (
                <>
                  <Facts
                    items={[
                      ["Revisado por", revisao.revisado_por],
                      ["Revisado em", formatInstant(revisao.revisado_em, true)],
                      ["Exceções listadas na revisão", String(revisao.excecoes)],
                    ]}
                  />
                  <Signatures items={[revisao.assinatura]} />
                </>
              ) : (
                <p className="flag">
                  Não revisado: o registro de lote ainda não tem a revisão assinada pela Qualidade, que vem antes da
                  aprovação dos lotes.
                </p>
              )}
            </Section>
            <Section title="Histórico de status">
              <Table
                caption="Mudanças de status da OP, da mais antiga à mais recente"
                rows={historico_status}
                rowKey={(h) => h.ocorrido_em + h.status}
                empty="Nenhuma mudança registrada."
                columns={[
                  { header: "Quando", cell: (h) => formatInstant(h.ocorrido_em, true) },
                  { header: "De", cell: (h) => (h.status_anterior ? statusLabel(h.status_anterior) : "(criação)") },
                  { header: "Para", cell: (h) => <StatusBadge status={h.status} /> },
                  { header: "Por", cell: (h) => h.usuario ?? "—" },
                ]}
              />
            </Section>
          </>
        )}
      </Await>
    </Page>
  );
}
