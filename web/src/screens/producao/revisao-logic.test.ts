import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/problem";
import { awaitsReview, excecaoLabel, excecoesText, recordedAStep, reviewBlockers, revisaoProblem, SEGREGACAO, toReview } from "./revisao-logic";
import type { EtapaOp, OrdemProducao, Revisao } from "./types";

const etapa = (ordem: number, por: string | null): EtapaOp => ({
  ordem, nome: "Etapa " + ordem, parametros: [],
  registro: por === null ? null : {
    id: "r" + ordem, ordem, parametros: {}, fora_dos_limites: [], sinalizado: false, motivo: null,
    observacao: null, registrado_por: por, registrado_em: "2026-11-29T10:00:00Z",
  },
});
const revisao: Revisao = {
  revisado_por: "analista", revisado_por_nome: "Analista de CQ Demo", revisado_em: "2026-11-30T10:00:00Z",
  excecoes: 1, observacao: null, assinatura: { nome: "Analista de CQ Demo", significado: "revisao", em: "2026-11-30T10:00:00Z" },
};
type Op = Pick<OrdemProducao, "id" | "status" | "revisao" | "etapas" | "desvios_abertos">;
const op = (id: string, status: Op["status"], rev: Revisao | null = null, por = "gestor", desvios_abertos = 0): Op => ({
  id, status, revisao: rev, etapas: [etapa(1, por), etapa(2, "gestor")], desvios_abertos,
});

describe("the exception types", () => {
  it("are named in Portuguese", () => {
    expect(excecaoLabel("parametro_fora_dos_limites")).toBe("Parâmetro fora dos limites");
    expect(excecaoLabel("desvio")).toBe("Desvio");
    expect(excecaoLabel("etapa_registrada_apos_o_lote")).toBe("Etapa registrada após o lote");
  });
  it("a type this screen does not know yet is still readable", () => {
    expect(excecaoLabel("algo_novo")).toBe("algo novo");
  });
  it("are counted in words", () => {
    expect(excecoesText(0)).toBe("nenhuma exceção");
    expect(excecoesText(1)).toBe("1 exceção");
    expect(excecoesText(3)).toBe("3 exceções");
  });
});

describe("the orders to review", () => {
  const ops = [
    op("a", "concluida"),
    op("b", "concluida", revisao),
    op("c", "em_execucao"),
    op("d", "cancelada"),
    op("e", "concluida", null, "analista"),
  ];
  it("are the concluded ones without a review", () => {
    expect(ops.filter(awaitsReview).map((o) => o.id)).toEqual(["a", "e"]);
    expect(toReview(ops).map((o) => o.id)).toEqual(["a", "e"]);
  });
  it("leave out those whose steps this analyst recorded", () => {
    expect(toReview(ops, "analista").map((o) => o.id)).toEqual(["a"]);
    expect(recordedAStep(ops[4]!, "analista")).toBe(true);
    expect(recordedAStep(ops[4]!, undefined)).toBe(false);
  });
});

describe("signing the review", () => {
  it("is possible on a concluded order without open desvio, by someone who recorded no step", () => {
    expect(reviewBlockers(op("a", "concluida"), "analista")).toEqual([]);
  });
  it("says why not", () => {
    expect(reviewBlockers(op("a", "em_execucao", null, "gestor", 1), "analista")).toEqual([
      "A ordem ainda não foi concluída: o registro de lote é revisado depois da conclusão.",
      "Há desvio aberto nesta ordem: encerre-o antes da revisão.",
    ]);
    expect(reviewBlockers(op("a", "concluida", null, "analista"), "analista")[0]).toMatch(/segregação de funções/);
    expect(reviewBlockers(op("a", "concluida", revisao), "analista")).toEqual(["O registro de lote desta ordem já foi revisado."]);
  });
});

describe("a refused review", () => {
  it("says the segregation of duties, and keeps the service's detail of a conflict", () => {
    const own = revisaoProblem(new ApiError(403, "sem-permissao", "Sem permissão", "Quem registrou etapas da OP OP-2026-1 não pode revisar"));
    expect(own).toMatchObject({ title: SEGREGACAO, detail: "Quem registrou etapas da OP OP-2026-1 não pode revisar" });
    const twice = revisaoProblem(new ApiError(409, "conflito", "Conflito", "O registro de lote da OP OP-2026-1 já foi revisado."));
    expect(twice).toMatchObject({ status: 409, title: "A revisão não foi aceita", detail: "O registro de lote da OP OP-2026-1 já foi revisado." });
  });
  it("leaves any other problem as it came", () => {
    const other = new ApiError(403, "assinatura-invalida", "Assinatura inválida", "");
    expect(revisaoProblem(other)).toBe(other);
  });
});
