// Receiving a lot from a supplier: the lot is born in quarantine (RULES B1) with a new code,
// and its label is printed at once to go on the drums.
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { post } from "../../api/client";
import { formatDate } from "../../lib/format";
import { Button, Facts, Notice, Section, StatusBadge } from "../../ui/components";
import { fieldError, NumberField, SelectField, TextField } from "../../ui/fields";
import { useAction, useDraft } from "../../ui/hooks";
import { ActProblem, lotPath, rememberLot, materialOptions, Page, PrintLabelButton, Qty, useCatalogue } from "./shared";
import { EMPTY_RECEIPT, validateReceipt, type ReceiptBody, type ReceiptDraft } from "./forms";
import type { Lote, Material } from "./types";

function LotButton({ codigo, id }: { codigo: string; id: string }) {
  return (
    <Link to={lotPath(codigo)} state={{ loteId: id }} className="button button-secondary">
      Abrir o lote
    </Link>
  );
}

const FIELDS = ["material", "quantidade", "validade", "data_fabricacao", "fornecedor", "lote_fornecedor", "nota_fiscal"];
const LAST = "ps.recebimento.ultimo";

// The lot just received stays on screen (and through a reload) until the next receipt.
function useLastReceipt(): [Lote | null, (l: Lote | null) => void] {
  const [lot, setLot] = useState<Lote | null>(() => {
    try {
      return JSON.parse(sessionStorage.getItem(LAST) ?? "null") as Lote | null;
    } catch {
      return null;
    }
  });
  const set = (l: Lote | null) => {
    if (l) {
      sessionStorage.setItem(LAST, JSON.stringify(l));
      rememberLot(l.codigo, l.id);
    }
    else sessionStorage.removeItem(LAST);
    setLot(l);
  };
  return [lot, set];
}

export function ReceiptPage() {
  const catalogue = useCatalogue();
  const [params] = useSearchParams();
  const draft = useDraft<ReceiptDraft>("recebimento.novo", EMPTY_RECEIPT);
  const v = draft.values;
  const [received, setReceived] = useLastReceipt();
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction((key: string, body: ReceiptBody) => post<Lote>("/v1/recebimentos", body, { idempotencyKey: key }));

  // Coming from a material's page: that material, unless a draft already chose one.
  const preset = params.get("material");
  useEffect(() => {
    if (preset && !v.material) draft.set("material", preset);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preset]);

  const material: Material | undefined = catalogue.data?.find((m) => m.codigo === v.material);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const { body, errors } = validateReceipt(v);
    setLocal(errors);
    if (!body) return;
    const lot = await action.run(body);
    if (lot) {
      draft.clear();
      setReceived(lot);
    }
  };
  const err = (campo: string) => fieldError(action.error, campo, local);

  if (received) {
    const nome = catalogue.data?.find((m) => m.codigo === received.material)?.nome;
    return (
      <Page title="Recebimento de lote">
        <Section title={`Lote ${received.codigo} recebido`}>
          <Notice tone="success">
            Lote <strong className="mono">{received.codigo}</strong> registrado em quarentena. Ele só poderá ser usado
            depois do laudo aprovado do CQ. Imprima a etiqueta e cole-a nos volumes.
          </Notice>
          <Facts
            items={[
              ["Código do lote", <span className="mono">{received.codigo}</span>],
              ["Material", nome ? `${received.material} — ${nome}` : received.material],
              ["Quantidade", <Qty value={received.quantidade} unit={received.unidade} />],
              ["Validade", formatDate(received.validade)],
              ["Status", <StatusBadge status={received.status} />],
              ["Fornecedor", received.fornecedor],
              ["Lote do fornecedor", received.lote_fornecedor],
              ["Nota fiscal", received.nota_fiscal],
            ]}
          />
          <div className="inline-actions">
            <PrintLabelButton
              kind="primary"
              lot={{ codigo: received.codigo, validade: received.validade, material: received.material, materialNome: nome, status: received.status }}
            />
            <LotButton codigo={received.codigo} id={received.id} />
            <Button onClick={() => setReceived(null)}>Registrar outro recebimento</Button>
          </div>
        </Section>
      </Page>
    );
  }

  return (
    <Page title="Recebimento de lote">
      <p className="lead">Registre o lote entregue pelo fornecedor. Ele nasce em quarentena e recebe um código novo.</p>
      <form onSubmit={submit} noValidate>
        <Section title="Material e quantidade">
          <div className="form-grid">
            <SelectField label="Material" name="material" value={v.material} onChange={(x) => draft.set("material", x)} placeholder={catalogue.data ? "Escolha o material…" : "Carregando o catálogo…"} options={materialOptions(catalogue.data)} required error={err("material")} />
            <NumberField label="Quantidade" name="quantidade" value={v.quantidade} onChange={(x) => draft.set("quantidade", x)} unit={material?.unidade} required error={err("quantidade")} />
            <TextField label="Validade" name="validade" inputMode="numeric" placeholder="dd/mm/aaaa" value={v.validade} onChange={(x) => draft.set("validade", x)} required maxLength={10} error={err("validade")} hint="dd/mm/aaaa, como impressa pelo fornecedor; o lote é usável até esse dia." />
            <TextField label="Data de fabricação (opcional)" name="data_fabricacao" inputMode="numeric" placeholder="dd/mm/aaaa" value={v.data_fabricacao} onChange={(x) => draft.set("data_fabricacao", x)} maxLength={10} error={err("data_fabricacao")} />
          </div>
        </Section>
        <Section title="Fornecedor e documento">
          <div className="form-grid">
            <TextField label="Fornecedor" name="fornecedor" value={v.fornecedor} onChange={(x) => draft.set("fornecedor", x)} required maxLength={200} error={err("fornecedor")} />
            <TextField label="Lote do fornecedor" name="lote_fornecedor" value={v.lote_fornecedor} onChange={(x) => draft.set("lote_fornecedor", x)} required maxLength={100} error={err("lote_fornecedor")} />
            <TextField label="Nota fiscal" name="nota_fiscal" value={v.nota_fiscal} onChange={(x) => draft.set("nota_fiscal", x)} required maxLength={60} error={err("nota_fiscal")} />
          </div>
        </Section>
        <ActProblem error={action.error ?? catalogue.error} shownFields={FIELDS} />
        <div className="actions">
          <Button type="submit" kind="primary" pending={action.pending}>Registrar recebimento</Button>
          <Button onClick={() => { draft.clear(); setLocal({}); action.reset(); }}>Limpar formulário</Button>
        </div>
      </form>
    </Page>
  );
}
