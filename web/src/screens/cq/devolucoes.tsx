// Returns from customers wait in quarantine for a signed QC evaluation: reintegrate into the
// lot's usable stock (only into a released lot) or discard.
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { get, post } from "../../api/client";
import { formatDate, formatInstant, formatNumber, statusLabel } from "../../lib/format";
import { Await, Button, Facts, Notice, Page, PagedTable, Section, StatusBadge, type Column } from "../../ui/components";
import { SelectField, TextArea, statusOptions } from "../../ui/fields";
import { useDraft, useLoad, usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { Signatures, SignatureDialog, type SignatureRequest } from "../../ui/signature";
import type { Devolucao, LoteEstoque } from "./api";
import { motivoError } from "./logic";
import { LoteLink, RadioGroup } from "./widgets";
import "./cq.css";

export function DevolucoesPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "pendente";
  const { can } = useSession();
  const paged = usePaged<Devolucao>("/v1/devolucoes", { status: status === "todas" ? "" : status, ordem: "desc" });
  const columns: Column<Devolucao>[] = [
    { header: "Devolução", className: "nowrap", cell: (d) => <Link to={`/cq/devolucoes/${d.id}`}>{d.codigo}</Link> },
    { header: "Lote", className: "nowrap", cell: (d) => <LoteLink codigo={d.lote_codigo} /> },
    { header: "Quantidade", className: "num", cell: (d) => formatNumber(d.quantidade) },
    { header: "Motivo", cell: (d) => <span className="clamp">{d.motivo}</span> },
    { header: "Status", cell: (d) => <StatusBadge status={d.status} /> },
    { header: "Registrada", cell: (d) => `${formatInstant(d.criado_em)} por ${d.criado_por}` },
    {
      header: "Ação",
      cell: (d) =>
        d.status === "pendente" && can("evaluateReturn") ? (
          <Link to={`/cq/devolucoes/${d.id}`} className="button button-primary">
            Avaliar<span className="visually-hidden"> devolução {d.codigo}</span>
          </Link>
        ) : (
          <Link to={`/cq/devolucoes/${d.id}`} className="button">
            Abrir<span className="visually-hidden"> devolução {d.codigo}</span>
          </Link>
        ),
    },
  ];
  return (
    <Page title="Avaliação de devoluções">
      <form className="filters" aria-label="Filtrar devoluções" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Status"
          name="status"
          value={status}
          onChange={(v) => setParams(v === "pendente" ? {} : { status: v })}
          options={[...statusOptions(["pendente", "reintegrada", "descartada"]), { value: "todas", label: "Todas" }]}
        />
      </form>
      <PagedTable
        paged={paged}
        columns={columns}
        rowKey={(d) => d.id}
        caption="Devoluções, as mais recentes primeiro"
        empty={status === "pendente" ? "Nenhuma devolução aguardando avaliação." : "Nenhuma devolução."}
      />
    </Page>
  );
}

export function DevolucaoPage() {
  const { id = "" } = useParams();
  const loaded = useLoad(async () => {
    const devolucao = await get<Devolucao>(`/v1/devolucoes/${id}`);
    const lote = await get<LoteEstoque>(`/v1/estoque/lotes/${devolucao.lote_id}`).catch(() => null);
    return { devolucao, lote };
  }, [id]);
  return (
    <Await loaded={loaded}>
      {({ devolucao, lote }) => <DevolucaoView devolucao={devolucao} lote={lote} reload={loaded.reload} />}
    </Await>
  );
}

function DevolucaoView({ devolucao: d, lote, reload }: { devolucao: Devolucao; lote: LoteEstoque | null; reload: () => void }) {
  const { can } = useSession();
  const [done, setDone] = useState<Devolucao>();
  return (
    <Page title={`Devolução ${d.codigo}`} back={{ to: "/cq/devolucoes", label: "Devoluções" }}>
      {done ? <Notice tone="success">Devolução {done.codigo} avaliada: {statusLabel(done.status)}.</Notice> : null}
      <Facts
        items={[
          ["Lote", <LoteLink codigo={d.lote_codigo} />],
          ["Status do lote", <StatusBadge status={lote?.status} />],
          ["Material", lote?.material ?? "—"],
          ["Validade do lote", formatDate(lote?.validade)],
          ["Quantidade devolvida", formatNumber(d.quantidade, lote?.unidade)],
          ["Motivo da devolução", d.motivo],
          ["Registrada por", d.criado_por],
          ["Registrada em", formatInstant(d.criado_em)],
          ["Status", <StatusBadge status={d.status} />],
        ]}
      />
      <Section title="Avaliação">
        {d.avaliacao ? (
          <>
            <Facts
              items={[
                ["Decisão", statusLabel(d.avaliacao.decisao)],
                ["Motivo", d.avaliacao.motivo],
                ["Avaliada por", d.avaliacao.avaliado_por],
                ["Avaliada em", formatInstant(d.avaliacao.avaliado_em)],
              ]}
            />
            <Signatures items={[d.avaliacao.assinatura]} />
          </>
        ) : can("evaluateReturn") && d.status === "pendente" ? (
          <AvaliarForm
            devolucao={d}
            lote={lote}
            onDone={(result) => {
              setDone(result);
              reload();
            }}
          />
        ) : (
          <p className="muted">Aguardando a avaliação da Qualidade.</p>
        )}
      </Section>
    </Page>
  );
}

function AvaliarForm({ devolucao: d, lote, onDone }: {
  devolucao: Devolucao;
  lote: LoteEstoque | null;
  onDone: (result: Devolucao) => void;
}) {
  const draft = useDraft(`devolucao.${d.id}.avaliacao`, { decisao: "", motivo: "" });
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [request, setRequest] = useState<SignatureRequest | null>(null);
  // Only a released lot takes the quantity back (Estoque answers lote-nao-liberado otherwise).
  const releasable = !lote || lote.status === "liberado";
  const decisao = draft.values.decisao as "" | "reintegrar" | "descartar";
  const open = (e: React.FormEvent) => {
    e.preventDefault();
    const errors = { decisao: decisao ? undefined : "Escolha a decisão.", motivo: motivoError(draft.values.motivo) };
    setLocal(errors);
    if (!decisao || errors.motivo) return;
    setRequest({
      recurso: `devolucao:${d.id}`,
      significado: decisao === "reintegrar" ? "liberacao" : "reprovacao",
      title: "Avaliar devolução",
      registro: (
        <>
          Devolução {d.codigo} (lote {d.lote_codigo}): <strong>{statusLabel(decisao)}</strong>
        </>
      ),
    });
  };
  return (
    <>
      <form onSubmit={open} noValidate>
        <RadioGroup
          label="Decisão"
          name="decisao"
          required
          value={decisao}
          onChange={(v) => draft.set("decisao", v)}
          error={local.decisao}
          options={[
            {
              value: "reintegrar",
              label: "Reintegrar",
              disabled: !releasable,
              hint: releasable
                ? "a quantidade volta ao estoque utilizável do lote"
                : `indisponível: o lote está ${statusLabel(lote?.status).toLowerCase()}`,
            },
            { value: "descartar", label: "Descartar", hint: "a quantidade sai do estoque" },
          ]}
        />
        <TextArea
          label="Motivo"
          name="motivo"
          required
          value={draft.values.motivo}
          onChange={(v) => draft.set("motivo", v)}
          error={local.motivo}
        />
        <div className="actions">
          <Button type="submit" kind="primary">
            Assinar avaliação…
          </Button>
        </div>
      </form>
      <SignatureDialog
        request={request}
        onClose={() => setRequest(null)}
        act={(signature, key) =>
          post<Devolucao>(
            `/v1/devolucoes/${d.id}/avaliar`,
            { decisao, motivo: draft.values.motivo.trim() },
            { idempotencyKey: key, signature, ifMatch: d.versao },
          )
        }
        onDone={(result) => {
          setRequest(null);
          draft.clear();
          onDone(result as Devolucao);
        }}
      />
    </>
  );
}
