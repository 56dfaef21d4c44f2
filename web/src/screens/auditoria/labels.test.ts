import { describe, expect, it } from "vitest";
import { acaoLabel, eventoResumo, fieldChanges, fieldLabel, formatAuditValue, formatFieldValue, isoToBr, parseDateBr, readPeriod, periodProblem, periodToInstants, servicoLabel, shortId } from "./labels";

describe("periodToInstants", () => {
  it("turns São Paulo calendar days into UTC instants, the end day included", () => {
    const before = process.env.TZ;
    process.env.TZ = "America/Sao_Paulo";
    try {
      expect(periodToInstants("2026-11-01", "2026-11-30")).toEqual({
        de: "2026-11-01T03:00:00.000Z",
        ate: "2026-12-01T03:00:00.000Z",
      });
      // Month and year ends roll over.
      expect(periodToInstants("", "2026-12-31").ate).toBe("2027-01-01T03:00:00.000Z");
      expect(periodToInstants("", "")).toEqual({ de: undefined, ate: undefined });
    } finally {
      process.env.TZ = before;
    }
  });

  it("refuses an end before the start", () => {
    expect(periodProblem("2026-11-02", "2026-11-01")).toMatch(/posterior/);
    expect(periodProblem("2026-11-01", "2026-11-01")).toBeUndefined();
    expect(periodProblem("", "2026-11-01")).toBeUndefined();
  });
});

describe("fieldChanges", () => {
  it("lists every field of either side, marking what changed", () => {
    const rows = fieldChanges({ nome: "Ana", roles: ["auditor"], ativo: true }, { roles: ["auditor", "estoquista"], ativo: true, email: "a@b" });
    expect(rows.map((r) => [r.campo, r.mudou])).toEqual([
      ["nome", true],
      ["roles", true],
      ["ativo", false],
      ["email", true],
    ]);
    expect(rows[0]!.depois).toBeUndefined();
  });

  it("reads a creation (no antes) and a record without either", () => {
    expect(fieldChanges(null, { codigo: "MP-1" })).toEqual([{ campo: "codigo", antes: undefined, depois: "MP-1", mudou: true }]);
    expect(fieldChanges(null, null)).toEqual([]);
  });
});

describe("formatAuditValue", () => {
  it("writes values as a Brazilian reads them", () => {
    expect(formatAuditValue(1234.5)).toBe("1.234,5");
    expect(formatAuditValue(true)).toBe("Sim");
    expect(formatAuditValue(false)).toBe("Não");
    expect(formatAuditValue(null)).toBe("—");
    expect(formatAuditValue(undefined)).toBe("—");
    expect(formatAuditValue("2026-11-29")).toBe("29/11/2026");
    expect(formatAuditValue(["auditor", "estoquista"])).toBe("auditor, estoquista");
    expect(formatAuditValue([])).toBe("(nenhum)");
    expect(formatAuditValue({ a: 1 })).toBe('{"a":1}');
    expect(formatAuditValue("quarentena")).toBe("quarentena");
  });
});

describe("labels", () => {
  it("names services and actions, and falls back to readable words", () => {
    expect(servicoLabel("cq")).toBe("Controle de qualidade");
    expect(servicoLabel("novo")).toBe("novo");
    expect(acaoLabel("material.cadastrado")).toBe("Material cadastrado");
    expect(acaoLabel("algo.novo_evento")).toBe("Algo novo evento");
  });

  it("shortens only ids", () => {
    expect(shortId("0193a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b")).toBe("0193a2b4…");
    expect(shortId("MP-001")).toBe("MP-001");
  });
});

describe("eventoResumo", () => {
  it("says each kind of event in a sentence", () => {
    expect(eventoResumo("lote.criado", { origem: "producao", quantidade: 95, op_id: "o1" }, { o1: "OP-2026-000001" })).toBe(
      "Produção, quantidade 95 (OP-2026-000001)",
    );
    expect(eventoResumo("insumos.consumidos", { op_id: "o1", quantidade: 50.5 }, { o1: "OP-1" })).toBe("50,5 consumido(s) em OP-1");
    expect(eventoResumo("laudo.emitido", { decisao: "aprovado", assinatura: { nome: "Ana" } })).toBe("Aprovado, assinado por Ana");
    expect(eventoResumo("expedicao.confirmada", { quantidade: 10, cliente: { nome: "Drogaria" } })).toBe("10 para Drogaria");
    expect(eventoResumo("lote.recolhido", { motivo: "contaminação" })).toBe("Motivo: contaminação");
    expect(eventoResumo("outro", {})).toBe("");
  });
});

describe("formatFieldValue", () => {
  it("reads roles and statuses with their names", () => {
    expect(fieldLabel("roles")).toBe("Papéis");
    expect(fieldLabel("campo_novo")).toBe("Campo novo");
    expect(formatFieldValue("roles", ["estoquista", "analista_cq"])).toBe("Estoquista, Analista de CQ");
    expect(formatFieldValue("status", "em_execucao")).toBe("Em execução");
    expect(formatFieldValue("quantidade", 1500)).toBe("1.500");
  });
});

describe("dates typed dd/mm/aaaa", () => {
  it("reads a Brazilian date, refuses what is not one", () => {
    expect(parseDateBr("29/11/2026")).toEqual({ ok: true, value: "2026-11-29" });
    expect(parseDateBr("1/2/2026")).toEqual({ ok: true, value: "2026-02-01" });
    expect(parseDateBr("")).toEqual({ ok: true, value: "" });
    expect(parseDateBr("2026-11-29")).toEqual({ ok: false, message: "Use o formato dd/mm/aaaa." });
    expect(parseDateBr("31/02/2026")).toEqual({ ok: false, message: "Esta data não existe." });
    expect(isoToBr("2026-11-29")).toBe("29/11/2026");
  });

  it("reads a period, naming the field at fault", () => {
    expect(readPeriod("01/11/2026", "30/11/2026")).toEqual({ de: "2026-11-01", ate: "2026-11-30", errors: {} });
    expect(readPeriod("30/11/2026", "01/11/2026").errors.ate).toMatch(/posterior/);
    expect(readPeriod("xx", "").errors).toEqual({ de: "Use o formato dd/mm/aaaa." });
  });
});
