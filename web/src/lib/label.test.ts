import { describe, expect, it } from "vitest";
import { labelFileName, lotLabelPdf, lotQr, wrap, type QrMatrix } from "./label";
import { checkPdf } from "./pdf.test-support";
import { gs1ForLot, lotCodeFromScan } from "./scan";

// A small QR reader for the symbols a label uses (versions 1 to 3, one error-correction
// block), written from ISO/IEC 18004 independently of the encoder: it reads the format
// information, removes the mask, walks the codewords and parses the byte-mode segment.
function readQr(qr: QrMatrix): { level: string; text: string } {
  const n = qr.size;
  const version = (n - 17) / 4;
  expect(Number.isInteger(version) && version >= 1 && version <= 3).toBe(true);
  const dark = (row: number, col: number) => qr.isDark(row, col);

  // Format information, first copy, bit 0 first (around the upper-left finder).
  const cells: [number, number][] = [[0, 8], [1, 8], [2, 8], [3, 8], [4, 8], [5, 8], [7, 8], [8, 8], [8, 7],
    [8, 5], [8, 4], [8, 3], [8, 2], [8, 1], [8, 0]];
  const read = cells.reduce((acc, [r, c], i) => acc | ((dark(r, c) ? 1 : 0) << i), 0);
  let level = "";
  let mask = -1;
  for (const [name, bits] of [["L", 1], ["M", 0], ["Q", 3], ["H", 2]] as const) {
    for (let m = 0; m < 8; m++) {
      const data = (bits << 3) | m;
      let rem = data;
      for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
      if ((((data << 10) | rem) ^ 0x5412) === read) [level, mask] = [name, m];
    }
  }
  expect(mask).toBeGreaterThanOrEqual(0);

  const align = version === 1 ? -1 : n - 7;
  const isFunction = (r: number, c: number) =>
    r === 6 || c === 6 || (r <= 8 && c <= 8) || (r <= 8 && c >= n - 8) || (r >= n - 8 && c <= 8) ||
    (align > 0 && Math.abs(r - align) <= 2 && Math.abs(c - align) <= 2);
  const masked = (r: number, c: number) =>
    [
      (r + c) % 2 === 0, r % 2 === 0, c % 3 === 0, (r + c) % 3 === 0,
      (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0, ((r * c) % 2) + ((r * c) % 3) === 0,
      (((r * c) % 2) + ((r * c) % 3)) % 2 === 0, (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
    ][mask]!;
  const bits: number[] = [];
  for (let right = n - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let v = 0; v < n; v++) {
      for (let j = 0; j < 2; j++) {
        const c = right - j;
        const r = ((right + 1) & 2) === 0 ? n - 1 - v : v;
        if (!isFunction(r, c)) bits.push((dark(r, c) !== masked(r, c) ? 1 : 0));
      }
    }
  }
  let at = 0;
  const take = (k: number) => {
    let v = 0;
    for (let i = 0; i < k; i++) v = (v << 1) | bits[at++]!;
    return v;
  };
  expect(take(4)).toBe(0b0100); // byte mode
  const length = take(8);
  let textOut = "";
  for (let i = 0; i < length; i++) textOut += String.fromCharCode(take(8));
  expect(take(4)).toBe(0); // terminator
  return { level, text: textOut };
}

describe("the lot label's QR code", () => {
  it("carries the GS1 element string of the lot and reads back to its code", () => {
    const qr = lotQr("R261201-00001", "2027-11-30");
    expect(qr.data).toBe(gs1ForLot("R261201-00001", "2027-11-30"));
    expect(qr.data).toBe("1727113010R261201-00001");
    expect(qr.size).toBe(25); // version 2
    const decoded = readQr(qr);
    expect(decoded).toEqual({ level: "M", text: "1727113010R261201-00001" });
    expect(lotCodeFromScan(decoded.text)).toBe("R261201-00001");
  });

  it("grows with the code and still reads", () => {
    const qr = lotQr("LP261201-0001234", "2028-02-29");
    expect(qr.size).toBeGreaterThanOrEqual(25);
    expect(readQr(qr).text).toBe("1728022910LP261201-0001234");
  });
});

describe("the label PDF", () => {
  const lot = { codigo: "R261201-00001", validade: "2027-11-30", material: "INS-ÁCIDO", materialNome: "Ácido ascórbico pó fino grau farmacêutico USP, embalagem de polietileno de alta densidade com tampa", status: "quarentena" };
  it("is a well-formed PDF of 100 × 60 mm with the code, material, expiry and status", () => {
    const s = checkPdf(lotLabelPdf(lot, new Date(Date.UTC(2026, 11, 1, 12, 0, 0))));
    expect(s).toContain("/MediaBox [0 0 283.465 170.079]");
    expect(s).toContain("(R261201-00001) Tj");
    expect(s).toContain("(\\(17\\)271130\\(10\\)R261201-00001) Tj");
    expect(s).toContain("(INS-\u00c1CIDO) Tj");
    expect(s).toContain("(30/11/2027) Tj");
    expect(s).toContain("(QUARENTENA) Tj");
    // The QR modules are drawn as filled rectangles.
    expect((s.match(/ re\n/g) ?? []).length).toBeGreaterThan(100);
  });

  it("wraps a long material name into two lines and marks the cut", () => {
    const lines = wrap(lot.materialNome, "regular", 8, 110, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith("…")).toBe(true);
    expect(wrap("Lactose", "regular", 8, 110, 2)).toEqual(["Lactose"]);
  });

  it("names the file after the lot", () => {
    expect(labelFileName("R261201-00001")).toBe("etiqueta-R261201-00001.pdf");
    expect(labelFileName("A/B")).toBe("etiqueta-A_B.pdf");
  });
});
