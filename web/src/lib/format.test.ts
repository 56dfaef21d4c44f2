import { describe, expect, it } from "vitest";
import { addDaysIso, daysUntil, formatDate, formatInstant, formatNumber, parseDecimal, statusLabel } from "./format";

describe("formatNumber", () => {
  it("groups thousands with dots and uses a decimal comma", () => {
    expect(formatNumber("1234.5")).toBe("1.234,5");
    expect(formatNumber(1234567.125)).toBe("1.234.567,125");
    expect(formatNumber("0.500")).toBe("0,5");
    expect(formatNumber("-12")).toBe("-12");
    expect(formatNumber(100)).toBe("100");
    expect(formatNumber("2.000", "kg")).toBe("2 kg");
  });
  it("shows a dash for no value", () => {
    expect(formatNumber(null)).toBe("—");
    expect(formatNumber("")).toBe("—");
  });
});

describe("parseDecimal", () => {
  it("reads a Brazilian decimal", () => {
    expect(parseDecimal("7,5")).toEqual({ ok: true, value: "7.5" });
    expect(parseDecimal("1.234,5")).toEqual({ ok: true, value: "1234.5" });
    expect(parseDecimal(" 0,125 ")).toEqual({ ok: true, value: "0.125" });
    expect(parseDecimal(",5")).toEqual({ ok: true, value: "0.5" });
    expect(parseDecimal("-2,50")).toEqual({ ok: true, value: "-2.5" });
    expect(parseDecimal("007")).toEqual({ ok: true, value: "7" });
  });
  it("reads dots as thousands only in groups of three", () => {
    expect(parseDecimal("1.234")).toEqual({ ok: true, value: "1234" });
    expect(parseDecimal("1.234.567")).toEqual({ ok: true, value: "1234567" });
    expect(parseDecimal("7.5")).toEqual({ ok: true, value: "7.5" });
  });
  it("refuses what is not a number", () => {
    for (const bad of ["", "abc", "1,2,3", "1.23,4", "7,5a", "1..2", "--1", "1,2345"]) {
      expect(parseDecimal(bad).ok, bad).toBe(false);
    }
    const tooMany = parseDecimal("1,2345");
    expect(tooMany.ok === false && tooMany.message).toContain("3 casas");
  });
});

describe("dates", () => {
  it("writes calendar dates as dd/mm/aaaa without a time zone shift", () => {
    expect(formatDate("2026-01-02")).toBe("02/01/2026");
    expect(formatDate(null)).toBe("—");
  });
  it("writes instants in the reader's zone", () => {
    const text = formatInstant("2026-11-29T10:15:30.123Z");
    expect(text).toMatch(/^\d{2}\/\d{2}\/2026 \d{2}:\d{2}$/);
    const d = new Date("2026-11-29T10:15:30.123Z");
    expect(text).toBe(
      `${String(d.getDate()).padStart(2, "0")}/11/2026 ${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`,
    );
  });
  it("counts days", () => {
    expect(addDaysIso("2026-12-30", 3)).toBe("2027-01-02");
    expect(daysUntil("2027-01-02", "2026-12-30")).toBe(3);
    expect(daysUntil("2026-12-01", "2026-12-30")).toBe(-29);
  });
});

describe("statusLabel", () => {
  it("says statuses as words", () => {
    expect(statusLabel("em_execucao")).toBe("Em execução");
    expect(statusLabel("aguardando_coleta")).toBe("Aguardando coleta");
    expect(statusLabel("algo_novo")).toBe("Algo novo");
  });
});
