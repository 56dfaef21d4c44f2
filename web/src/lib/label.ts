// A lot's label, 100 × 60 mm, as a PDF made in the browser: a QR code carrying the GS1
// element string a scanner types into the search box (expiry AI 17, lot AI 10), and the same
// facts for people — the lot code, the material, the expiry date and the status. Screens load
// this module with import(), so the QR encoder and the PDF writer stay out of the first load.
import qrcode from "qrcode-generator";
import { formatDate, formatInstant, statusLabel } from "./format";
import { MM, PdfPage, textWidth, writePdf, type FontName } from "./pdf";
import { gs1ForLot } from "./scan";

export const LABEL_MM = { width: 100, height: 60 };

export interface LabelLot {
  codigo: string;
  validade: string; // YYYY-MM-DD
  material: string;
  materialNome?: string | null;
  status: string;
}

export interface QrMatrix {
  data: string;
  size: number; // modules per side
  isDark: (row: number, col: number) => boolean;
}

// Level M (15 % of the symbol may be damaged) in byte mode: a label lives on a drum in a
// warehouse, and the element string is plain ASCII.
export function lotQr(codigo: string, validade: string): QrMatrix {
  const data = gs1ForLot(codigo, validade);
  const qr = qrcode(0, "M");
  qr.addData(data, "Byte");
  qr.make();
  return { data, size: qr.getModuleCount(), isDark: (r, c) => qr.isDark(r, c) };
}

// The largest size from `max` down to `min` at which the text fits the width.
function fit(text: string, font: FontName, width: number, max: number, min: number): number {
  let size = max;
  while (size > min && textWidth(text, font, size) > width) size -= 0.5;
  return size;
}

// Up to `lines` lines of the words that fit `width`; the last one ends in "…" when the text
// goes on, and a word wider than the column is cut.
export function wrap(text: string, font: FontName, size: number, width: number, lines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let i = 0;
  while (i < words.length && out.length < lines) {
    let line = words[i++]!;
    while (i < words.length && textWidth(line + " " + words[i], font, size) <= width) line += " " + words[i++];
    out.push(line);
  }
  const cut = i < words.length;
  return out.map((line, k) => ellipsize(line, font, size, width, cut && k === out.length - 1));
}

function ellipsize(line: string, font: FontName, size: number, width: number, force: boolean): string {
  if (!force && textWidth(line, font, size) <= width) return line;
  let s = line;
  while (s.length > 1 && textWidth(s + "…", font, size) > width) s = s.slice(0, -1);
  return s.trimEnd() + "…";
}

export function lotLabelPdf(lot: LabelLot, now = new Date()): Uint8Array {
  const W = LABEL_MM.width * MM;
  const H = LABEL_MM.height * MM;
  const page = new PdfPage(W, H);
  const margin = 3 * MM;
  page.strokeRect(1.5 * MM, 1.5 * MM, W - 3 * MM, H - 3 * MM);

  // The QR code on the left, with the quiet zone of 4 modules the standard asks for inside
  // its square, and the element string in print under it.
  const qr = lotQr(lot.codigo, lot.validade);
  const side = 50 * MM;
  const cell = side / (qr.size + 8);
  const qx = margin;
  const qy = H - margin - side;
  const modules: { x: number; y: number; w: number; h: number }[] = [];
  for (let r = 0; r < qr.size; r++) {
    for (let c = 0; c < qr.size; c++) {
      if (!qr.isDark(r, c)) continue;
      // PDF's y grows upwards; row 0 is the top of the symbol.
      modules.push({ x: qx + (c + 4) * cell, y: qy + side - (r + 5) * cell, w: cell, h: cell });
    }
  }
  page.rects(modules);
  const readable = `(17)${qr.data.slice(2, 8)}(10)${lot.codigo}`;
  page.text(qx + 4 * cell, qy - 2 * MM, readable, { size: fit(readable, "regular", side - 8 * cell, 7, 4.5) });

  // The facts on the right.
  const x = qx + side + 3 * MM;
  const width = W - x - margin;
  let y = H - margin - 2.5 * MM; // the baseline of the next line
  const caption = (text: string) => {
    page.text(x, y, text, { size: 6.5 });
    y -= 1.2 * MM;
  };
  const value = (text: string, size: number, font: FontName = "bold") => {
    const s = fit(text, font, width, size, 6);
    y -= s * 0.75; // the capitals' height, in points
    page.text(x, y, text, { size: s, font });
    y -= 4 * MM;
  };
  caption("Lote");
  value(lot.codigo, 15);
  caption("Material");
  value(lot.material, 10);
  if (lot.materialNome) {
    y += 0.5 * MM;
    for (const line of wrap(lot.materialNome, "regular", 8, width, 2)) {
      page.text(x, y, line, { size: 8 });
      y -= 3.3 * MM;
    }
    y -= 0.8 * MM;
  }
  caption("Validade");
  value(formatDate(lot.validade), 12);
  caption("Status na impressão");
  value(statusLabel(lot.status).toUpperCase(), 12);
  page.text(x, margin + 0.5 * MM, `Impressa em ${formatInstant(now.toISOString())}`, { size: 5.5 });
  return writePdf(page, { title: `Etiqueta do lote ${lot.codigo}`, created: now });
}

export function labelFileName(codigo: string): string {
  return `etiqueta-${codigo.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf`;
}
