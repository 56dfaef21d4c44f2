import { describe, expect, it } from "vitest";
import { isoToBr, parseDateBr } from "./datas";

describe("parseDateBr", () => {
  it("reads dd/mm/aaaa into the API's date", () => {
    expect(parseDateBr("29/11/2026")).toEqual({ ok: true, value: "2026-11-29" });
    expect(parseDateBr(" 1/2/2026 ")).toEqual({ ok: true, value: "2026-02-01" });
    expect(parseDateBr("29/02/2028")).toEqual({ ok: true, value: "2028-02-29" });
  });
  it("refuses what is not a date of the calendar", () => {
    expect(parseDateBr("31/04/2026").ok).toBe(false);
    expect(parseDateBr("29/02/2027").ok).toBe(false);
    expect(parseDateBr("2026-11-29").ok).toBe(false);
    expect(parseDateBr("").ok).toBe(false);
  });
  it("round-trips with isoToBr", () => {
    expect(isoToBr("2026-11-29")).toBe("29/11/2026");
    const parsed = parseDateBr(isoToBr("2026-01-05"));
    expect(parsed).toEqual({ ok: true, value: "2026-01-05" });
  });
});
