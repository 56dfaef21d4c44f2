import { describe, expect, it } from "vitest";
import { checkPdf, pdfText as text } from "./pdf.test-support";
import { PdfPage, textWidth, winAnsiByte, writePdf } from "./pdf";

describe("writePdf", () => {
  it("writes a well-formed one-page file", () => {
    const page = new PdfPage(283.465, 170.079).text(10, 150, "R261201-00001", { size: 14, font: "bold" });
    page.rects([{ x: 1, y: 2, w: 3, h: 4 }]);
    const s = checkPdf(writePdf(page, { title: "Etiqueta", created: new Date(Date.UTC(2026, 11, 1, 10, 0, 0)) }));
    expect(s).toContain("(R261201-00001) Tj");
    expect(s).toContain("/MediaBox [0 0 283.465 170.079]");
    expect(s).toContain("1 2 3 4 re");
    expect(s).toContain("/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding");
    expect(s).toContain("/CreationDate (D:20261201100000Z)");
  });

  it("encodes accents in WinAnsi and escapes the string delimiters", () => {
    const s = text(writePdf(new PdfPage(100, 100).text(0, 0, "Validação (1\\2) — ok"), { title: "t" }));
    expect(s).toContain("(Valida\u00e7\u00e3o \\(1\\\\2\\) \u0097 ok) Tj");
    expect(winAnsiByte("€")).toBe(0x80);
    expect(winAnsiByte("日")).toBe(0x3f);
  });

  it("measures text with the core font widths", () => {
    expect(textWidth("0", "regular", 10)).toBeCloseTo(5.56);
    expect(textWidth("ção", "bold", 10)).toBeCloseTo(textWidth("cao", "bold", 10));
    expect(textWidth("W", "regular", 1000)).toBe(944);
  });
});
