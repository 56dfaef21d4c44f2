// What goes into an order and what comes out of it: insumo consumption (Estoque allocates by
// FEFO and the screen shows which lots it took) and the lots produced (born in quarentena).
import { useState } from "react";
import { Link } from "react-router-dom";
import { post } from "../../api/client";
import { decimalToJson, formatDate, formatInstant, formatNumber, parseDecimal, todayIso } from "../../lib/format";
import { Button, ProblemAlert, StatusBadge, Table } from "../../ui/components";
import { fieldError, NumberField, SelectField, TextField } from "../../ui/fields";
import { useAction, useDraft } from "../../ui/hooks";
import { materialName, unitOf, type Catalogo } from "./catalogo";
import { useReloadOnConflict } from "./conflict";
import { isoToBr, parseDateBr } from "./datas";
import { compareDecimal, multiplyDecimal, sumDecimals } from "./decimal";
import type { Consumo, LoteAlocado, LoteProduzido, OrdemProducao, Receita } from "./types";

const loteLink = (codigo: string) => <Link to={`/lotes/${encodeURIComponent(codigo)}`}>{codigo}</Link>;

// A positive quantity as typed (pt-BR), or why not.
function quantityOf(typed: string): { value?: string; error?: string } {
  const parsed = parseDecimal(typed);
  if (!parsed.ok) return { error: parsed.message };
  if (compareDecimal(parsed.value, 0) <= 0) return { error: "A quantidade deve ser maior que zero." };
  return { value: parsed.value };
}

export function AllocationTable({ lotes, unidade, caption }: { lotes: LoteAlocado[]; unidade?: string; caption?: string }) {
  return (
    <Table
      caption={caption}
      rows={lotes}
      rowKey={(l) => l.lote_id}
      columns={[
        { header: "Lote", cell: (l) => loteLink(l.lote_codigo) },
        { header: "Quantidade", cell: (l) => formatNumber(l.quantidade, unidade), className: "num" },
        { header: "Validade", cell: (l) => formatDate(l.validade) },
      ]}
    />
  );
}

interface ConsumoDraft extends Record<string, unknown> {
  material: string;
  quantidade: string;
}

export function Consumos({ op, receita, catalogo, canAct, onChanged }: {
  op: OrdemProducao;
  receita: Receita | undefined;
  catalogo: Catalogo | undefined;
  canAct: boolean;
  onChanged: () => void;
}) {
  const draft = useDraft<ConsumoDraft>(`op.${op.id}.consumo`, { material: "", quantidade: "" });
  const d = draft.values;
  const [last, setLast] = useState<Consumo>();
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction((key: string, body: { material: string; quantidade: number }) =>
    post<Consumo>(`/v1/ordens-producao/${op.id}/consumos`, body, { idempotencyKey: key }),
  );
  useReloadOnConflict(action.error, onChanged);
  const typedError = d.quantidade.trim() ? quantityOf(d.quantidade).error : undefined;
  const err = (campo: string) => fieldError(action.error, campo, { ...local, quantidade: local.quantidade ?? typedError });

  const insumo = receita?.insumos.find((i) => i.material === d.material);
  const unidade = unitOf(d.material, catalogo);
  const previsto = insumo ? multiplyDecimal(insumo.quantidade_por_unidade, op.quantidade) : undefined;
  const consumido = sumDecimals(op.consumos.filter((c) => c.material === d.material).map((c) => c.quantidade));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!d.material) problems.material = "Escolha o insumo.";
    const q = quantityOf(d.quantidade);
    if (q.error) problems.quantidade = d.quantidade.trim() ? q.error : "Informe a quantidade.";
    setLocal(problems);
    if (Object.keys(problems).length > 0 || !q.value) return;
    setLast(undefined);
    const consumo = await action.run({ material: d.material, quantidade: decimalToJson(q.value) });
    if (consumo) {
      draft.clear();
      setLast(consumo);
      onChanged();
    }
  };

  return (
    <>
      {canAct ? (
        <form onSubmit={submit} noValidate aria-label="Consumir insumo">
          <div className="form-grid">
            <SelectField
              label="Insumo"
              name="material"
              required
              value={d.material}
              onChange={(v) => draft.set("material", v)}
              options={(receita?.insumos ?? []).map((i) => ({ value: i.material, label: materialName(i.material, catalogo) }))}
              placeholder={receita ? "Escolha o insumo da receita" : "Carregando a receita…"}
              error={err("material")}
            />
            <NumberField
              label="Quantidade"
              name="quantidade"
              required
              value={d.quantidade}
              onChange={(v) => draft.set("quantidade", v)}
              error={err("quantidade")}
              hint={
                previsto
                  ? `${unidade ? `em ${unidade}; ` : ""}previsto pela receita: ${formatNumber(previsto, unidade)}; já consumido: ${formatNumber(consumido, unidade)}`
                  : undefined
              }
              unit={unidade}
            />
          </div>
          <p className="hint">O Estoque escolhe os lotes liberados que vencem primeiro (FEFO).</p>
          <ProblemAlert error={action.error} shownFields={["material", "quantidade"]} />
          <div className="actions">
            <Button type="submit" kind="primary" pending={action.pending}>
              Consumir
            </Button>
          </div>
        </form>
      ) : null}
      {last ? (
        <div className="alert alert-success alocacao" role="status">
          <p className="alert-title">
            Consumo registrado: {formatNumber(last.quantidade, unitOf(last.material, catalogo))} de{" "}
            {materialName(last.material, catalogo)}. Lotes alocados por FEFO:
          </p>
          <AllocationTable lotes={last.lotes} unidade={unitOf(last.material, catalogo)} caption="Alocação do Estoque" />
        </div>
      ) : null}
      {canAct ? <h3>Consumos registrados</h3> : null}
      <Table
        rows={op.consumos}
        rowKey={(c) => c.consumo_id}
        empty="Nenhum insumo consumido ainda."
        columns={[
          { header: "Insumo", cell: (c) => materialName(c.material, catalogo) },
          { header: "Quantidade", cell: (c) => formatNumber(c.quantidade, unitOf(c.material, catalogo)), className: "num" },
          {
            header: "Lotes (FEFO)",
            cell: (c) => (
              <ul className="lotes-alocados">
                {c.lotes.map((l) => (
                  <li key={l.lote_id}>
                    {loteLink(l.lote_codigo)}: {formatNumber(l.quantidade, unitOf(c.material, catalogo))}, validade {formatDate(l.validade)}
                  </li>
                ))}
              </ul>
            ),
          },
          { header: "Por", cell: (c) => c.criado_por },
          { header: "Em", cell: (c) => formatInstant(c.criado_em) },
        ]}
      />
    </>
  );
}

interface LoteDraft extends Record<string, unknown> {
  quantidade: string;
  data_fabricacao: string;
}

export function Lotes({ op, catalogo, canAct, onChanged }: {
  op: OrdemProducao;
  catalogo: Catalogo | undefined;
  canAct: boolean;
  onChanged: () => void;
}) {
  const draft = useDraft<LoteDraft>(`op.${op.id}.lote`, { quantidade: "", data_fabricacao: isoToBr(todayIso()) });
  const d = draft.values;
  const [created, setCreated] = useState<LoteProduzido>();
  const [local, setLocal] = useState<Record<string, string>>({});
  const action = useAction((key: string, body: { quantidade: number; data_fabricacao: string }) =>
    post<LoteProduzido>(`/v1/ordens-producao/${op.id}/lotes`, body, { idempotencyKey: key }),
  );
  useReloadOnConflict(action.error, onChanged);
  const unidade = unitOf(op.produto, catalogo);
  const typedError = d.quantidade.trim() ? quantityOf(d.quantidade).error : undefined;
  const err = (campo: string) => fieldError(action.error, campo, { ...local, quantidade: local.quantidade ?? typedError });
  const produzido = sumDecimals(op.lotes.map((l) => l.quantidade));
  const typedDate = parseDateBr(d.data_fabricacao);
  // Said once the year is typed, not while the person is still typing the day.
  const typedDateError = /\d{4}\s*$/.test(d.data_fabricacao) && !typedDate.ok ? typedDate.message : undefined;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    const q = quantityOf(d.quantidade);
    if (q.error) problems.quantidade = d.quantidade.trim() ? q.error : "Informe a quantidade.";
    const data = parseDateBr(d.data_fabricacao);
    if (!data.ok) problems.data_fabricacao = d.data_fabricacao.trim() ? data.message : "Informe a data de fabricação.";
    else if (data.value > todayIso()) problems.data_fabricacao = "A data de fabricação não pode estar no futuro.";
    setLocal(problems);
    if (Object.keys(problems).length > 0 || !q.value || !data.ok) return;
    setCreated(undefined);
    const lote = await action.run({ quantidade: decimalToJson(q.value), data_fabricacao: data.value });
    if (lote) {
      draft.clear();
      setCreated(lote);
      onChanged();
    }
  };

  return (
    <>
      {canAct ? (
        <form onSubmit={submit} noValidate aria-label="Registrar lote produzido">
          <div className="form-grid">
            <NumberField
              label="Quantidade produzida"
              name="quantidade"
              required
              value={d.quantidade}
              onChange={(v) => draft.set("quantidade", v)}
              unit={unidade}
              error={err("quantidade")}
              hint={`${unidade ? `em ${unidade}; ` : ""}a ordem é de ${formatNumber(op.quantidade, unidade)}; já produzido: ${formatNumber(produzido, unidade)}`}
            />
            <TextField
              label="Data de fabricação"
              name="data_fabricacao"
              required
              inputMode="numeric"
              placeholder="dd/mm/aaaa"
              value={d.data_fabricacao}
              onChange={(v) => draft.set("data_fabricacao", v)}
              error={err("data_fabricacao") ?? typedDateError}
              hint="dd/mm/aaaa; hoje ou antes. A validade é calculada pelo prazo de validade do produto."
            />
          </div>
          <ProblemAlert error={action.error} shownFields={["quantidade", "data_fabricacao"]} />
          <div className="actions">
            <Button type="submit" kind="primary" pending={action.pending}>
              Registrar lote
            </Button>
          </div>
        </form>
      ) : null}
      {created ? (
        <div className="alert alert-success" role="status">
          <p className="alert-title">
            Lote {created.codigo} registrado: {formatNumber(created.quantidade, created.unidade || unidade)}, validade{" "}
            {formatDate(created.validade)}, status <StatusBadge status={created.status} />.
          </p>
          <p>
            Ele fica em quarentena até o laudo do Controle de Qualidade. <Link to={`/lotes/${encodeURIComponent(created.codigo)}`}>Abrir o lote {created.codigo}</Link>
          </p>
        </div>
      ) : null}
      {canAct ? <h3>Lotes desta ordem</h3> : null}
      <Table
        rows={op.lotes}
        rowKey={(l) => l.id}
        empty="Nenhum lote produzido ainda."
        columns={[
          { header: "Lote", cell: (l) => loteLink(l.codigo) },
          { header: "Quantidade", cell: (l) => formatNumber(l.quantidade, l.unidade || unidade), className: "num" },
          { header: "Fabricação", cell: (l) => formatDate(l.data_fabricacao) },
          { header: "Validade", cell: (l) => formatDate(l.validade) },
          { header: "Status", cell: (l) => <StatusBadge status={l.status} /> },
        ]}
      />
    </>
  );
}
