import { describe, expect, it } from "vitest";
import { compareDecimal, decimalText, limitsText, multiplyDecimal, outOfLimits, sumDecimals } from "./decimal";

describe("compareDecimal", () => {
  it("compares exactly, whatever the number of places", () => {
    expect(compareDecimal("8.0001", 8)).toBe(1);
    expect(compareDecimal("8.000", 8)).toBe(0);
    expect(compareDecimal("7.999", "8")).toBe(-1);
    expect(compareDecimal("-0.5", 0)).toBe(-1);
    expect(compareDecimal("-2", "-10")).toBe(1);
    expect(compareDecimal(0.1, "0.10")).toBe(0);
  });
  it("refuses what is not a decimal", () => {
    expect(() => compareDecimal("abc", 1)).toThrow();
    expect(() => compareDecimal("", 1)).toThrow();
  });
});

describe("multiplyDecimal", () => {
  it("multiplies without binary floating point", () => {
    expect(multiplyDecimal("0.1", "3")).toBe("0.3");
    expect(multiplyDecimal(2.5, 1000)).toBe("2500");
    expect(multiplyDecimal("0.125", "0.008")).toBe("0.001");
    expect(multiplyDecimal("-1.5", "2")).toBe("-3");
    expect(multiplyDecimal("0", "-2")).toBe("0");
  });
});

describe("decimalText", () => {
  it("gives the digits the API sent", () => {
    expect(decimalText(7.5)).toBe("7.5");
    expect(decimalText(1e-3)).toBe("0.001");
    expect(decimalText(" 2.50 ")).toBe("2.50");
  });
});

describe("limits", () => {
  it("are inclusive and a missing one bounds nothing", () => {
    const p = { minimo: 5, maximo: 8 };
    expect(outOfLimits("5", p)).toBe(false);
    expect(outOfLimits("8", p)).toBe(false);
    expect(outOfLimits("8.001", p)).toBe(true);
    expect(outOfLimits("4.999", p)).toBe(true);
    expect(outOfLimits("1000", { minimo: 5 })).toBe(false);
    expect(outOfLimits("-1000", { maximo: 5, minimo: null })).toBe(false);
    expect(outOfLimits("3", {})).toBe(false);
  });
  it("read as an operator says them", () => {
    expect(limitsText({ minimo: 5, maximo: 8, unidade: "°C" })).toBe("entre 5 e 8 °C");
    expect(limitsText({ minimo: 2.5, maximo: 1234.5 })).toBe("entre 2,5 e 1.234,5");
    expect(limitsText({ minimo: 98, unidade: "%" })).toBe("no mínimo 98 %");
    expect(limitsText({ maximo: 0.5, unidade: "bar" })).toBe("no máximo 0,5 bar");
    expect(limitsText({ minimo: 7, maximo: 7 })).toBe("exatamente 7");
    expect(limitsText({ unidade: "min" })).toBe("sem limites");
  });
});

describe("sumDecimals", () => {
  it("adds exactly", () => {
    expect(sumDecimals([0.1, 0.2])).toBe("0.3");
    expect(sumDecimals(["1.5", 2, "0.125"])).toBe("3.625");
    expect(sumDecimals([])).toBe("0");
    expect(sumDecimals(["-1", "1"])).toBe("0");
  });
});
