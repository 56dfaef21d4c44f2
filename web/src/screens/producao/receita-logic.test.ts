import { describe, expect, it } from "vitest";
import { buildReceita, draftFrom, emptyReceita, liveErrors, type ReceitaDraft } from "./receita-logic";

const draft = (): ReceitaDraft => ({
  produto: "PROD-1",
  versao: "2",
  etapas: [
    { nome: "Mistura", parametros: [{ nome: "Temperatura", unidade: "°C", minimo: "5", maximo: "8,5" }] },
    { nome: "Envase", parametros: [] },
  ],
  insumos: [{ material: "INS-1", quantidade: "0,25" }],
  de: "",
});

describe("buildReceita", () => {
  it("numbers the steps and sends exact decimals", () => {
    const { body, errors } = buildReceita(draft());
    expect(errors).toEqual({});
    expect(body).toEqual({
      produto: "PROD-1",
      versao: 2,
      etapas: [
        { ordem: 1, nome: "Mistura", parametros: [{ nome: "Temperatura", unidade: "°C", minimo: 5, maximo: 8.5 }] },
        { ordem: 2, nome: "Envase", parametros: [] },
      ],
      insumos: [{ material: "INS-1", quantidade_por_unidade: 0.25 }],
    });
  });
  it("leaves out limits not given", () => {
    const d = draft();
    d.etapas[0]!.parametros[0] = { nome: "Tempo", unidade: "", minimo: "", maximo: "" };
    expect(buildReceita(d).body?.etapas[0]?.parametros[0]).toEqual({ nome: "Tempo" });
  });
  it("names each problem by the field the service names", () => {
    const d = draft();
    d.versao = "0";
    d.etapas[0]!.parametros[0]!.minimo = "9";
    d.etapas[1]!.nome = " ";
    d.insumos[0]!.quantidade = "0";
    const { body, errors } = buildReceita(d);
    expect(body).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual([
      "etapas[0].parametros[0].minimo",
      "etapas[1].nome",
      "insumos[0].quantidade_por_unidade",
      "versao",
    ]);
  });
  it("refuses a repeated parameter or insumo", () => {
    const d = draft();
    d.etapas[0]!.parametros.push({ nome: "Temperatura", unidade: "", minimo: "", maximo: "" });
    d.insumos.push({ material: "INS-1", quantidade: "1" });
    const { errors } = buildReceita(d);
    expect(errors["etapas[0].parametros[1].nome"]).toMatch(/Já há/);
    expect(errors["insumos[1].material"]).toMatch(/já está/);
  });
  it("shows while typing only what is wrong, not what is still missing", () => {
    const d = emptyReceita();
    expect(liveErrors(d)).toEqual({});
    d.insumos[0]!.quantidade = "1,2,3";
    expect(Object.keys(liveErrors(d))).toEqual(["insumos[0].quantidade_por_unidade"]);
  });
});

describe("draftFrom", () => {
  it("copies a recipe as the next version, in pt-BR", () => {
    const d = draftFrom(
      {
        id: "r1", produto: "PROD-1", versao: 1, criado_por: "gestor", criado_em: "2026-11-29T10:00:00Z",
        etapas: [{ ordem: 1, nome: "Mistura", parametros: [{ nome: "T", unidade: "°C", minimo: 2.5 }] }],
        insumos: [{ material: "INS-1", quantidade_por_unidade: 1234.5 }],
      },
      2,
    );
    expect(d.versao).toBe("2");
    expect(d.etapas[0]!.parametros[0]).toEqual({ nome: "T", unidade: "°C", minimo: "2,5", maximo: "" });
    expect(d.insumos[0]!.quantidade).toBe("1.234,5");
    expect(buildReceita(d).body?.insumos[0]?.quantidade_por_unidade).toBe(1234.5);
  });
});
