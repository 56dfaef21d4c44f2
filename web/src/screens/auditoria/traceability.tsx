// Rastreabilidade: a lot found by its code (typed or scanned), then everything known about it —
// origin, status, laudos, desvios — with its genealogy both ways as a graph and as tables, and
// its timeline. Every role reads it.
import { useMemo } from "react";
import { Link, useParams } from "react-router-dom";
import { get } from "../../api/client";
import { ApiError } from "../../api/problem";
import { buildGenealogy, layoutGenealogy, opsToResolve, type OpLinks } from "../../lib/genealogy";
import { formatDate, formatInstant, formatNumber } from "../../lib/format";
import { Button, ButtonLink, Facts, Loading, Page, ProblemAlert, Section, StatusBadge, Table } from "../../ui/components";
import { useGet, useLoad } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { Signatures } from "../../ui/signature";
import { LotLink } from "./common";
import { LotCodeForm } from "./lotcode";
import { GenealogyGraph } from "./graph";
import { eventoLabel, eventoResumo, origemLabel } from "./labels";
import { batchRecordPath, historyPath, recallPath } from "./paths";
import type { OrdemProducao, Rastreabilidade } from "./types";
import "./auditoria.css";

export function TraceSearchPage() {
  return (
    <Page title="Rastreabilidade">
      <p className="lead">
        De onde veio um lote e para onde foi: os lotes de insumo que entraram nele, os lotes feitos a partir dele, as
        expedições e os clientes que os receberam.
      </p>
      <Section title="Buscar lote">
        <LotCodeForm />
      </Section>
    </Page>
  );
}

// What each OP beyond the first level took in and made, for the graph's links.
async function loadOpLinks(ids: string[]): Promise<Record<string, OpLinks>> {
  const entries = await Promise.all(
    ids.map(async (id) => {
      try {
        const op = await get<OrdemProducao>(`/v1/ordens-producao/${encodeURIComponent(id)}`);
        const links: OpLinks = {
          produzidos: op.lotes.map((l) => l.id),
          consumidos: op.consumos.flatMap((c) => c.lotes.map((l) => ({ lote_id: l.lote_id, quantidade: l.quantidade }))),
        };
        return [id, links] as const;
      } catch {
        return null; // the graph draws what it knows; the tables hold everything
      }
    }),
  );
  return Object.fromEntries(entries.filter((e): e is readonly [string, OpLinks] => e !== null));
}

function Genealogia({ trace }: { trace: Rastreabilidade }) {
  const needed = useMemo(() => opsToResolve(trace), [trace]);
  const ops = useLoad(() => (needed.length ? loadOpLinks(needed) : Promise.resolve({})), [needed.join(",")]);
  const layout = useMemo(() => layoutGenealogy(buildGenealogy(trace, ops.data ?? {})), [trace, ops.data]);
  if (needed.length && ops.loading && !ops.data) return <Loading what="Montando a genealogia…" />;
  return (
    <>
      <GenealogyGraph layout={layout} codigo={trace.lote.codigo} />
      <ul className="graph-legend" aria-label="Legenda">
        <li>À esquerda: lotes de insumo que entraram no lote</li>
        <li>No centro: o lote rastreado (borda grossa)</li>
        <li>À direita: lotes derivados, expedições (borda tracejada) e clientes</li>
        <li>Números nas setas: quantidade que passou de um ao outro</li>
      </ul>
    </>
  );
}

function NotYet({ codigo, error, retry }: { codigo: string; error: Error; retry: () => void }) {
  const missing = error instanceof ApiError && error.status === 404;
  return (
    <>
      {missing ? (
        <div className="alert alert-warning" role="alert">
          <p className="alert-title">Lote {codigo} não encontrado nos relatórios</p>
          <p>Confira o código. Um lote criado há poucos instantes pode levar alguns segundos para aparecer aqui.</p>
        </div>
      ) : (
        <ProblemAlert error={error} />
      )}
      <div className="actions">
        <Button onClick={retry}>Tentar de novo</Button>
        <ButtonLink to="/rastreabilidade">Buscar outro lote</ButtonLink>
      </div>
    </>
  );
}

export function TracePage() {
  const { codigo = "" } = useParams();
  const { can } = useSession();
  const loaded = useGet<Rastreabilidade>(`/v1/relatorios/rastreabilidade/${encodeURIComponent(codigo)}`, { direcao: "ambos" });
  const trace = loaded.data?.lote.codigo === codigo ? loaded.data : undefined;
  return (
    <Page title={`Rastreabilidade do lote ${codigo}`} back={{ to: "/rastreabilidade", label: "Buscar outro lote" }}>
      {loaded.error ? (
        <NotYet codigo={codigo} error={loaded.error} retry={loaded.reload} />
      ) : !trace ? (
        <Loading />
      ) : (
        <TraceBody trace={trace} readAudit={can("readAudit")} />
      )}
    </Page>
  );
}

function TraceBody({ trace, readAudit }: { trace: Rastreabilidade; readAudit: boolean }) {
  const l = trace.lote;
  const opCodes: Record<string, string> = {};
  if (l.op_id && l.op_codigo) opCodes[l.op_id] = l.op_codigo;
  for (const a of trace.ascendente ?? []) if (a.op_codigo) opCodes[a.op_id] = a.op_codigo;
  for (const d of trace.descendente?.lotes ?? []) if (d.op_codigo) opCodes[d.op_id] = d.op_codigo;
  const opLink = (id: string, code: string | null) => <Link to={batchRecordPath(id)}>{code ?? "OP " + id.slice(0, 8)}</Link>;
  const down = trace.descendente;
  return (
    <>
      <div className="actions trace-actions no-print">
        <ButtonLink to={recallPath(l.codigo)}>Relatório de recolhimento</ButtonLink>
        {l.op_id ? <ButtonLink to={batchRecordPath(l.op_id)}>Registro de lote</ButtonLink> : null}
        {readAudit ? <ButtonLink to={historyPath("lote", l.id)}>Histórico de auditoria</ButtonLink> : null}
      </div>
      <Section title="Lote">
        <Facts
          items={[
            ["Código", l.codigo],
            ["Material", `${l.material_nome ?? l.material} (${l.material})`],
            ["Status", <StatusBadge status={l.status} />],
            ["Origem", l.origem === "producao" && l.op_id ? <>Produção — {opLink(l.op_id, l.op_codigo)}</> : origemLabel(l.origem)],
            ...(l.origem === "recebimento"
              ? ([
                  ["Fornecedor", l.fornecedor ?? "—"],
                  ["Lote do fornecedor", l.lote_fornecedor ?? "—"],
                ] as [string, string][])
              : []),
            ["Quantidade criada", formatNumber(l.quantidade, l.unidade)],
            ["Fabricação", formatDate(l.data_fabricacao)],
            ["Validade", formatDate(l.validade)],
            ["Criado em", formatInstant(l.criado_em)],
          ]}
        />
      </Section>
      <Section title="Genealogia">
        <Genealogia trace={trace} />
      </Section>
      <Section title="Insumos que entraram no lote">
        <Table
          caption="Lotes ascendentes, por nível"
          rows={trace.ascendente ?? []}
          rowKey={(a) => a.lote_id + a.op_id}
          empty={l.origem === "recebimento" ? "Lote recebido de fornecedor: não tem insumos." : "Nenhum insumo registrado."}
          columns={[
            { header: "Nível", cell: (a) => a.nivel, className: "num" },
            { header: "Lote", cell: (a) => <LotLink codigo={a.lote_codigo} /> },
            { header: "Material", cell: (a) => a.material },
            { header: "Quantidade consumida", cell: (a) => formatNumber(a.quantidade), className: "num" },
            { header: "Na OP", cell: (a) => opLink(a.op_id, a.op_codigo) },
          ]}
        />
      </Section>
      <Section title="Lotes feitos a partir dele">
        <Table
          caption="Lotes descendentes, por nível"
          rows={down?.lotes ?? []}
          rowKey={(d) => d.lote_id + d.nivel}
          empty="Nenhum lote feito a partir deste."
          columns={[
            { header: "Nível", cell: (d) => d.nivel, className: "num" },
            { header: "Lote", cell: (d) => <LotLink codigo={d.lote_codigo} /> },
            { header: "Material", cell: (d) => d.material },
            { header: "Status", cell: (d) => <StatusBadge status={d.status} /> },
            { header: "Feito na OP", cell: (d) => opLink(d.op_id, d.op_codigo) },
          ]}
        />
      </Section>
      <Section title="Expedições e clientes">
        <Table
          caption="Expedições confirmadas do lote e dos seus derivados"
          rows={down?.expedicoes ?? []}
          rowKey={(x) => x.expedicao_id + x.lote_id}
          empty="Nenhuma expedição confirmada."
          columns={[
            { header: "Confirmada em", cell: (x) => formatInstant(x.confirmada_em) },
            { header: "Cliente", cell: (x) => x.cliente.nome },
            { header: "Documento", cell: (x) => x.cliente.documento },
            { header: "Lote", cell: (x) => <LotLink codigo={x.lote_codigo} /> },
            { header: "Material", cell: (x) => x.material },
            { header: "Quantidade", cell: (x) => formatNumber(x.quantidade), className: "num" },
          ]}
        />
        {down && down.clientes.length ? (
          <p>
            <strong>Clientes que receberam:</strong> {down.clientes.map((c) => `${c.nome} (${c.documento})`).join("; ")}
          </p>
        ) : null}
      </Section>
      <Section title="Laudos">
        <Table
          caption="Laudos do lote, do mais antigo ao mais recente"
          rows={trace.laudos}
          rowKey={(x) => x.laudo_id}
          empty="Nenhum laudo emitido."
          columns={[
            { header: "Decisão", cell: (x) => <StatusBadge status={x.decisao} /> },
            { header: "Emitido por", cell: (x) => x.emitido_por },
            { header: "Emitido em", cell: (x) => formatInstant(x.emitido_em) },
            { header: "Assinatura", cell: (x) => <Signatures items={[x.assinatura]} /> },
          ]}
        />
      </Section>
      <Section title="Desvios">
        <Table
          caption="Desvios do lote ou da OP que o fez"
          rows={trace.desvios}
          rowKey={(x) => x.desvio_id}
          empty="Nenhum desvio."
          columns={[
            { header: "Classificação", cell: (x) => <StatusBadge status={x.classificacao} /> },
            { header: "Descrição", cell: (x) => x.descricao ?? "—" },
            { header: "Status", cell: (x) => <StatusBadge status={x.status} /> },
            { header: "Aberto em", cell: (x) => formatInstant(x.aberto_em) },
            { header: "Encerrado em", cell: (x) => formatInstant(x.encerrado_em) },
          ]}
        />
      </Section>
      <Section title="Linha do tempo">
        {trace.linha_do_tempo.length === 0 ? (
          <p className="empty">Nenhum evento.</p>
        ) : (
          <ol className="timeline" aria-label="Eventos do lote, em ordem">
            {trace.linha_do_tempo.map((e, i) => (
              <li key={i}>
                <time dateTime={e.ocorrido_em}>{formatInstant(e.ocorrido_em, true)}</time>
                <strong>{eventoLabel(e.tipo)}</strong>
                {eventoResumo(e.tipo, e.resumo, opCodes) ? <> — {eventoResumo(e.tipo, e.resumo, opCodes)}</> : null}
                {e.usuario ? <span className="muted"> · por {e.usuario}</span> : null}
              </li>
            ))}
          </ol>
        )}
      </Section>
    </>
  );
}
