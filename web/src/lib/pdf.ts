// A one-page PDF (ISO 32000-1) written in the browser: text in the standard Helvetica fonts
// with WinAnsiEncoding, so Portuguese accents print without embedding a font, and filled
// rectangles (what a QR code's modules are). Nothing is compressed: the file stays small for
// a label and anyone can read it. Coordinates are PDF points (1/72 in) from the lower left.

export const MM = 72 / 25.4;

export type FontName = "regular" | "bold";

const FONT_RESOURCE: Record<FontName, string> = { regular: "F1", bold: "F2" };
const BASE_FONT: Record<FontName, string> = { regular: "Helvetica", bold: "Helvetica-Bold" };

// Character widths (1/1000 em) of the Adobe core fonts for the printable ASCII range 32..126;
// accented letters are measured as their base letter.
const WIDTHS: Record<FontName, number[]> = {
  regular: [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
    556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584,
  ],
  bold: [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611,
    556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389,
    280, 389, 584,
  ],
};

// WinAnsiEncoding (PDF 32000-1 Annex D) is Latin-1 above 0xA0 and has its own 0x80..0x9F.
const WIN_ANSI_EXTRA: Record<string, number> = {
  "€": 0x80, "‚": 0x82, "ƒ": 0x83, "„": 0x84, "…": 0x85, "†": 0x86, "‡": 0x87, "ˆ": 0x88, "‰": 0x89, "Š": 0x8a,
  "‹": 0x8b, "Œ": 0x8c, "Ž": 0x8e, "‘": 0x91, "’": 0x92, "“": 0x93, "”": 0x94, "•": 0x95, "–": 0x96, "—": 0x97,
  "˜": 0x98, "™": 0x99, "š": 0x9a, "›": 0x9b, "œ": 0x9c, "ž": 0x9e, "Ÿ": 0x9f,
};

// One character as its WinAnsi byte; what the encoding lacks prints as "?".
export function winAnsiByte(ch: string): number {
  const code = ch.codePointAt(0) ?? 0x3f;
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  return WIN_ANSI_EXTRA[ch] ?? 0x3f;
}

export function textWidth(text: string, font: FontName, size: number): number {
  let units = 0;
  for (const ch of text) {
    const base = ch.normalize("NFD").charAt(0);
    const code = base.charCodeAt(0);
    units += code >= 32 && code <= 126 ? WIDTHS[font][code - 32]! : ch === "…" || ch === "—" ? 1000 : 600;
  }
  return (units * size) / 1000;
}

// A PDF literal string of WinAnsi bytes, each as a "binary" char 0..255.
function literal(text: string): string {
  let out = "(";
  for (const ch of text) {
    const b = winAnsiByte(ch);
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += "\\" + String.fromCharCode(b);
    else out += String.fromCharCode(b);
  }
  return out + ")";
}

const num = (n: number) => {
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? "0" : String(r);
};

// The drawing of one page, as PDF content operators.
export class PdfPage {
  readonly width: number;
  readonly height: number;
  private ops: string[] = [];

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
  }

  text(x: number, y: number, text: string, { size = 10, font = "regular" as FontName } = {}): this {
    this.ops.push(`BT /${FONT_RESOURCE[font]} ${num(size)} Tf ${num(x)} ${num(y)} Td ${literal(text)} Tj ET`);
    return this;
  }

  // Filled rectangles in one path (a QR code is hundreds of them).
  rects(rects: { x: number; y: number; w: number; h: number }[], gray = 0): this {
    if (rects.length === 0) return this;
    const path = rects.map((r) => `${num(r.x)} ${num(r.y)} ${num(r.w)} ${num(r.h)} re`).join("\n");
    this.ops.push(`${num(gray)} g\n${path}\nf\n0 g`);
    return this;
  }

  strokeRect(x: number, y: number, w: number, h: number, lineWidth = 0.75): this {
    this.ops.push(`${num(lineWidth)} w ${num(x)} ${num(y)} ${num(w)} ${num(h)} re S`);
    return this;
  }

  content(): string {
    return this.ops.join("\n") + "\n";
  }
}

function pdfDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

// The whole file: catalog, page tree, the page, its content stream, two fonts, the document
// information, the cross-reference table with each object's byte offset, and the trailer.
export function writePdf(page: PdfPage, info: { title: string; created?: Date }): Uint8Array {
  const content = page.content();
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] ` +
      "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>",
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
    `<< /Type /Font /Subtype /Type1 /BaseFont /${BASE_FONT.regular} /Encoding /WinAnsiEncoding >>`,
    `<< /Type /Font /Subtype /Type1 /BaseFont /${BASE_FONT.bold} /Encoding /WinAnsiEncoding >>`,
    `<< /Title ${literal(info.title)} /Producer (PharmaSys) /CreationDate (${pdfDate(info.created ?? new Date())}) >>`,
  ];
  // A binary comment after the header tells transfer tools the file is binary.
  let out = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i);
  return bytes;
}
