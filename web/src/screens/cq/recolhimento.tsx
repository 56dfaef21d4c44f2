// A recall: the lot by its code (typed, scanned, or given by ?lote= from the lot's page), the
// reason, and the signed decision. The lot is blocked everywhere at once; the recall report
// then lists every lot, shipment and customer downstream.
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { get, post } from "../../api/client";
import { formatDate, formatInstant, formatNumber } from "../../lib/format";
import { Button, Facts, Notice, Page, ProblemAlert, Section, StatusBadge } from "../../ui/components";
import { TextArea, TextField } from "../../ui/fields";
import { useDraft, useLoad } from "../../ui/hooks";
import { Signatures, SignatureDialog, type SignatureRequest } from "../../ui/signature";
import { findLotByCode, type LoteCq, type Recolhimento } from "./api";
import { motivoError } from "./logic";
import { LoteLink } from "./widgets";
import "./cq.css";

async function lotForRecall(codigo: string) {
  const found = await findLotByCode(codigo);
  if (!found) return null;
  // CQ's own status decides: a lot it does not know, or one already recalled, takes no recall.
  const cq = await get<LoteCq & { recolhimento: Recolhimento | null }>(`/v1/cq/lotes/${found.id}`).catch(() => null);
  return { found, cq };
}

export function RecolhimentoNovoPage() {
  const [params, setParams] = useSearchParams();
  const lote = (params.get("lote") ?? "").trim().toUpperCase();
  const draft = useDraft(`recolhimento.${lote || "novo"}`, { motivo: "" });
  const [codigo, setCodigo] = useState(lote);
  useEffect(() => setCodigo(lote), [lote]);
  const [request, setRequest] = useState<SignatureRequest | null>(null);
  const [local, setLocal] = useState<string>();
  const [done, setDone] = useState<Recolhimento>();
  const loaded = useLoad(() => (lote ? lotForRecall(lote) : Promise.resolve(null)), [lote]);
  const lot = loaded.data && loaded.data.found.codigo.toUpperCase() === lote ? loaded.data : null;

  const search = (e: React.FormEvent) => {
    e.preventDefault();
    setDone(undefined);
    const c = codigo.trim().toUpperCase();
    if (c === lote) loaded.reload();
    else setParams(c ? { lote: c } : {});
  };
  const open = (e: React.FormEvent) => {
    e.preventDefault();
    const err = motivoError(draft.values.motivo);
    setLocal(err);
    if (err || !lot) return;
    setRequest({
      recurso: `lote:${lot.found.id}`,
      significado: "recolhimento",
      title: "Recolher lote",
      registro: <>Recolhimento do lote {lot.found.codigo}</>,
    });
  };

  const status = lot?.cq?.status ?? lot?.found.status;
  return (
    <Page title="Recolher lote">
      <form className="filters" onSubmit={search} aria-label="Buscar lote">
        <TextField label="Lote" name="lote" value={codigo} onChange={setCodigo} placeholder="Código do lote" autoComplete="off" />
        <Button type="submit">Buscar</Button>
      </form>
      <ProblemAlert error={loaded.error} />
      {lote && !loaded.loading && !loaded.error && !lot ? (
        <Notice tone="warning">
          O lote {lote} não foi encontrado. Um lote recém-criado aparece em alguns segundos: busque de novo.
        </Notice>
      ) : null}
      {done ? (
        <Section title="Lote recolhido">
          <Notice tone="success">
            Lote {done.lote_codigo} recolhido: bloqueado para qualquer movimentação, e as reservas abertas foram canceladas.
          </Notice>
          <Facts
            items={[
              ["Lote", <LoteLink codigo={done.lote_codigo} />],
              ["Motivo", done.motivo],
              ["Recolhido por", done.criado_por],
              ["Em", formatInstant(done.criado_em)],
            ]}
          />
          <Signatures items={[done.assinatura]} />
          <p>
            <Link to={`/recolhimento/${encodeURIComponent(done.lote_codigo)}`} className="button button-primary">
              Relatório de recolhimento
            </Link>
          </p>
        </Section>
      ) : lot ? (
        <Section title={`Lote ${lot.found.codigo}`}>
          <Facts
            items={[
              ["Material", lot.found.material_nome ? `${lot.found.material_nome} (${lot.found.material})` : lot.found.material],
              ["Status", <StatusBadge status={status} />],
              ["Origem", lot.found.origem === "producao" ? `Produção${lot.found.op_codigo ? ` (${lot.found.op_codigo})` : ""}` : "Recebimento"],
              ["Quantidade", formatNumber(lot.found.quantidade, lot.found.unidade)],
              ["Validade", formatDate(lot.found.validade)],
            ]}
          />
          {status === "recolhido" ? (
            <>
              <Notice tone="info">Este lote já foi recolhido.</Notice>
              {lot.cq?.recolhimento ? <Signatures items={[lot.cq.recolhimento.assinatura]} /> : null}
              <p>
                <Link to={`/recolhimento/${encodeURIComponent(lot.found.codigo)}`}>Relatório de recolhimento</Link>
              </p>
            </>
          ) : (
            <form onSubmit={open} noValidate>
              <TextArea
                label="Motivo do recolhimento"
                name="motivo"
                required
                rows={4}
                value={draft.values.motivo}
                onChange={(v) => draft.set("motivo", v)}
                error={local}
              />
              <p className="hint">
                O recolhimento bloqueia o lote em todo o sistema, cancela as reservas abertas e não pode ser desfeito.
              </p>
              <div className="actions">
                <Button type="submit" kind="danger">
                  Recolher lote…
                </Button>
              </div>
            </form>
          )}
        </Section>
      ) : null}
      <SignatureDialog
        request={request}
        onClose={() => setRequest(null)}
        act={(signature, key) =>
          post<Recolhimento>(
            "/v1/recolhimentos",
            { lote_id: lot!.found.id, motivo: draft.values.motivo.trim() },
            { idempotencyKey: key, signature },
          )
        }
        onDone={(r) => {
          setRequest(null);
          draft.clear();
          setDone(r as Recolhimento);
          loaded.reload();
        }}
      />
    </Page>
  );
}
