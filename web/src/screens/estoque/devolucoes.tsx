// Returns: the list, registering one from a confirmed shipment (the quantity comes back into
// its lot but stays quarantined, RULES B6), and a return's page with QC's signed evaluation.
import { useEffect, useState } from "react";
import { Link, useLocation, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { post } from "../../api/client";
import { decimalToJson, formatDate, formatInstant, formatNumber, parseDecimal } from "../../lib/format";
import { Await, Button, ButtonLink, Facts, Notice, PagedTable, Section, StatusBadge } from "../../ui/components";
import { fieldError, NumberField, SelectField, statusOptions, TextArea } from "../../ui/fields";
import { useAction, useDraft, useGet, usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { Signatures } from "../../ui/signature";
import { shipmentPath } from "./expedicoes";
import { decisaoDevolucaoLabel } from "./labels";
import { fromMilli, toMilli } from "./quantity";
import { ActProblem, LotLink, Page, Qty, useFilter } from "./shared";
import type { Devolucao, Expedicao } from "./types";

export const RETURN_STATUSES = ["pendente", "reintegrada", "descartada"];

export function returnPath(id: string): string {
  return `/devolucoes/${id}`;
}

export function ReturnsPage() {
  const { can } = useSession();
  const [status, setStatus] = useFilter("status");
  const paged = usePaged<Devolucao>("/v1/devolucoes", { status, ordem: "desc" });
  return (
    <Page title="Devoluções" actions={can("registerReturn") ? <ButtonLink to="/devolucoes/nova" kind="primary">Registrar devolução</ButtonLink> : null}>
      <div className="filters">
        <SelectField label="Status" name="status" value={status} onChange={setStatus} placeholder="Todos" options={statusOptions(RETURN_STATUSES)} />
      </div>
      <PagedTable
        paged={paged}
        caption="Devoluções"
        rowKey={(d) => d.id}
        empty="Nenhuma devolução."
        columns={[
          { header: "Devolução", cell: (d) => <Link to={returnPath(d.id)} className="mono">{d.codigo}</Link> },
          { header: "Lote", cell: (d) => <LotLink codigo={d.lote_codigo} id={d.lote_id} /> },
          { header: "Quantidade", cell: (d) => <Qty value={d.quantidade} />, className: "num" },
          { header: "Motivo", cell: (d) => d.motivo },
          { header: "Status", cell: (d) => <StatusBadge status={d.status} /> },
          { header: "Registrada em", cell: (d) => formatInstant(d.criado_em) },
        ]}
      />
    </Page>
  );
}

interface ReturnDraft extends Record<string, unknown> {
  expedicao_id: string;
  lote_id: string;
  quantidade: string;
  motivo: string;
}

const EMPTY: ReturnDraft = { expedicao_id: "", lote_id: "", quantidade: "", motivo: "" };

interface ReturnBody {
  expedicao_id: string;
  lote_id: string;
  quantidade: number;
  motivo: string;
}

export function NewReturnPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const draft = useDraft<ReturnDraft>("devolucao.nova", EMPTY);
  const v = draft.values;
  // Only a confirmed shipment can come back.
  const shipments = usePaged<Expedicao>("/v1/expedicoes", { status: "confirmada", ordem: "desc" }, 200);
  const preset = params.get("expedicao");
  useEffect(() => {
    if (preset && preset !== v.expedicao_id) draft.replace({ ...EMPTY, expedicao_id: preset });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preset]);
  const shipment = useGet<Expedicao>(v.expedicao_id ? `/v1/expedicoes/${v.expedicao_id}` : null);
  const shipped = (shipment.data?.itens ?? []).flatMap((i) => i.lotes.map((l) => ({ ...l, material: i.material })));
  const lot = shipped.find((l) => l.lote_id === v.lote_id);
  const returnable = lot ? fromMilli((toMilli(lot.quantidade) ?? 0n) - (toMilli(lot.devolvida) ?? 0n)) : null;
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction((key: string, body: ReturnBody) => post<Devolucao>("/v1/devolucoes", body, { idempotencyKey: key }));

  const options = shipments.items.map((e) => ({
    value: e.id,
    label: `${e.codigo} — ${e.cliente.nome} (${e.cliente.documento}) — confirmada em ${formatInstant(e.confirmada_em)}`,
  }));
  // A shipment opened from its own page may be older than the first page of the list.
  if (shipment.data && !options.some((o) => o.value === shipment.data!.id)) {
    options.unshift({ value: shipment.data.id, label: `${shipment.data.codigo} — ${shipment.data.cliente.nome} (${shipment.data.cliente.documento})` });
  }

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!v.expedicao_id) errors.expedicao_id = "Escolha a expedição.";
    if (!v.lote_id) errors.lote_id = "Escolha o lote devolvido.";
    const q = parseDecimal(v.quantidade);
    if (!q.ok) errors.quantidade = q.message;
    else if (!(Number(q.value) > 0)) errors.quantidade = "A quantidade deve ser maior que zero.";
    else if (returnable !== null && (toMilli(q.value) ?? 0n) > (toMilli(returnable) ?? 0n)) {
      errors.quantidade = `No máximo ${formatNumber(returnable)}: o expedido deste lote nesta expedição, descontadas as devoluções.`;
    }
    if (v.motivo.trim().length < 3) errors.motivo = "Escreva o motivo (pelo menos 3 caracteres).";
    setLocal(errors);
    if (Object.keys(errors).length || !q.ok) return;
    const created = await action.run({ expedicao_id: v.expedicao_id, lote_id: v.lote_id, quantidade: decimalToJson(q.value), motivo: v.motivo.trim() });
    if (created) {
      draft.clear();
      navigate(returnPath(created.id), { state: { criada: true } });
    }
  };
  const err = (campo: string) => fieldError(action.error, campo, local);
  return (
    <Page title="Registrar devolução" back={{ to: "/devolucoes", label: "Devoluções" }}>
      <p className="lead">
        O que volta do cliente entra de novo no lote, mas em quarentena: só volta a ficar disponível depois da avaliação
        assinada do CQ.
      </p>
      <form onSubmit={submit} noValidate>
        <Section title="De onde vem">
          <SelectField
            label="Expedição confirmada"
            name="expedicao_id"
            value={v.expedicao_id}
            onChange={(x) => draft.replace({ ...v, expedicao_id: x, lote_id: "" })}
            placeholder={shipments.loading && !shipments.items.length ? "Carregando expedições…" : "Escolha a expedição…"}
            options={options}
            required
            error={err("expedicao_id")}
          />
          {shipments.hasMore ? (
            <Button onClick={shipments.more} pending={shipments.loading}>Carregar mais expedições</Button>
          ) : null}
          {shipment.data ? (
            <SelectField
              label="Lote devolvido"
              name="lote_id"
              value={v.lote_id}
              onChange={(x) => draft.set("lote_id", x)}
              placeholder="Escolha o lote…"
              options={shipped.map((l) => ({
                value: l.lote_id,
                label: `${l.lote_codigo} (${l.material}, validade ${formatDate(l.validade)}) — expedido ${formatNumber(l.quantidade)}, já devolvido ${formatNumber(l.devolvida)}`,
              }))}
              required
              error={err("lote_id")}
            />
          ) : null}
        </Section>
        <Section title="O que volta">
          <NumberField
            label="Quantidade devolvida"
            name="quantidade"
            value={v.quantidade}
            onChange={(x) => draft.set("quantidade", x)}
            required
            error={err("quantidade")}
            hint={returnable !== null ? `Até ${formatNumber(returnable)}; use vírgula para decimais` : undefined}
          />
          <TextArea label="Motivo da devolução" name="motivo" value={v.motivo} onChange={(x) => draft.set("motivo", x)} required error={err("motivo")} />
        </Section>
        <ActProblem
          error={action.error ?? shipments.error ?? shipment.error}
          shownFields={["expedicao_id", "lote_id", "quantidade", "motivo"]}
          words={{ conflito: "Só volta o que foi expedido: a expedição escolhida não está confirmada." }}
        />
        <div className="actions">
          <Button type="submit" kind="primary" pending={action.pending}>Registrar devolução</Button>
          <Button onClick={() => { draft.clear(); setLocal({}); action.reset(); }}>Limpar formulário</Button>
        </div>
      </form>
    </Page>
  );
}

export function ReturnPage() {
  const { id = "" } = useParams();
  const location = useLocation();
  const criada = (location.state as { criada?: boolean } | null)?.criada;
  const loaded = useGet<Devolucao>(`/v1/devolucoes/${id}`);
  return (
    <Await loaded={loaded}>
      {(d) => (
        <Page title={`Devolução ${d.codigo}`} back={{ to: "/devolucoes", label: "Devoluções" }}>
          {criada && d.status === "pendente" ? (
            <Notice tone="success">Devolução registrada. A quantidade está em quarentena no lote até a avaliação do CQ.</Notice>
          ) : null}
          <Section title="Devolução">
            <Facts
              items={[
                ["Status", <StatusBadge status={d.status} />],
                ["Lote", <LotLink codigo={d.lote_codigo} id={d.lote_id} />],
                ["Quantidade", <Qty value={d.quantidade} />],
                ["Expedição", <Link to={shipmentPath(d.expedicao_id)}>Abrir a expedição</Link>],
                ["Motivo", d.motivo],
                ["Registrada por", d.criado_por],
                ["Registrada em", formatInstant(d.criado_em)],
              ]}
            />
          </Section>
          <Section title="Avaliação do CQ">
            {d.avaliacao ? (
              <>
                <Facts
                  items={[
                    ["Decisão", <strong>{decisaoDevolucaoLabel(d.avaliacao.decisao)}</strong>],
                    ["Motivo", d.avaliacao.motivo],
                    ["Avaliada por", d.avaliacao.avaliado_por],
                    ["Avaliada em", formatInstant(d.avaliacao.avaliado_em)],
                  ]}
                />
                <Signatures items={[d.avaliacao.assinatura]} />
              </>
            ) : (
              <p>
                Aguardando avaliação do CQ. Até lá a quantidade devolvida fica em quarentena, fora do estoque disponível.
              </p>
            )}
          </Section>
        </Page>
      )}
    </Await>
  );
}
