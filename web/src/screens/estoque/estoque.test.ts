import { describe, expect, it } from "vitest";
import { parseDateBr } from "./dates";
import { validateMaterial, validateReceipt } from "./forms";
import { parseDocumento } from "./documento";
import { expiryInfo } from "./expiry";
import { breaksFefo, fefoPreview } from "./fefo";
import { fromMilli, toMilli } from "./quantity";
import type { Saldo } from "./types";

describe("quantities in thousandths", () => {
  it("reads and writes exact decimals", () => {
    expect(toMilli(12.5)).toBe(12500n);
    expect(toMilli("0.001")).toBe(1n);
    expect(toMilli("-3.25")).toBe(-3250n);
    expect(toMilli("1.2345")).toBeNull();
    expect(fromMilli(toMilli(0.1)! + toMilli(0.2)!)).toBe("0.3");
    expect(fromMilli(123456789012345678n)).toBe("123456789012345.678");
    expect(fromMilli(-500n)).toBe("-0.5");
  });
});

const saldo = (codigo: string, validade: string, disponivel: number, extra: Partial<Saldo> = {}): Saldo => ({
  lote_id: "id-" + codigo,
  lote_codigo: codigo,
  material: "PA",
  unidade: "un",
  quantidade: disponivel,
  reservada: 0,
  devolvida_em_avaliacao: 0,
  disponivel,
  validade,
  vencido: false,
  status: "liberado",
  ...extra,
});

describe("the FEFO preview", () => {
  const lots = [
    saldo("Q1", "2027-01-10", 100, { status: "quarentena", disponivel: 0 }),
    saldo("V1", "2026-11-30", 5, { vencido: true }),
    saldo("S1", "2027-01-20", 0.3),
    saldo("A1", "2027-02-01", 10),
    saldo("A2", "2027-03-01", 10),
    saldo("A3", "2027-04-01", 10),
  ];

  it("takes the released lots valid long enough, earliest validade first", () => {
    const plan = fefoPreview(lots, "12.1", "2027-01-15");
    expect(plan.parts.map((p) => [p.lote_codigo, p.quantidade])).toEqual([["S1", "0.3"], ["A1", "10"], ["A2", "1.8"]]);
    expect(plan.missing).toBeNull();
    expect(plan.available).toBe("30.3");
  });

  it("leaves out lots whose remaining shelf life is too short", () => {
    const plan = fefoPreview(lots, "5", "2027-01-25");
    expect(plan.parts.map((p) => p.lote_codigo)).toEqual(["A1"]);
  });

  it("says how much is missing", () => {
    const plan = fefoPreview(lots, "35", "2027-01-01");
    expect(plan.missing).toBe("4.7");
    expect(plan.parts).toHaveLength(4);
  });

  it("knows when a chosen lot breaks FEFO", () => {
    expect(breaksFefo(lots, "id-A2", "2027-01-15")?.lote_codigo).toBe("S1");
    expect(breaksFefo(lots, "id-S1", "2027-01-15")).toBeNull();
  });
});

describe("expiry", () => {
  it("counts days through the validade day", () => {
    expect(expiryInfo("2026-12-01", "2026-12-01")).toEqual({ dias: 0, nivel: "proximo", texto: "vence hoje" });
    expect(expiryInfo("2026-11-30", "2026-12-01")).toEqual({ dias: -1, nivel: "vencido", texto: "vencido há 1 dia" });
    expect(expiryInfo("2026-12-31", "2026-12-01").texto).toBe("vence em 30 dias");
    expect(expiryInfo("2027-01-01", "2026-12-01")).toEqual({ dias: 31, nivel: "ok", texto: "faltam 31 dias" });
  });
});

describe("the customer's document", () => {
  it("reads a CPF and a CNPJ, punctuated or not", () => {
    expect(parseDocumento("529.982.247-25")).toEqual({ ok: true, tipo: "CPF", formatado: "529.982.247-25", digitoOk: true });
    expect(parseDocumento("11222333000181")).toEqual({ ok: true, tipo: "CNPJ", formatado: "11.222.333/0001-81", digitoOk: true });
  });
  it("reads the alphanumeric CNPJ", () => {
    expect(parseDocumento("12.ABC.345/01DE-35")).toMatchObject({ tipo: "CNPJ", digitoOk: true });
  });
  it("notices wrong check digits and refuses what is neither", () => {
    expect(parseDocumento("529.982.247-26")).toMatchObject({ ok: true, digitoOk: false });
    expect(parseDocumento("11.111.111/1111-11")).toMatchObject({ ok: true, digitoOk: false });
    expect(parseDocumento("123")).toMatchObject({ ok: false });
    expect(parseDocumento("")).toMatchObject({ ok: false });
  });
});


describe("dates typed pt-BR", () => {
  it("reads dd/mm/aaaa, digits only, and ISO", () => {
    expect(parseDateBr("30/11/2027")).toEqual({ ok: true, value: "2027-11-30" });
    expect(parseDateBr("1/2/2028")).toEqual({ ok: true, value: "2028-02-01" });
    expect(parseDateBr("30112027")).toEqual({ ok: true, value: "2027-11-30" });
    expect(parseDateBr("2027-11-30")).toEqual({ ok: true, value: "2027-11-30" });
  });
  it("refuses dates that do not exist and other shapes", () => {
    expect(parseDateBr("29/02/2027")).toMatchObject({ ok: false, message: "Esta data não existe." });
    expect(parseDateBr("11/30/2027")).toMatchObject({ ok: false });
    expect(parseDateBr("amanhã")).toMatchObject({ ok: false, message: "Use o formato dd/mm/aaaa." });
    expect(parseDateBr("")).toMatchObject({ ok: false });
  });
});

describe("the material form", () => {
  const ok = { codigo: "PA-001", nome: "Paracetamol", tipo: "produto", unidade: "un", prazo: "730", vidaUtil: "90" };
  it("sends whole days as numbers", () => {
    expect(validateMaterial(ok).body).toEqual({
      codigo: "PA-001", nome: "Paracetamol", tipo: "produto", unidade: "un", prazo_validade_dias: 730, vida_util_minima_expedicao_dias: 90,
    });
  });
  it("names each problem by the API's field", () => {
    const { body, errors } = validateMaterial({ ...ok, codigo: "PA 001", tipo: "", prazo: "30", vidaUtil: "30" });
    expect(body).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(["codigo", "tipo", "vida_util_minima_expedicao_dias"]);
    expect(validateMaterial({ ...ok, prazo: "1,5" }).errors.prazo_validade_dias).toBe("Use um número inteiro de dias.");
  });
});

describe("the receipt form", () => {
  const ok = { material: "IN-1", quantidade: "1.000,5", validade: "30/11/2027", data_fabricacao: "", fornecedor: " Química ", lote_fornecedor: "Q1", nota_fiscal: "123" };
  it("reads pt-BR quantity and date into the API's body", () => {
    expect(validateReceipt(ok, "2026-12-01").body).toEqual({
      material: "IN-1", quantidade: 1000.5, validade: "2027-11-30", fornecedor: "Química", lote_fornecedor: "Q1", nota_fiscal: "123",
    });
  });
  it("refuses an expired lot, a future manufacture and a bad quantity before sending", () => {
    const { body, errors } = validateReceipt({ ...ok, quantidade: "0", validade: "30/11/2026", data_fabricacao: "02/12/2026" }, "2026-12-01");
    expect(body).toBeUndefined();
    expect(errors).toEqual({
      quantidade: "A quantidade deve ser maior que zero.",
      validade: "O lote já está vencido: a validade não pode ser anterior a hoje.",
      data_fabricacao: "A fabricação não pode ser futura.",
    });
    expect(validateReceipt({ ...ok, validade: "01/12/2026" }, "2026-12-01").body?.validade).toBe("2026-12-01");
  });
});
