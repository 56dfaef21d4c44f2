import { describe, expect, it } from "vitest";
import { checkStep, conclusionBlockers, isBlocked, nextStep, recordedCount } from "./ordem-logic";
import type { EtapaOp, OrdemProducao, Registro } from "./types";

const registro = (ordem: number): Registro => ({
  id: "r" + ordem, ordem, parametros: {}, fora_dos_limites: [], sinalizado: false, motivo: null,
  observacao: null, registrado_por: "gestor", registrado_em: "2026-11-29T10:00:00Z",
});
const etapa = (ordem: number, nome: string, done: boolean): EtapaOp => ({
  ordem, nome, parametros: [], registro: done ? registro(ordem) : null,
});
type Op = Pick<OrdemProducao, "status" | "etapas" | "desvios_abertos">;
const op = (status: Op["status"], etapas: EtapaOp[], desvios_abertos = 0): Op => ({ status, etapas, desvios_abertos });

describe("the next step", () => {
  it("is the first one without a record, in recipe order", () => {
    const o = op("em_execucao", [etapa(2, "Envase", false), etapa(1, "Mistura", true), etapa(3, "Rotulagem", false)]);
    expect(nextStep(o)?.ordem).toBe(2);
    expect(recordedCount(o)).toBe(1);
  });
  it("is none when every step is recorded", () => {
    expect(nextStep(op("em_execucao", [etapa(1, "Mistura", true)]))).toBeUndefined();
  });
});

describe("conclusion", () => {
  it("is possible with every step recorded and no open desvio", () => {
    expect(conclusionBlockers(op("em_execucao", [etapa(1, "Mistura", true)]))).toEqual([]);
  });
  it("names the steps still missing and the open desvios", () => {
    const reasons = conclusionBlockers(op("bloqueada", [etapa(1, "Mistura", true), etapa(2, "Envase", false)], 2));
    expect(reasons).toEqual(["Há 2 desvios abertos nesta ordem.", "Falta registrar: etapa 2 (Envase)."]);
  });
  it("needs the order running", () => {
    expect(conclusionBlockers(op("planejada", [etapa(1, "Mistura", false)]))[0]).toBe("A ordem não está em execução.");
  });
});

describe("blocked", () => {
  it("while a desvio is open on an order not yet final", () => {
    expect(isBlocked({ status: "bloqueada", desvios_abertos: 1 })).toBe(true);
    expect(isBlocked({ status: "em_execucao", desvios_abertos: 1 })).toBe(true);
    expect(isBlocked({ status: "concluida", desvios_abertos: 1 })).toBe(false);
    expect(isBlocked({ status: "em_execucao", desvios_abertos: 0 })).toBe(false);
  });
});

describe("checkStep", () => {
  const params = [
    { nome: "Temperatura", unidade: "°C", minimo: 5, maximo: 8 },
    { nome: "Tempo", unidade: "min" },
  ];
  it("parses pt-BR values to the API's decimals", () => {
    const c = checkStep(params, { Temperatura: "7,5", Tempo: "1.200" }, "");
    expect(c.errors).toEqual({});
    expect(c.parametros).toEqual({ Temperatura: "7.5", Tempo: "1200" });
    expect(c.outOfLimits).toEqual([]);
  });
  it("asks for the motivo when a value is out of limits", () => {
    const c = checkStep(params, { Temperatura: "8,5", Tempo: "10" }, "");
    expect(c.outOfLimits).toEqual(["Temperatura"]);
    expect(c.errors.motivo).toMatch(/motivo/);
    expect(checkStep(params, { Temperatura: "8,5", Tempo: "10" }, "Sonda recalibrada").errors).toEqual({});
  });
  it("names the value that is missing or does not parse", () => {
    const c = checkStep(params, { Temperatura: "7,5,1" }, "");
    expect(Object.keys(c.errors).sort()).toEqual(["parametros.Temperatura", "parametros.Tempo"]);
  });
});
