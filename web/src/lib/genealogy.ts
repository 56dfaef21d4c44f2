// A lot's genealogy as a graph, and where each node goes on the page. The traced lot is in the
// middle; the insumo lots that went into it are to the left, one column per level; the lots
// made from it to the right, then the shipments of any of them and the customers who received
// them. A lot reached by several paths (a diamond) is one node, in the column of its deepest
// path, so every edge runs left to right. Pure: no React, no fetch.

export type Quantidade = number | string;

// The parts of the traceability answer (GET /v1/relatorios/rastreabilidade) the graph uses.
export interface TraceInput {
  lote: { id: string; codigo: string; material: string; material_nome?: string | null; op_id: string | null; status?: string };
  ascendente: { lote_id: string; lote_codigo: string; material: string; quantidade: Quantidade; op_id: string; op_codigo: string | null; nivel: number }[] | null;
  descendente: {
    lotes: { lote_id: string; lote_codigo: string; material: string; status?: string; op_id: string; op_codigo: string | null; nivel: number }[];
    expedicoes: { expedicao_id: string; confirmada_em: string; cliente: { nome: string; documento: string }; lote_id: string; quantidade: Quantidade }[];
  } | null;
  linha_do_tempo?: { tipo: string; resumo: Record<string, unknown> }[];
}

// What one OP took in and made, for links the traceability answer does not carry by itself
// (below the first level: which of the lots an OP made, or consumed, is on the path).
export interface OpLinks {
  produzidos: string[]; // lote ids
  consumidos: { lote_id: string; quantidade: Quantidade }[];
}

export type NodeKind = "ascendente" | "lote" | "descendente" | "expedicao" | "cliente";

export interface GNode {
  id: string;
  kind: NodeKind;
  label: string; // a lot's code, "Expedição", a customer's name
  detail: string; // the material, the date, the customer's document
  codigo?: string; // a lot's code: the node links to its traceability
  status?: string;
  column: number; // 0 is the traced lot; negative to the left, positive to the right
}

export interface GEdge {
  from: string;
  to: string;
  quantidade?: Quantidade;
  op?: string; // the OP the material went through
}

export interface Genealogy {
  nodes: GNode[];
  edges: GEdge[];
}

const sum = (a: Quantidade | undefined, b: Quantidade): Quantidade => {
  if (a === undefined) return b;
  // Thousandths are exact as integers: quantities carry at most 3 decimals.
  const total = Math.round(Number(a) * 1000) + Math.round(Number(b) * 1000);
  return total / 1000;
};

// The OPs whose documents the graph needs to connect lots beyond the first level on each side
// (when a level holds more than one other lot, the answer alone does not say which one an OP
// made or took).
export function opsToResolve(t: TraceInput): string[] {
  const need = new Set<string>();
  const up = t.ascendente ?? [];
  for (const a of up) if (a.nivel >= 2 && candidates(up, a.nivel - 1, a.lote_id).length > 1) need.add(a.op_id);
  const down = t.descendente?.lotes ?? [];
  for (const d of down) if (d.nivel >= 2 && candidates(down, d.nivel - 1, d.lote_id).length > 1) need.add(d.op_id);
  return [...need].sort();
}

// The lots of one level other than `self`: where a lot one level further out connects.
function candidates(entries: { lote_id: string; nivel: number }[], nivel: number, self: string): string[] {
  return [...new Set(entries.filter((x) => x.nivel === nivel && x.lote_id !== self).map((x) => x.lote_id))];
}

function pairs<T extends { lote_id: string; op_id: string }>(entries: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const e of entries) {
    const key = e.lote_id + "|" + e.op_id;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(e);
  }
  return [...groups.values()];
}

export function buildGenealogy(t: TraceInput, ops: Record<string, OpLinks> = {}): Genealogy {
  const nodes = new Map<string, GNode>();
  const edges = new Map<string, GEdge>();
  const center = t.lote;
  nodes.set(center.id, {
    id: center.id,
    kind: "lote",
    label: center.codigo,
    detail: center.material_nome || center.material,
    codigo: center.codigo,
    status: center.status,
    column: 0,
  });
  const addEdge = (e: GEdge, add = false) => {
    const key = `${e.from}>${e.to}>${e.op ?? ""}`;
    const old = edges.get(key);
    if (old && add && e.quantidade !== undefined) old.quantidade = sum(old.quantidade, e.quantidade);
    else if (!old) edges.set(key, { ...e });
  };

  // Upwards: lot A went into OP Y (one entry per lot and OP, its consumptions added up), and
  // Y made the lot one level below A on that path.
  const up = t.ascendente ?? [];
  for (const a of up) {
    const node = nodes.get(a.lote_id);
    if (node) node.column = Math.min(node.column, -a.nivel);
    else nodes.set(a.lote_id, { id: a.lote_id, kind: "ascendente", label: a.lote_codigo, detail: a.material, codigo: a.lote_codigo, column: -a.nivel });
  }
  for (const group of pairs(up)) {
    const a = group[0]!;
    const links = ops[a.op_id];
    const targets = new Set<string>();
    if (a.op_id === center.op_id) {
      targets.add(center.id);
    } else if (links) {
      for (const id of links.produzidos) if (id !== a.lote_id && nodes.has(id)) targets.add(id);
    } else {
      for (const entry of group) {
        const below = entry.nivel === 1 ? [center.id] : candidates(up, entry.nivel - 1, a.lote_id);
        if (below.length === 1) targets.add(below[0]!);
      }
    }
    for (const to of targets) addEdge({ from: a.lote_id, to, quantidade: a.quantidade, op: a.op_codigo ?? undefined });
  }

  // Downwards: lot D was made by OP W, which took the lot one level above D on that path.
  const down = t.descendente?.lotes ?? [];
  for (const d of down) {
    const node = nodes.get(d.lote_id);
    if (node) node.column = Math.max(node.column, d.nivel);
    else nodes.set(d.lote_id, { id: d.lote_id, kind: "descendente", label: d.lote_codigo, detail: d.material, codigo: d.lote_codigo, status: d.status, column: d.nivel });
  }
  const takenFromCenter = new Map<string, Quantidade>();
  for (const e of t.linha_do_tempo ?? []) {
    if (e.tipo !== "insumos.consumidos") continue;
    const op = e.resumo.op_id;
    const q = e.resumo.quantidade;
    if (typeof op === "string" && (typeof q === "number" || typeof q === "string")) takenFromCenter.set(op, sum(takenFromCenter.get(op), q));
  }
  for (const group of pairs(down)) {
    const d = group[0]!;
    const links = ops[d.op_id];
    const op = d.op_codigo ?? undefined;
    if (links) {
      for (const c of links.consumidos) {
        if (c.lote_id !== d.lote_id && nodes.has(c.lote_id)) addEdge({ from: c.lote_id, to: d.lote_id, quantidade: c.quantidade, op }, true);
      }
      continue;
    }
    for (const entry of group) {
      if (entry.nivel === 1) {
        addEdge({ from: center.id, to: d.lote_id, quantidade: takenFromCenter.get(d.op_id), op });
        continue;
      }
      const above = candidates(down, entry.nivel - 1, d.lote_id);
      if (above.length === 1) addEdge({ from: above[0]!, to: d.lote_id, op });
    }
  }

  // Then who received them: one node per shipment, one per customer.
  const shipped = t.descendente?.expedicoes ?? [];
  if (shipped.length > 0) {
    const last = Math.max(0, ...[...nodes.values()].map((n) => n.column));
    for (const x of shipped) {
      const expId = "expedicao:" + x.expedicao_id;
      const cliId = "cliente:" + x.cliente.documento;
      if (!nodes.has(expId)) nodes.set(expId, { id: expId, kind: "expedicao", label: "Expedição", detail: x.confirmada_em, column: last + 1 });
      if (!nodes.has(cliId)) nodes.set(cliId, { id: cliId, kind: "cliente", label: x.cliente.nome, detail: x.cliente.documento, column: last + 2 });
      if (nodes.has(x.lote_id)) addEdge({ from: x.lote_id, to: expId, quantidade: x.quantidade }, true);
      addEdge({ from: expId, to: cliId });
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

export interface Dims {
  nodeWidth: number;
  nodeHeight: number;
  colGap: number;
  rowGap: number;
  margin: number;
}

export const DEFAULT_DIMS: Dims = { nodeWidth: 176, nodeHeight: 52, colGap: 104, rowGap: 22, margin: 12 };

export interface PlacedNode extends GNode {
  x: number;
  y: number;
}

export interface PlacedEdge extends GEdge {
  path: string; // SVG path data
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  dims: Dims;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

// Columns by depth, rows spread and ordered to keep edges short (each node near the mean
// height of its neighbours already placed, working outwards from the traced lot); every
// column centred on the tallest, so no two nodes overlap.
export function layoutGenealogy(g: Genealogy, overrides: Partial<Dims> = {}): GraphLayout {
  const d = { ...DEFAULT_DIMS, ...overrides };
  const columns = [...new Set(g.nodes.map((n) => n.column))].sort((a, b) => a - b);
  const byColumn = new Map<number, GNode[]>(columns.map((c) => [c, g.nodes.filter((n) => n.column === c)]));
  const maxRows = Math.max(1, ...[...byColumn.values()].map((ns) => ns.length));
  const rowPitch = d.nodeHeight + d.rowGap;
  const y = new Map<string, number>(); // centre heights, in row units
  const order = (c: number) => {
    const ns = byColumn.get(c)!;
    const near = (n: GNode) => {
      const peers = g.edges
        .filter((e) => e.from === n.id || e.to === n.id)
        .map((e) => (e.from === n.id ? e.to : e.from))
        .filter((p) => y.has(p))
        .map((p) => y.get(p)!);
      return peers.length ? peers.reduce((a, b) => a + b, 0) / peers.length : Number.POSITIVE_INFINITY;
    };
    const sorted = [...ns].sort((a, b) => near(a) - near(b) || a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
    const offset = (maxRows - sorted.length) / 2;
    sorted.forEach((n, i) => y.set(n.id, offset + i));
  };
  const outwards = [
    ...columns.filter((c) => c >= 0).sort((a, b) => a - b),
    ...columns.filter((c) => c < 0).sort((a, b) => b - a),
  ];
  for (const c of outwards) order(c);

  const colX = new Map(columns.map((c, i) => [c, d.margin + i * (d.nodeWidth + d.colGap)]));
  const nodes: PlacedNode[] = g.nodes.map((n) => ({ ...n, x: colX.get(n.column)!, y: d.margin + y.get(n.id)! * rowPitch }));
  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges: PlacedEdge[] = g.edges.flatMap((e) => {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) return [];
    const x1 = a.x + d.nodeWidth;
    const y1 = a.y + d.nodeHeight / 2;
    const x2 = b.x;
    const y2 = b.y + d.nodeHeight / 2;
    const c = d.colGap / 2;
    const path = `M${x1} ${y1} C${x1 + c} ${y1}, ${x2 - c} ${y2}, ${x2} ${y2}`;
    // The label sits in the gap right after the source, where no node ever is.
    const labelX = x1 + c;
    const labelY = bezierYAtX([x1, x1 + c, x2 - c, x2], [y1, y1, y2, y2], labelX);
    return [{ ...e, path, labelX, labelY }];
  });
  const width = d.margin * 2 + columns.length * d.nodeWidth + Math.max(0, columns.length - 1) * d.colGap;
  const height = d.margin * 2 + maxRows * d.nodeHeight + (maxRows - 1) * d.rowGap;
  return { width, height, dims: d, nodes, edges };
}

// The height of a cubic Bézier (x increasing along it) where it crosses `x`.
export function bezierYAtX(xs: [number, number, number, number], ys: [number, number, number, number], x: number): number {
  const at = (p: [number, number, number, number], t: number) => {
    const u = 1 - t;
    return u * u * u * p[0] + 3 * u * u * t * p[1] + 3 * u * t * t * p[2] + t * t * t * p[3];
  };
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (at(xs, mid) < x) lo = mid;
    else hi = mid;
  }
  return at(ys, (lo + hi) / 2);
}
