// The lot page, for every role: a lot found by its code (typed, or read from its label by the
// search box), with where it stands and why it cannot be used, its quantities, where it came
// from, its quality record and its stock ledger.
import { Link, useLocation, useParams } from "react-router-dom";
import { download, get } from "../../api/client";
import { ApiError } from "../../api/problem";
import { formatDate, formatInstant, formatNumber } from "../../lib/format";
import { Await, Button, ButtonLink, Facts, Loading, PagedTable, ProblemAlert, Section, StatusBadge, Table } from "../../ui/components";
import { useGet, useLoad, usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { Signatures } from "../../ui/signature";
import { movimentacaoLabel } from "../estoque/labels";
import { materialPath } from "../estoque/materiais";
import { Page, PrintLabelButton, Qty, rememberLot, seenLotId, Validade } from "../estoque/shared";
import type { Lote, Material, Movimentacao } from "../estoque/types";
import { lotState } from "./lot-state";
import type { QualidadeLote, Rastreabilidade } from "./types";

class LotNotFound extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isNotFound = (e: unknown) => e instanceof ApiError && e.status === 404;

// A code to its lot: Relatórios knows every lot by code. It learns lots from events, so a lot
// registered a moment ago may take a second to appear there: a miss is asked again twice.
async function resolveLot(codigo: string, knownId: string | undefined): Promise<{ id: string; trace: Rastreabilidade | null }> {
  const path = `/v1/relatorios/rastreabilidade/${encodeURIComponent(codigo)}`;
  for (const wait of [0, 700, 1500]) {
    if (wait) await sleep(wait);
    try {
      const trace = await get<Rastreabilidade>(path, { direcao: "ascendente" });
      rememberLot(trace.lote.codigo, trace.lote.id);
      return { id: trace.lote.id, trace };
    } catch (e) {
      if (knownId) return { id: knownId, trace: null };
      if (!isNotFound(e)) throw e;
    }
  }
  throw new LotNotFound(codigo);
}

export function LotPage() {
  const { codigo: raw = "" } = useParams();
  const codigo = raw.trim().toUpperCase();
  const location = useLocation();
  const knownId = (location.state as { loteId?: string } | null)?.loteId ?? seenLotId(codigo);
  // Opening the lot again (a new scan of its label, a link) reads it again: location.key changes.
  const resolved = useLoad(() => resolveLot(codigo, knownId), [codigo, location.key]);
  if (resolved.error instanceof LotNotFound) {
    return (
      <Page title="Lote não encontrado">
        <p>
          Nenhum lote com o código <strong className="mono">{codigo}</strong> foi encontrado. Confira o código ou leia a
          etiqueta de novo.
        </p>
        <p className="muted">Se o lote acabou de ser registrado, aguarde alguns segundos e tente de novo.</p>
        <div className="inline-actions">
          <Button onClick={resolved.reload}>Tentar de novo</Button>
          <ButtonLink to="/estoque">Ver saldos em estoque</ButtonLink>
        </div>
      </Page>
    );
  }
  if (resolved.error) {
    return (
      <Page title={`Lote ${codigo}`}>
        <ProblemAlert error={resolved.error} />
      </Page>
    );
  }
  if (!resolved.data || resolved.loading) {
    return (
      <Page title={`Lote ${codigo}`}>
        <Loading what="Procurando o lote…" />
      </Page>
    );
  }
  return <LotDetail key={location.key} codigo={codigo} id={resolved.data.id} trace={resolved.data.trace} />;
}

function LotDetail({ codigo, id, trace }: { codigo: string; id: string; trace: Rastreabilidade | null }) {
  const estoque = useGet<Lote>(`/v1/estoque/lotes/${id}`);
  const lot = estoque.data;
  const material = useGet<Material>(lot ? `/v1/materiais/${encodeURIComponent(lot.material)}` : null);
  const nome = material.data?.nome ?? trace?.lote.material_nome ?? undefined;
  const label = lot ?? trace?.lote;
  return (
    <Page
      title={`Lote ${codigo}`}
      actions={
        <>
          {label ? (
            <PrintLabelButton lot={{ codigo, validade: label.validade, material: label.material, materialNome: nome, status: label.status }} />
          ) : null}
          <ButtonLink to={`/rastreabilidade/${encodeURIComponent(codigo)}`}>Rastreabilidade</ButtonLink>
        </>
      }
    >
      <Await loaded={estoque}>
        {(l) => (
          <>
            <StateSection lot={l} material={material.data} />
            <Section title="Estoque">
              <Facts
                items={[
                  ["Material", <Link to={materialPath(l.material)}>{nome ? `${l.material} — ${nome}` : l.material}</Link>],
                  ["Em estoque", <Qty value={l.quantidade} unit={l.unidade} />],
                  ["Reservada", <Qty value={l.reservada} unit={l.unidade} />],
                  ["Devolvida em avaliação", <Qty value={l.devolvida_em_avaliacao} unit={l.unidade} />],
                  ["Disponível", <strong><Qty value={l.disponivel} unit={l.unidade} /></strong>],
                  ["Validade", <Validade date={l.validade} />],
                ]}
              />
            </Section>
            <OriginSection lot={l} trace={trace} />
          </>
        )}
      </Await>
      <QualitySection id={id} codigo={codigo} />
      <LedgerSection id={id} unidade={lot?.unidade} opCodigo={trace?.lote.op_id ? { id: trace.lote.op_id, codigo: trace.lote.op_codigo } : null} />
    </Page>
  );
}

function StateSection({ lot, material }: { lot: Lote; material: Material | undefined }) {
  const s = lotState(lot, material);
  return (
    <Section title="Situação">
      <p className="lead-status">
        <StatusBadge status={lot.status} />
        {s.usavel && s.expedicao.length === 0 ? (
          <span className="state-ok">✓ Pode ser usado e expedido.</span>
        ) : s.usavel ? (
          <span className="state-ok">✓ Pode ser consumido na produção.</span>
        ) : (
          <strong>Não pode ser usado:</strong>
        )}
      </p>
      {s.bloqueios.length + s.expedicao.length + s.avisos.length > 0 ? (
        <ul className="state-list">
          {s.bloqueios.map((t) => (
            <li key={t} className="state-block">
              <span className="state-mark" aria-hidden="true">✗</span>
              <span>{t}</span>
            </li>
          ))}
          {s.expedicao.map((t) => (
            <li key={t} className="state-ship">
              <span className="state-mark" aria-hidden="true">⚠</span>
              <span>Não pode ser expedido. {t}</span>
            </li>
          ))}
          {s.avisos.map((t) => (
            <li key={t} className="state-info">
              <span className="state-mark" aria-hidden="true">ℹ</span>
              <span>{t}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

function OriginSection({ lot, trace }: { lot: Lote; trace: Rastreabilidade | null }) {
  if (lot.origem === "recebimento") {
    return (
      <Section title="Origem: recebimento">
        <Facts
          items={[
            ["Recebido em", formatInstant(lot.recebido_em)],
            ["Fornecedor", lot.fornecedor],
            ["Lote do fornecedor", lot.lote_fornecedor],
            ["Nota fiscal", lot.nota_fiscal],
            ["Fabricação", formatDate(lot.data_fabricacao)],
          ]}
        />
      </Section>
    );
  }
  return (
    <Section title="Origem: produção">
      <Facts
        items={[
          ["Ordem de produção", <span className="mono">{trace?.lote.op_codigo ?? lot.op_id ?? "—"}</span>],
          ["Fabricação", formatDate(lot.data_fabricacao)],
          ["Entrada no estoque", formatInstant(lot.recebido_em)],
        ]}
      />
    </Section>
  );
}

function QualitySection({ id, codigo }: { id: string; codigo: string }) {
  const { can } = useSession();
  const cq = useGet<QualidadeLote>(`/v1/cq/lotes/${id}`);
  if (isNotFound(cq.error)) {
    return (
      <Section title="Qualidade (CQ)">
        <p className="muted">O CQ ainda não registrou este lote; a amostra é criada assim que ele chega ao CQ.</p>
      </Section>
    );
  }
  return (
    <Section title="Qualidade (CQ)">
      <Await loaded={cq}>
        {(q) => (
          <>
            <Facts
              items={[
                ["Status no CQ", <StatusBadge status={q.status} />],
                [
                  "Amostra",
                  q.amostras.length
                    ? q.amostras.map((a) => (
                        <span key={a.id}>
                          {can("readSamples") ? <Link to={`/cq/amostras/${a.id}`} className="mono">{a.codigo}</Link> : <span className="mono">{a.codigo}</span>}{" "}
                          <StatusBadge status={a.status} />
                        </span>
                      ))
                    : "—",
                ],
                ["Desvios abertos", q.desvios_abertos ? <span className="flag">{q.desvios_abertos} — bloqueiam a aprovação</span> : "Nenhum"],
              ]}
            />
            <h3>Laudos</h3>
            {q.laudos.length === 0 ? <p className="empty">Nenhum laudo emitido.</p> : null}
            <ul className="subtle-list">
              {q.laudos.map((l) => (
                <li key={l.id}>
                  <StatusBadge status={l.decisao} /> em {formatInstant(l.emitido_em)} por {l.emitido_por.nome}
                  {l.motivo ? <> — motivo: {l.motivo}</> : null}
                  {l.observacao ? <> — {l.observacao}</> : null}
                  <Signatures items={[l.assinatura]} />
                  <Button kind="link" onClick={() => void download(`/v1/laudos/${l.id}`, "application/pdf", `laudo-${codigo}.pdf`)}>
                    Certificado de análise (PDF)
                  </Button>
                </li>
              ))}
            </ul>
            {q.recolhimento ? (
              <>
                <h3>Recolhimento</h3>
                <p>
                  Recolhido em {formatInstant(q.recolhimento.criado_em)} por {q.recolhimento.criado_por}: {q.recolhimento.motivo}
                </p>
                <Signatures items={[q.recolhimento.assinatura]} />
              </>
            ) : null}
            <h3>Desvios</h3>
            <Table
              rows={q.desvios}
              rowKey={(d) => d.id}
              empty="Nenhum desvio no lote ou na sua ordem de produção."
              columns={[
                { header: "Desvio", cell: (d) => <span className="mono">{d.codigo}</span> },
                { header: "Classificação", cell: (d) => <StatusBadge status={d.classificacao} /> },
                { header: "Status", cell: (d) => <StatusBadge status={d.status} /> },
                { header: "Descrição", cell: (d) => d.descricao },
                { header: "Aberto em", cell: (d) => formatInstant(d.aberto_em) },
              ]}
            />
          </>
        )}
      </Await>
    </Section>
  );
}

const signed = (n: number, unit?: string) => {
  if (n === 0) return "—";
  return (n > 0 ? "+" : "−") + formatNumber(Math.abs(n)) + (unit ? " " + unit : "");
};

function LedgerSection({ id, unidade, opCodigo }: { id: string; unidade?: string; opCodigo: { id: string; codigo: string | null } | null }) {
  const paged = usePaged<Movimentacao>("/v1/estoque/movimentacoes", { lote_id: id, ordem: "desc" });
  const documento = (m: Movimentacao) => {
    const d = m.documento;
    switch (d.tipo) {
      case "recebimento":
        return `Recebimento — NF ${d.id}`;
      case "ordem_producao":
        return `Ordem de produção ${opCodigo?.id === d.id && opCodigo.codigo ? opCodigo.codigo : d.id.slice(0, 8) + "…"}`;
      case "expedicao":
        return <Link to={`/expedicoes/${d.id}`}>Expedição</Link>;
      case "devolucao":
        return <Link to={`/devolucoes/${d.id}`}>Devolução</Link>;
    }
  };
  return (
    <Section title="Movimentações">
      <PagedTable
        paged={paged}
        caption="Razão do estoque do lote"
        rowKey={(m) => String(m.id)}
        empty="Nenhuma movimentação."
        columns={[
          { header: "Data e hora", cell: (m) => formatInstant(m.ocorrido_em) },
          { header: "Movimentação", cell: (m) => movimentacaoLabel(m.tipo) },
          { header: "Quantidade", cell: (m) => signed(m.quantidade, unidade), className: "num" },
          { header: "Reservada", cell: (m) => signed(m.reservada, unidade), className: "num" },
          { header: "Em avaliação", cell: (m) => signed(m.devolvida, unidade), className: "num" },
          { header: "Documento", cell: documento },
          { header: "Usuário", cell: (m) => m.usuario.username },
          {
            header: "Saldo após",
            cell: (m) => (
              <span>
                <Qty value={m.saldo_apos} unit={unidade} />
                {m.reservada_apos || m.devolvida_apos ? (
                  <span className="expiry expiry-ok">
                    (reservada {formatNumber(m.reservada_apos)}; em avaliação {formatNumber(m.devolvida_apos)})
                  </span>
                ) : null}
              </span>
            ),
            className: "num",
          },
        ]}
      />
    </Section>
  );
}
