import { describe, expect, it } from "vitest";
import { gs1ForLot, lotCodeFromScan } from "./scan";

describe("lotCodeFromScan", () => {
  it("reads a bare lot code", () => {
    expect(lotCodeFromScan("LP261201-00001")).toBe("LP261201-00001");
    expect(lotCodeFromScan("  lr261201-00002 ")).toBe("LR261201-00002");
  });
  it("reads the GS1 string of a label in both orders and spellings", () => {
    expect(lotCodeFromScan("1727113010LP261201-00001")).toBe("LP261201-00001");
    expect(lotCodeFromScan("(17)271130(10)LP261201-00001")).toBe("LP261201-00001");
    expect(lotCodeFromScan("]Q31727113010LP261201-00001")).toBe("LP261201-00001");
    expect(lotCodeFromScan("10LP261201-00001\u001d17271130")).toBe("LP261201-00001");
  });
  it("refuses what is not a code", () => {
    expect(lotCodeFromScan("")).toBeNull();
    expect(lotCodeFromScan("a b c")).toBeNull();
    expect(lotCodeFromScan("x")).toBeNull();
  });
  it("round-trips a label", () => {
    expect(lotCodeFromScan(gs1ForLot("LR261201-00007", "2027-11-30"))).toBe("LR261201-00007");
    expect(gs1ForLot("LR1", "2027-11-30")).toBe("1727113010LR1");
  });
});
