// What a PDF reader relies on, checked on a written file (used by the tests of every writer).
import { expect } from "vitest";

export const pdfText = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join("");

// Checks the structure a reader relies on: header, every object where the cross-reference
// table says it is, startxref pointing at the table, and %%EOF at the end.
export function checkPdf(bytes: Uint8Array): string {
  const s = pdfText(bytes);
  expect(s.startsWith("%PDF-1.4\n")).toBe(true);
  expect(s.trimEnd().endsWith("%%EOF")).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n?$/.exec(s)?.[1]);
  expect(s.slice(startxref, startxref + 5)).toBe("xref\n");
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(s.slice(startxref))!;
  expect(first).toBe("0");
  const entries = s.slice(startxref).split("\n").slice(2, 2 + Number(count));
  expect(entries[0]).toBe("0000000000 65535 f ");
  entries.slice(1).forEach((entry, i) => {
    expect(entry).toMatch(/^\d{10} 00000 n $/);
    const offset = Number(entry.slice(0, 10));
    expect(s.slice(offset, offset + `${i + 1} 0 obj\n`.length)).toBe(`${i + 1} 0 obj\n`);
  });
  const trailer = /trailer\n<< \/Size (\d+) \/Root (\d+) 0 R/.exec(s)!;
  expect(Number(trailer[1])).toBe(Number(count));
  // The content stream is exactly as long as it says.
  const stream = /<< \/Length (\d+) >>\nstream\n/.exec(s)!;
  const start = stream.index + stream[0].length;
  expect(s.slice(start + Number(stream[1]), start + Number(stream[1]) + "endstream".length)).toBe("endstream");
  return s;
}

