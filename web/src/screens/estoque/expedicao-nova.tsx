// A new shipment: the customer and the items. Before anything is reserved each item shows the
// lots FEFO would take (read from the released stock); the server then reserves under its own
// locks and answers the lots it really took, shown on the shipment's page.
import { useEffect, useState } from "react";
import { useNavigate } from "react-router-dom";
import { post, type Page as ApiPage } from "../../api/client";
import { addDaysIso, decimalToJson, formatDate, formatNumber, parseDecimal, todayIso } from "../../lib/format";
import { Button, Notice, Section, Table } from "../../ui/components";
import { fieldError, NumberField, SelectField, TextArea, TextField } from "../../ui/fields";
import { useAction, useDraft, useGet } from "../../ui/hooks";
import { parseDocumento } from "./documento";
import { shipmentPath } from "./expedicoes";
import { breaksFefo, fefoPreview, shippable } from "./fefo";
import { ActProblem, LotLink, materialOptions, Page, Qty, useCatalogue } from "./shared";
import type { Expedicao, Material, Saldo } from "./types";

interface ItemDraft {
  key: string;
  material: string;
  quantidade: string;
  lote_id: string;
  motivo: string;
}

interface ShipmentDraft extends Record<string, unknown> {
  nome: string;
  documento: string;
  itens: ItemDraft[];
}

const newItem = (): ItemDraft => ({ key: Math.random().toString(36).slice(2), material: "", quantidade: "", lote_id: "", motivo: "" });
const EMPTY: ShipmentDraft = { nome: "", documento: "", itens: [newItem()] };

interface ItemBody {
  material: string;
  quantidade: number;
  lote_id?: string;
  motivo?: string;
}

interface ShipmentBody {
  cliente: { nome: string; documento: string };
  itens: ItemBody[];
}

const minValidade = (m: Material | undefined) => addDaysIso(todayIso(), m?.vida_util_minima_expedicao_dias ?? 0);

// The released lots of a material, in FEFO order, for the preview and the lot choice.
function useReleased(material: string) {
  return useGet<ApiPage<Saldo>>(material ? "/v1/estoque/saldos" : null, { material, status: "liberado", limit: 500 });
}

export function NewShipmentPage() {
  const navigate = useNavigate();
  const catalogue = useCatalogue();
  const draft = useDraft<ShipmentDraft>("expedicao.nova", EMPTY);
  const v = draft.values;
  const [local, setLocal] = useState<Record<string, string>>({});
  // The items' released lots, as each editor read them: needed to know a FEFO break on submit.
  const [released, setReleased] = useState<Record<string, Saldo[]>>({});
  const action = useAction((key: string, body: ShipmentBody) => post<Expedicao>("/v1/expedicoes", body, { idempotencyKey: key }));
  const doc = parseDocumento(v.documento);
  const setItem = (i: number, item: ItemDraft) => draft.set("itens", v.itens.map((x, k) => (k === i ? item : x)));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!v.nome.trim()) errors["cliente.nome"] = "Informe o nome do cliente.";
    if (!doc.ok) errors["cliente.documento"] = doc.message;
    const itens: ItemBody[] = [];
    v.itens.forEach((item, i) => {
      const p = `itens[${i}].`;
      if (!item.material) errors[p + "material"] = "Escolha o material.";
      const q = parseDecimal(item.quantidade);
      if (!q.ok) errors[p + "quantidade"] = q.message;
      else if (!(Number(q.value) > 0)) errors[p + "quantidade"] = "A quantidade deve ser maior que zero.";
      const m = catalogue.data?.find((x) => x.codigo === item.material);
      const needsMotivo = item.lote_id && breaksFefo(released[item.key] ?? [], item.lote_id, minValidade(m));
      if (needsMotivo && item.motivo.trim().length < 3) errors[p + "motivo"] = "Este lote vence depois de outro: escreva o motivo (pelo menos 3 caracteres).";
      if (q.ok) {
        itens.push({
          material: item.material,
          quantidade: decimalToJson(q.value),
          ...(item.lote_id ? { lote_id: item.lote_id } : {}),
          ...(item.lote_id && item.motivo.trim() ? { motivo: item.motivo.trim() } : {}),
        });
      }
    });
    setLocal(errors);
    if (Object.keys(errors).length || !doc.ok) return;
    const created = await action.run({ cliente: { nome: v.nome.trim(), documento: doc.formatado }, itens });
    if (created) {
      draft.clear();
      navigate(shipmentPath(created.id), { state: { criada: true } });
    }
  };
  const err = (campo: string) => fieldError(action.error, campo, local);
  const shown = ["cliente.nome", "cliente.documento", ...v.itens.flatMap((_, i) => ["material", "quantidade", "lote_id", "motivo"].map((f) => `itens[${i}].${f}`))];

  return (
    <Page title="Nova expedição" back={{ to: "/expedicoes", label: "Expedições" }}>
      <form onSubmit={submit} noValidate>
        <Section title="Cliente">
          <div className="form-grid">
            <TextField label="Nome do cliente" name="cliente_nome" value={v.nome} onChange={(x) => draft.set("nome", x)} required maxLength={200} error={err("cliente.nome")} />
            <TextField
              label="CPF ou CNPJ"
              name="cliente_documento"
              value={v.documento}
              onChange={(x) => draft.set("documento", x)}
              required
              maxLength={40}
              error={err("cliente.documento")}
              hint={doc.ok ? (doc.digitoOk ? `${doc.tipo} ${doc.formatado}` : `${doc.tipo} ${doc.formatado} — o dígito verificador não confere; confira o documento.`) : "Com ou sem pontuação"}
            />
          </div>
        </Section>
        <Section title="Itens">
          {v.itens.map((item, i) => (
            <ItemEditor
              key={item.key}
              index={i}
              item={item}
              catalogue={catalogue.data}
              onChange={(x) => setItem(i, x)}
              onRemove={v.itens.length > 1 ? () => draft.set("itens", v.itens.filter((_, k) => k !== i)) : undefined}
              onReleased={(lots) => setReleased((old) => ({ ...old, [item.key]: lots }))}
              err={(f) => err(`itens[${i}].${f}`)}
            />
          ))}
          <Button onClick={() => draft.set("itens", [...v.itens, newItem()])}>Adicionar item</Button>
        </Section>
        <ActProblem error={action.error ?? catalogue.error} shownFields={shown} />
        <div className="actions">
          <Button type="submit" kind="primary" pending={action.pending}>Reservar lotes</Button>
          <Button onClick={() => { draft.replace({ ...EMPTY, itens: [newItem()] }); setLocal({}); action.reset(); }}>Limpar formulário</Button>
        </div>
      </form>
    </Page>
  );
}

function ItemEditor({ index, item, catalogue, onChange, onRemove, onReleased, err }: {
  index: number;
  item: ItemDraft;
  catalogue: Material[] | undefined;
  onChange: (item: ItemDraft) => void;
  onRemove?: () => void;
  onReleased: (lots: Saldo[]) => void;
  err: (field: string) => string | undefined;
}) {
  const material = catalogue?.find((m) => m.codigo === item.material);
  const released = useReleased(item.material);
  const lots = released.data?.items ?? [];
  useEffect(() => {
    if (released.data) onReleased(released.data.items);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [released.data]);
  const min = minValidade(material);
  const options = lots.filter((s) => shippable(s, min)).map((s) => ({
    value: s.lote_id,
    label: `${s.lote_codigo} — validade ${formatDate(s.validade)} — disponível ${formatNumber(s.disponivel)} ${s.unidade}`,
  }));
  const fefoBreak = item.lote_id ? breaksFefo(lots, item.lote_id, min) : null;
  const q = parseDecimal(item.quantidade);
  const set = (patch: Partial<ItemDraft>) => onChange({ ...item, ...patch });
  return (
    <fieldset className="item-editor">
      <legend>Item {index + 1}</legend>
      <div className="form-grid">
        <SelectField label="Material" name={`itens-${index}-material`} value={item.material} onChange={(x) => set({ material: x, lote_id: "", motivo: "" })} placeholder={catalogue ? "Escolha o material…" : "Carregando o catálogo…"} options={materialOptions(catalogue)} required error={err("material")} />
        <NumberField label="Quantidade" name={`itens-${index}-quantidade`} value={item.quantidade} onChange={(x) => set({ quantidade: x })} unit={material?.unidade} required error={err("quantidade") ?? (item.quantidade && !q.ok ? q.message : undefined)} />
        <SelectField
          label="Lote (opcional)"
          name={`itens-${index}-lote`}
          value={item.lote_id}
          onChange={(x) => set({ lote_id: x })}
          placeholder="Pelo FEFO (recomendado)"
          options={options}
          disabled={!item.material}
          error={err("lote_id")}
          hint={material ? `Só lotes liberados com pelo menos ${material.vida_util_minima_expedicao_dias} dias de validade (até ${formatDate(min)} ou depois).` : undefined}
        />
      </div>
      {item.lote_id && (fefoBreak || err("motivo")) ? (
        <TextArea
          label="Motivo para sair da ordem FEFO"
          name={`itens-${index}-motivo`}
          value={item.motivo}
          onChange={(x) => set({ motivo: x })}
          required
          error={err("motivo")}
          hint={fefoBreak ? `O lote ${fefoBreak.lote_codigo} vence antes (${formatDate(fefoBreak.validade)}). A exceção fica registrada na auditoria.` : undefined}
        />
      ) : null}
      {item.material && q.ok && Number(q.value) > 0 ? <Preview lots={lots} loading={released.loading} quantidade={q.value} loteId={item.lote_id} min={min} unidade={material?.unidade} index={index} /> : null}
      {onRemove ? (
        <div className="actions">
          <Button kind="link" onClick={onRemove}>Remover item {index + 1}</Button>
        </div>
      ) : null}
    </fieldset>
  );
}

function Preview({ lots, loading, quantidade, loteId, min, unidade, index }: {
  lots: Saldo[];
  loading: boolean;
  quantidade: string;
  loteId: string;
  min: string;
  unidade?: string;
  index: number;
}) {
  if (loading && lots.length === 0) return <p className="loading">Lendo o estoque liberado…</p>;
  const chosen = loteId ? lots.filter((s) => s.lote_id === loteId) : lots;
  const plan = fefoPreview(chosen, quantidade, min);
  return (
    <div className="preview">
      {plan.parts.length ? (
        <Table
          rows={plan.parts}
          rowKey={(p) => p.lote_id}
          caption={loteId ? `Prévia do item ${index + 1}: reserva do lote escolhido` : `Prévia FEFO do item ${index + 1}: lotes que seriam reservados`}
          columns={[
            { header: "Lote", cell: (p) => <LotLink codigo={p.lote_codigo} id={p.lote_id} /> },
            { header: "Validade", cell: (p) => formatDate(p.validade) },
            { header: "Disponível", cell: (p) => <Qty value={p.disponivel} unit={unidade} />, className: "num" },
            { header: "A reservar", cell: (p) => <Qty value={p.quantidade} unit={unidade} />, className: "num" },
          ]}
        />
      ) : null}
      {plan.missing ? (
        <Notice tone="warning">
          Estoque insuficiente: faltam {formatNumber(plan.missing, unidade)}. {loteId ? "O lote escolhido tem" : "Os lotes liberados e com vida útil suficiente somam"}{" "}
          {formatNumber(plan.available, unidade)} disponíveis.
        </Notice>
      ) : (
        <p className="hint">A reserva é feita pelo servidor no momento de reservar e pode diferir se o estoque mudar antes.</p>
      )}
    </div>
  );
}
