import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/problem";
import type { Amostra, Ensaio, Resultado } from "./api";
import {
  checkResults,
  checkSpecification,
  draftOf,
  emptyEnsaio,
  enteredResults,
  FOUR_EYES,
  isRegistroNaoRevisado,
  laudoProblem,
  limitsText,
  nextAct,
  NOT_CONFORMING,
  OTHER,
  REGISTRO_NAO_REVISADO,
  resultsComplete,
} from "./logic";

const PH: Ensaio = { codigo: "PH", nome: "pH", minimo: 6, maximo: 8 };
const UMI: Ensaio = { codigo: "UMI", nome: "Umidade", unidade: "%", maximo: 12.5 };
const TEOR: Ensaio = { codigo: "TEOR", nome: "Teor", unidade: "%", minimo: 98 };
const ASP: Ensaio = { codigo: "ASP", nome: "Aspecto", esperado: "Pó branco" };

function result(ensaio: string, valor: number | string, conforme = true, sub = "u1"): Resultado {
  return {
    id: ensaio + valor,
    ensaio,
    valor,
    conforme,
    motivo: null,
    registrado_por: { sub, username: sub, nome: sub },
    registrado_em: "2026-12-01T10:00:00Z",
  };
}

function sample(status: Amostra["status"], resultados: Resultado[] = [], ensaios: Ensaio[] = [PH, ASP]): Amostra {
  return {
    id: "a1",
    codigo: "AM-000001",
    lote_id: "l1",
    lote: null,
    status,
    especificacao_versao: resultados.length ? 1 : null,
    especificacao: resultados.length
      ? { material: "M", versao: 1, ensaios, criado_por: "x", criado_em: "2026-12-01T10:00:00Z" }
      : null,
    coleta: null,
    resultados,
    historico_resultados: resultados,
    laudo: null,
    criado_em: "2026-12-01T10:00:00Z",
    versao: 1,
  };
}

describe("limitsText", () => {
  it("reads limits as a Brazilian reader does", () => {
    expect(limitsText(PH)).toBe("6 a 8");
    expect(limitsText(UMI)).toBe("≤ 12,5 %");
    expect(limitsText(TEOR)).toBe("≥ 98 %");
    expect(limitsText(ASP)).toBe("Pó branco");
  });
});

describe("nextAct", () => {
  it("follows the sample's life", () => {
    expect(nextAct(sample("aguardando_coleta"))).toBe("coletar");
    expect(nextAct(sample("coletada"))).toBe("resultados");
    expect(nextAct(sample("em_analise", [result("PH", 7)]))).toBe("resultados");
    expect(nextAct(sample("em_analise", [result("PH", 7), result("ASP", "Pó branco")]))).toBe("laudo");
    expect(nextAct(sample("concluida", [result("PH", 7)]))).toBeNull();
  });
  it("calls a sample complete only when every ensaio has a result", () => {
    expect(resultsComplete(sample("em_analise", [result("PH", 9, false), result("ASP", "x", false)]))).toBe(true);
    expect(resultsComplete(sample("coletada"))).toBe(false);
  });
});

describe("four eyes", () => {
  it("knows who entered results", () => {
    const a = sample("em_analise", [result("PH", 7, true, "ana")]);
    expect(enteredResults(a, "ana")).toBe(true);
    expect(enteredResults(a, "bia")).toBe(false);
    expect(enteredResults(a, undefined)).toBe(false);
  });
  it("says the laudo's refusal in words", () => {
    const mapped = laudoProblem(new ApiError(403, "sem-permissao", "Sem permissão", "x"));
    expect((mapped as ApiError).title).toBe(FOUR_EYES);
    const other = new ApiError(403, "assinatura-invalida", "Assinatura inválida", "x");
    expect(laudoProblem(other)).toBe(other);
  });
  it("says an approval waits for the batch record's review (RULES G1)", () => {
    const refused = new ApiError(409, "registro-de-lote-nao-revisado", "Registro de lote não revisado", "RULES G1");
    const mapped = laudoProblem(refused) as ApiError;
    expect(isRegistroNaoRevisado(mapped)).toBe(true);
    expect(mapped.title).toBe(REGISTRO_NAO_REVISADO);
    expect(mapped.detail).toMatch(/registro de lote ainda não foi revisado/);
    expect(isRegistroNaoRevisado(new ApiError(409, "conflito", "Conflito", ""))).toBe(false);
  });
});

describe("checkResults", () => {
  it("reads pt-BR decimals and picks qualitative values", () => {
    const c = checkResults([PH, UMI, ASP], { PH: { valor: "7,5" }, UMI: { valor: "" }, ASP: { valor: "Pó branco" } }, [], "");
    expect(c.errors).toEqual({});
    expect(c.posts).toEqual([
      { ensaio: "PH", valor: 7.5 },
      { ensaio: "ASP", valor: "Pó branco" },
    ]);
  });
  it("shows a parse error by its ensaio before sending", () => {
    const c = checkResults([PH], { PH: { valor: "7,5x" } }, [], "");
    expect(c.errors.PH).toBeTruthy();
    expect(c.posts).toEqual([]);
  });
  it("takes 'Não conforme' and an observed text", () => {
    const c = checkResults([ASP], { ASP: { valor: NOT_CONFORMING } }, [], "");
    expect(c.posts).toEqual([{ ensaio: "ASP", valor: "Não conforme" }]);
    const o = checkResults([ASP], { ASP: { valor: OTHER, outro: " pó amarelado " } }, [], "");
    expect(o.posts).toEqual([{ ensaio: "ASP", valor: "pó amarelado" }]);
    expect(checkResults([ASP], { ASP: { valor: OTHER } }, [], "").errors.ASP).toBeTruthy();
  });
  it("asks a motivo to correct a current result, and skips an unchanged one", () => {
    const current = [result("PH", 7)];
    expect(checkResults([PH], { PH: { valor: "7" } }, current, "").posts).toEqual([]);
    const c = checkResults([PH], { PH: { valor: "7,2" } }, current, "");
    expect(c.errors.motivo).toBeTruthy();
    const ok = checkResults([PH], { PH: { valor: "7,2" } }, current, "erro de digitação");
    expect(ok.posts).toEqual([{ ensaio: "PH", valor: 7.2, motivo: "erro de digitação" }]);
  });
});

describe("checkSpecification", () => {
  it("builds the ensaios from what was typed", () => {
    const rows = [
      { ...emptyEnsaio(), codigo: "PH", nome: "pH", minimo: "6", maximo: "7,5" },
      { ...emptyEnsaio(), codigo: "ASP", nome: "Aspecto", tipo: "qualitativo" as const, esperado: "Conforme", minimo: "1" },
      { ...emptyEnsaio(), codigo: "UMI", nome: "Umidade", unidade: "%", maximo: "12,5" },
    ];
    const c = checkSpecification(rows);
    expect(c.errors).toEqual({});
    expect(c.ensaios).toEqual([
      { codigo: "PH", nome: "pH", minimo: 6, maximo: 7.5 },
      { codigo: "ASP", nome: "Aspecto", esperado: "Conforme" },
      { codigo: "UMI", nome: "Umidade", unidade: "%", maximo: 12.5 },
    ]);
  });
  it("names each problem by the field the server would name", () => {
    const c = checkSpecification([
      { ...emptyEnsaio(), codigo: "PH", nome: "pH", minimo: "8", maximo: "6" },
      { ...emptyEnsaio(), codigo: "ph", nome: "", minimo: "abc" },
      { ...emptyEnsaio(), codigo: "X", nome: "X" },
      { ...emptyEnsaio(), codigo: "Q", nome: "Q", tipo: "qualitativo" },
    ]);
    expect(Object.keys(c.errors).sort()).toEqual([
      "ensaios[0].maximo",
      "ensaios[1].codigo",
      "ensaios[1].minimo",
      "ensaios[1].nome",
      "ensaios[2].minimo",
      "ensaios[3].esperado",
    ]);
    expect(checkSpecification([]).errors.ensaios).toBeTruthy();
  });
  it("turns a published ensaio back into editable text", () => {
    expect(draftOf({ codigo: "M", nome: "Massa", unidade: "mg", minimo: 1234.5 })).toMatchObject({
      tipo: "numerico",
      minimo: "1234,5",
      maximo: "",
      unidade: "mg",
    });
    expect(draftOf(ASP)).toMatchObject({ tipo: "qualitativo", esperado: "Pó branco" });
  });
});
