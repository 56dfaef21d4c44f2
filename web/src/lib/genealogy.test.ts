import { describe, expect, it } from "vitest";
import { bezierYAtX, buildGenealogy, layoutGenealogy, opsToResolve, type GraphLayout, type TraceInput } from "./genealogy";

const lot = (id: string, op: string | null = null) => ({ id, codigo: id.toUpperCase(), material: "PA-1", op_id: op, status: "liberado" });

function overlaps(l: GraphLayout): string[] {
  const { nodeWidth: w, nodeHeight: h } = l.dims;
  const out: string[] = [];
  for (let i = 0; i < l.nodes.length; i++)
    for (let j = i + 1; j < l.nodes.length; j++) {
      const a = l.nodes[i]!;
      const b = l.nodes[j]!;
      if (a.x < b.x + w && b.x < a.x + w && a.y < b.y + h && b.y < a.y + h) out.push(`${a.id}/${b.id}`);
    }
  return out;
}

function column(l: GraphLayout | ReturnType<typeof buildGenealogy>, id: string) {
  return l.nodes.find((n) => n.id === id)?.column;
}

describe("buildGenealogy", () => {
  it("puts insumos left, the lot in the middle, descendants, shipments and customers right", () => {
    const t: TraceInput = {
      lote: lot("p", "op1"),
      ascendente: [
        { lote_id: "i1", lote_codigo: "R1", material: "MP-1", quantidade: 50, op_id: "op1", op_codigo: "OP-1", nivel: 1 },
        { lote_id: "i2", lote_codigo: "R2", material: "MP-2", quantidade: 2.5, op_id: "op1", op_codigo: "OP-1", nivel: 1 },
      ],
      descendente: {
        lotes: [{ lote_id: "d1", lote_codigo: "LP9", material: "PA-2", op_id: "op9", op_codigo: "OP-9", nivel: 1 }],
        expedicoes: [
          { expedicao_id: "e1", confirmada_em: "2026-11-29T10:00:00Z", cliente: { nome: "Farmácia A", documento: "1" }, lote_id: "p", quantidade: 10 },
          { expedicao_id: "e2", confirmada_em: "2026-11-30T10:00:00Z", cliente: { nome: "Farmácia A", documento: "1" }, lote_id: "d1", quantidade: 4 },
        ],
      },
      linha_do_tempo: [
        { tipo: "insumos.consumidos", resumo: { op_id: "op9", quantidade: 3 } },
        { tipo: "insumos.consumidos", resumo: { op_id: "op9", quantidade: 1.5 } },
      ],
    };
    const g = buildGenealogy(t);
    expect(column(g, "p")).toBe(0);
    expect(column(g, "i1")).toBe(-1);
    expect(column(g, "d1")).toBe(1);
    expect(column(g, "expedicao:e1")).toBe(2);
    expect(column(g, "cliente:1")).toBe(3);
    // One customer node for two shipments.
    expect(g.nodes.filter((n) => n.kind === "cliente")).toHaveLength(1);
    const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to);
    expect(edge("i1", "p")?.quantidade).toBe(50);
    expect(edge("i2", "p")?.quantidade).toBe(2.5);
    expect(edge("i1", "p")?.op).toBe("OP-1");
    // What the OP took of the lot, from its timeline, added up exactly.
    expect(edge("p", "d1")?.quantidade).toBe(4.5);
    expect(edge("p", "expedicao:e1")?.quantidade).toBe(10);
    expect(edge("d1", "expedicao:e2")?.quantidade).toBe(4);
    expect(edge("expedicao:e1", "cliente:1")).toBeDefined();
  });

  it("a diamond: an insumo lot reaching the product through two paths is one node, left of both", () => {
    // I went into OP1, which made P1; I and P1 went into OP2, which made P2.
    const t: TraceInput = {
      lote: lot("p2", "op2"),
      ascendente: [
        { lote_id: "i", lote_codigo: "R-I", material: "MP", quantidade: 5, op_id: "op2", op_codigo: "OP-2", nivel: 1 },
        { lote_id: "p1", lote_codigo: "LP-1", material: "PI", quantidade: 20, op_id: "op2", op_codigo: "OP-2", nivel: 1 },
        { lote_id: "i", lote_codigo: "R-I", material: "MP", quantidade: 7, op_id: "op1", op_codigo: "OP-1", nivel: 2 },
      ],
      descendente: { lotes: [], expedicoes: [] },
    };
    const g = buildGenealogy(t);
    expect(g.nodes.filter((n) => n.id === "i")).toHaveLength(1);
    expect(column(g, "i")).toBe(-2);
    expect(column(g, "p1")).toBe(-1);
    const pairs = g.edges.map((e) => `${e.from}>${e.to}:${e.quantidade}`).sort();
    expect(pairs).toEqual(["i>p1:7", "i>p2:5", "p1>p2:20"]);
    // Level 1 holds I and P1, but I cannot be what OP1 made from I: no document needed.
    expect(opsToResolve(t)).toEqual([]);
    const l = layoutGenealogy(g);
    expect(overlaps(l)).toEqual([]);
    for (const e of l.edges) {
      const a = l.nodes.find((n) => n.id === e.from)!;
      const b = l.nodes.find((n) => n.id === e.to)!;
      expect(a.x).toBeLessThan(b.x);
    }
  });

  it("asks for the OP documents it needs beyond the first level, and uses them", () => {
    // Two intermediate lots at level 1; an insumo at level 2 went into the OP of only one.
    const t: TraceInput = {
      lote: lot("p", "op0"),
      ascendente: [
        { lote_id: "a", lote_codigo: "LP-A", material: "PI", quantidade: 1, op_id: "op0", op_codigo: null, nivel: 1 },
        { lote_id: "b", lote_codigo: "LP-B", material: "PI", quantidade: 1, op_id: "op0", op_codigo: null, nivel: 1 },
        { lote_id: "x", lote_codigo: "R-X", material: "MP", quantidade: 9, op_id: "opA", op_codigo: "OP-A", nivel: 2 },
      ],
      descendente: null,
    };
    expect(opsToResolve(t)).toEqual(["opA"]);
    expect(buildGenealogy(t).edges.filter((e) => e.from === "x")).toEqual([]);
    const g = buildGenealogy(t, { opA: { produzidos: ["a"], consumidos: [{ lote_id: "x", quantidade: 9 }] } });
    expect(g.edges.filter((e) => e.from === "x").map((e) => e.to)).toEqual(["a"]);
  });

  it("a downward diamond is one node in the column of its longest path", () => {
    // L went into OP1 (made D1) and OP2; D1 also went into OP2, which made D2.
    const t: TraceInput = {
      lote: lot("l"),
      ascendente: [],
      descendente: {
        lotes: [
          { lote_id: "d1", lote_codigo: "LP-1", material: "PI", op_id: "op1", op_codigo: "OP-1", nivel: 1 },
          { lote_id: "d2", lote_codigo: "LP-2", material: "PA", op_id: "op2", op_codigo: "OP-2", nivel: 1 },
          { lote_id: "d2", lote_codigo: "LP-2", material: "PA", op_id: "op2", op_codigo: "OP-2", nivel: 2 },
        ],
        expedicoes: [],
      },
    };
    const g = buildGenealogy(t);
    expect(g.nodes.filter((n) => n.id === "d2")).toHaveLength(1);
    expect(column(g, "d2")).toBe(2);
    expect(g.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(["d1>d2", "l>d1", "l>d2"]);
  });

  it("a received lot with nothing made from it is the lot alone", () => {
    const g = buildGenealogy({ lote: lot("r"), ascendente: [], descendente: { lotes: [], expedicoes: [] } });
    expect(g.nodes).toHaveLength(1);
    const l = layoutGenealogy(g);
    expect(l.width).toBeGreaterThan(0);
    expect(l.nodes[0]!.x).toBe(l.dims.margin);
  });
});

describe("layoutGenealogy", () => {
  it("spreads a wide column without overlaps and centres the narrower ones", () => {
    const ascendente = Array.from({ length: 7 }, (_, i) => ({
      lote_id: "i" + i, lote_codigo: "R" + i, material: "MP", quantidade: i + 1, op_id: "op", op_codigo: "OP", nivel: 1,
    }));
    const l = layoutGenealogy(buildGenealogy({ lote: lot("p", "op"), ascendente, descendente: null }));
    expect(overlaps(l)).toEqual([]);
    const center = l.nodes.find((n) => n.id === "p")!;
    const ys = l.nodes.filter((n) => n.column === -1).map((n) => n.y);
    expect(center.y).toBeCloseTo((Math.min(...ys) + Math.max(...ys)) / 2);
    expect(l.height).toBe(l.dims.margin * 2 + 7 * l.dims.nodeHeight + 6 * l.dims.rowGap);
    // Every node inside the drawing.
    for (const n of l.nodes) {
      expect(n.x + l.dims.nodeWidth).toBeLessThanOrEqual(l.width);
      expect(n.y + l.dims.nodeHeight).toBeLessThanOrEqual(l.height);
    }
  });

  it("orders a column by where its neighbours are, so edges do not cross needlessly", () => {
    // Two descendants, each shipped to its own customer: shipment and customer rows follow
    // their lots rather than their names.
    const t: TraceInput = {
      lote: lot("l"),
      ascendente: [],
      descendente: {
        lotes: [
          { lote_id: "d1", lote_codigo: "LP-B", material: "PA", op_id: "o1", op_codigo: null, nivel: 1 },
          { lote_id: "d2", lote_codigo: "LP-A", material: "PA", op_id: "o2", op_codigo: null, nivel: 1 },
        ],
        expedicoes: [
          { expedicao_id: "e1", confirmada_em: "2026-01-01T00:00:00Z", cliente: { nome: "Alfa", documento: "a" }, lote_id: "d1", quantidade: 1 },
          { expedicao_id: "e2", confirmada_em: "2026-01-01T00:00:00Z", cliente: { nome: "Zeta", documento: "z" }, lote_id: "d2", quantidade: 1 },
        ],
      },
    };
    const l = layoutGenealogy(buildGenealogy(t));
    const y = (id: string) => l.nodes.find((n) => n.id === id)!.y;
    // Alphabetical order would put Alfa first; its lot is below.
    expect(y("d2")).toBeLessThan(y("d1"));
    expect(y("cliente:z")).toBeLessThan(y("cliente:a"));
    expect(Math.sign(y("d1") - y("d2"))).toBe(Math.sign(y("expedicao:e1") - y("expedicao:e2")));
    expect(overlaps(l)).toEqual([]);
  });

  it("puts each edge label in the gap after its source", () => {
    const l = layoutGenealogy(
      buildGenealogy({
        lote: lot("p", "op"),
        ascendente: [{ lote_id: "i", lote_codigo: "R", material: "MP", quantidade: 1, op_id: "op", op_codigo: null, nivel: 1 }],
        descendente: null,
      }),
    );
    const [e] = l.edges;
    const src = l.nodes.find((n) => n.id === "i")!;
    expect(e!.labelX).toBeGreaterThan(src.x + l.dims.nodeWidth);
    expect(e!.labelX).toBeLessThan(src.x + l.dims.nodeWidth + l.dims.colGap);
    expect(e!.path.startsWith("M")).toBe(true);
  });
});

describe("bezierYAtX", () => {
  it("finds the middle of a symmetric S curve", () => {
    expect(bezierYAtX([0, 50, 50, 100], [0, 0, 100, 100], 50)).toBeCloseTo(50, 5);
    expect(bezierYAtX([0, 50, 50, 100], [10, 10, 10, 10], 30)).toBeCloseTo(10, 5);
  });
});
