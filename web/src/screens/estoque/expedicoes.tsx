// Shipments: the list, and one shipment's page with its reserved (or shipped) lots, where the
// clerk confirms it when the load leaves or cancels it with a reason.
import { useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { post } from "../../api/client";
import { formatDate, formatInstant, formatNumber } from "../../lib/format";
import { Await, Button, ButtonLink, Dialog, Facts, Notice, PagedTable, Section, StatusBadge, Table } from "../../ui/components";
import { fieldError, SelectField, statusOptions, TextArea, TextField } from "../../ui/fields";
import { useAction, useGet, usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { parseDocumento } from "./documento";
import { ActProblem, LotLink, Page, Qty, SHIPMENT_CHANGED, useCatalogue, useFilter } from "./shared";
import type { Expedicao } from "./types";

export const SHIPMENT_STATUSES = ["reservada", "confirmada", "cancelada"];

export function shipmentPath(id: string): string {
  return `/expedicoes/${id}`;
}

export function itemsSummary(e: Expedicao): string {
  return e.itens.map((i) => `${i.material}: ${formatNumber(i.quantidade)}`).join("; ");
}

export function ShipmentsPage() {
  const { can } = useSession();
  const [status, setStatus] = useFilter("status");
  const [cliente, setCliente] = useFilter("cliente");
  const [typed, setTyped] = useState(cliente);
  const doc = parseDocumento(typed);
  const paged = usePaged<Expedicao>("/v1/expedicoes", { status, cliente, ordem: "desc" });
  return (
    <Page title="Expedições" actions={can("ship") ? <ButtonLink to="/expedicoes/nova" kind="primary">Nova expedição</ButtonLink> : null}>
      <form
        className="filters"
        role="search"
        aria-label="Filtrar expedições"
        onSubmit={(e) => {
          e.preventDefault();
          setCliente(typed.trim() === "" ? "" : doc.ok ? doc.formatado : typed.trim());
        }}
      >
        <SelectField label="Status" name="status" value={status} onChange={setStatus} placeholder="Todos" options={statusOptions(SHIPMENT_STATUSES)} />
        <TextField label="CPF/CNPJ do cliente" name="cliente" value={typed} onChange={setTyped} hint="Documento completo; Enter para filtrar" />
        <Button type="submit">Filtrar</Button>
      </form>
      <PagedTable
        paged={paged}
        caption="Expedições"
        rowKey={(e) => e.id}
        empty="Nenhuma expedição."
        columns={[
          { header: "Expedição", cell: (e) => <Link to={shipmentPath(e.id)} className="mono">{e.codigo}</Link> },
          { header: "Cliente", cell: (e) => <>{e.cliente.nome} <span className="muted">({e.cliente.documento})</span></> },
          { header: "Itens", cell: itemsSummary },
          { header: "Status", cell: (e) => <StatusBadge status={e.status} /> },
          { header: "Criada em", cell: (e) => formatInstant(e.criado_em) },
        ]}
      />
    </Page>
  );
}

export function ShipmentPage() {
  const { id = "" } = useParams();
  const location = useLocation();
  const criada = (location.state as { criada?: boolean } | null)?.criada;
  const loaded = useGet<Expedicao>(`/v1/expedicoes/${id}`);
  const [done, setDone] = useState<string | null>(null);
  return (
    <Await loaded={loaded}>
      {(e) => (
        <ShipmentView
          e={e}
          notice={done ?? (criada && e.status === "reservada" ? "Expedição criada: os lotes abaixo estão reservados. Confirme quando a carga sair." : null)}
          onChanged={(msg) => {
            setDone(msg);
            loaded.reload();
          }}
        />
      )}
    </Await>
  );
}

function ShipmentView({ e, notice, onChanged }: { e: Expedicao; notice: string | null; onChanged: (msg: string) => void }) {
  const { can } = useSession();
  const [dialog, setDialog] = useState<"confirmar" | "cancelar" | null>(null);
  const open = e.status === "reservada" && can("ship");
  const catalogue = useCatalogue();
  const unit = (material: string) => catalogue.data?.find((m) => m.codigo === material)?.unidade;
  const lotsTitle = e.status === "confirmada" ? "Lotes expedidos" : e.status === "cancelada" ? "Lotes (reserva desfeita)" : "Lotes reservados";
  return (
    <Page
      title={`Expedição ${e.codigo}`}
      back={{ to: "/expedicoes", label: "Expedições" }}
      actions={
        <>
          {open ? (
            <>
              <Button kind="primary" onClick={() => setDialog("confirmar")}>Confirmar expedição</Button>
              <Button kind="danger" onClick={() => setDialog("cancelar")}>Cancelar expedição</Button>
            </>
          ) : null}
          {e.status === "confirmada" && can("registerReturn") ? (
            <ButtonLink to={`/devolucoes/nova?expedicao=${e.id}`}>Registrar devolução</ButtonLink>
          ) : null}
        </>
      }
    >
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <Section title="Expedição">
        <Facts
          items={[
            ["Status", <StatusBadge status={e.status} />],
            ["Cliente", e.cliente.nome],
            ["CPF/CNPJ", e.cliente.documento],
            ["Criada por", e.criado_por],
            ["Criada em", formatInstant(e.criado_em)],
            ...(e.confirmada_em ? ([["Confirmada em", formatInstant(e.confirmada_em)]] as [string, string][]) : []),
            ...(e.cancelada_em ? ([["Cancelada em", formatInstant(e.cancelada_em)]] as [string, string][]) : []),
            ...(e.motivo_cancelamento ? ([["Motivo do cancelamento", e.motivo_cancelamento]] as [string, string][]) : []),
          ]}
        />
      </Section>
      <Section title={lotsTitle}>
        {e.itens.map((i) => (
          <div key={i.item}>
            <h3>
              Item {i.item}: {i.material} — <Qty value={i.quantidade} unit={unit(i.material)} />
            </h3>
            {i.excecao_fefo_motivo ? <p>Lote escolhido fora da ordem FEFO. Motivo: {i.excecao_fefo_motivo}</p> : null}
            <Table
              rows={i.lotes}
              rowKey={(l) => l.lote_id}
              caption={`${lotsTitle} do item ${i.item}`}
              columns={[
                { header: "Lote", cell: (l) => <LotLink codigo={l.lote_codigo} id={l.lote_id} /> },
                { header: "Validade", cell: (l) => formatDate(l.validade) },
                { header: "Quantidade", cell: (l) => <Qty value={l.quantidade} unit={unit(i.material)} />, className: "num" },
                { header: "Devolvida", cell: (l) => <Qty value={l.devolvida} unit={unit(i.material)} />, className: "num" },
              ]}
            />
          </div>
        ))}
      </Section>
      <ConfirmDialog e={e} open={dialog === "confirmar"} onClose={() => setDialog(null)} onDone={() => { setDialog(null); onChanged("Expedição confirmada: o estoque dos lotes foi baixado."); }} />
      <CancelDialog e={e} open={dialog === "cancelar"} onClose={() => setDialog(null)} onDone={() => { setDialog(null); onChanged("Expedição cancelada: as reservas foram desfeitas."); }} />
    </Page>
  );
}

function ConfirmDialog({ e, open, onClose, onDone }: { e: Expedicao; open: boolean; onClose: () => void; onDone: () => void }) {
  const action = useAction((key: string) => post<Expedicao>(`/v1/expedicoes/${e.id}/confirmar`, undefined, { idempotencyKey: key, ifMatch: e.versao }));
  const close = () => {
    action.reset();
    onClose();
  };
  return (
    <Dialog open={open} title={`Confirmar a expedição ${e.codigo}?`} onClose={close}>
      <p>
        A quantidade reservada sai do estoque e vai para <strong>{e.cliente.nome}</strong>. As regras são conferidas de
        novo: um lote que deixou de poder ser expedido impede a confirmação.
      </p>
      <ActProblem error={action.error} words={{ conflito: SHIPMENT_CHANGED }} />
      <div className="dialog-actions">
        <Button onClick={close}>Voltar</Button>
        <Button kind="primary" pending={action.pending} onClick={async () => (await action.run()) && onDone()}>
          Confirmar expedição
        </Button>
      </div>
    </Dialog>
  );
}

function CancelDialog({ e, open, onClose, onDone }: { e: Expedicao; open: boolean; onClose: () => void; onDone: () => void }) {
  const [motivo, setMotivo] = useState("");
  const [local, setLocal] = useState<string>();
  const action = useAction((key: string, m: string) =>
    post<Expedicao>(`/v1/expedicoes/${e.id}/cancelar`, { motivo: m }, { idempotencyKey: key, ifMatch: e.versao }),
  );
  const close = () => {
    action.reset();
    setLocal(undefined);
    onClose();
  };
  const submit = async (ev: React.FormEvent) => {
    ev.preventDefault();
    const m = motivo.trim();
    if (m.length < 3) {
      setLocal("Escreva o motivo (pelo menos 3 caracteres).");
      return;
    }
    setLocal(undefined);
    if (await action.run(m)) {
      setMotivo("");
      onDone();
    }
  };
  return (
    <Dialog open={open} title={`Cancelar a expedição ${e.codigo}`} onClose={close}>
      <form onSubmit={submit} noValidate>
        <p>As reservas são desfeitas e os lotes voltam a ficar disponíveis. O motivo fica na trilha de auditoria.</p>
        <TextArea label="Motivo do cancelamento" name="motivo" value={motivo} onChange={setMotivo} required error={fieldError(action.error, "motivo", { motivo: local })} />
        <ActProblem error={action.error} shownFields={["motivo"]} words={{ conflito: SHIPMENT_CHANGED }} />
        <div className="dialog-actions">
          <Button onClick={close}>Voltar</Button>
          <Button type="submit" kind="danger" pending={action.pending}>Cancelar expedição</Button>
        </div>
      </form>
    </Dialog>
  );
}
