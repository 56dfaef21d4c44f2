import { describe, expect, it } from "vitest";
import type { Lote, Material } from "../estoque/types";
import { lotState } from "./lot-state";

const lot = (extra: Partial<Lote> = {}): Lote => ({
  id: "l1", codigo: "R261201-00001", material: "PA", unidade: "kg", origem: "recebimento", status: "liberado",
  quantidade: 10, reservada: 0, devolvida_em_avaliacao: 0, disponivel: 10, validade: "2027-06-30", vencido: false,
  data_fabricacao: null, op_id: null, fornecedor: "F", lote_fornecedor: "LF", nota_fiscal: "NF", laudo: null,
  recolhido_motivo: null, recebido_em: "2026-12-01T10:00:00Z", versao: 1, ...extra,
});
const material = { codigo: "PA", vida_util_minima_expedicao_dias: 180 } as Material;
const today = "2026-12-01";

describe("why a lot cannot be used", () => {
  it("a released lot with shelf life is usable", () => {
    expect(lotState(lot(), material, today)).toEqual({ bloqueios: [], expedicao: [], avisos: [], usavel: true });
  });
  it("names quarantine, rejection and recall", () => {
    expect(lotState(lot({ status: "quarentena" }), material, today).bloqueios).toEqual(["Em quarentena — aguardando laudo do CQ."]);
    expect(lotState(lot({ status: "reprovado" }), material, today).bloqueios[0]).toMatch(/^Reprovado/);
    expect(lotState(lot({ status: "recolhido", recolhido_motivo: "contaminação" }), material, today).bloqueios[0]).toMatch(/^Recolhido: contaminação/);
  });
  it("names expiry", () => {
    const s = lotState(lot({ validade: "2026-11-30", vencido: true }), material, today);
    expect(s.usavel).toBe(false);
    expect(s.bloqueios).toEqual(["Vencido: a validade terminou em 30/11/2026."]);
  });
  it("a lot expiring today is still usable", () => {
    expect(lotState(lot({ validade: today }), { ...material, vida_util_minima_expedicao_dias: 0 }, today).usavel).toBe(true);
  });
  it("blocks only shipping when the remaining shelf life is short", () => {
    const s = lotState(lot({ validade: "2027-03-01" }), material, today);
    expect(s.usavel).toBe(true);
    expect(s.expedicao[0]).toMatch(/^Vida útil mínima para expedição insuficiente: a expedição exige 180 dias/);
  });
  it("tells what is held", () => {
    const s = lotState(lot({ reservada: 2.5, devolvida_em_avaliacao: 1 }), material, today);
    expect(s.avisos).toEqual([
      "2,5 kg reservados para expedições ainda não confirmadas.",
      "1 kg devolvidos por cliente, em quarentena até a avaliação do CQ.",
    ]);
  });
});
