// One act of the warehouse clerk each, done by clicking as a person would, starting from the
// navigation menu or the search box (never a typed address), and answering what a later step
// needs. `page` is already signed in (estoquista; administrador may also register materials).
import { readFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";

const main = (page: Page) => page.locator("main");
const field = (page: Page, label: RegExp) => main(page).getByLabel(label);

// Opens a screen from the navigation, unfolding it first on a narrow screen.
export async function openFromMenu(page: Page, label: string): Promise<void> {
  const menu = page.getByRole("button", { name: /menu/i });
  if (await menu.isVisible()) {
    if ((await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
  }
  await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: label, exact: true }).click();
}

// A draft left from an earlier, unfinished attempt is put away: this act starts clean.
async function clearForm(page: Page): Promise<void> {
  await main(page).getByRole("button", { name: "Limpar formulário" }).click();
}

export interface NewMaterial {
  codigo: string;
  nome: string;
  tipo: "insumo" | "produto";
  unidade: string;
  prazoDias: number;
  vidaUtilMinimaDias: number;
}

export async function createMaterial(page: Page, m: NewMaterial): Promise<void> {
  await openFromMenu(page, "Materiais");
  await main(page).getByRole("link", { name: "Cadastrar material" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Cadastrar material" })).toBeVisible();
  await clearForm(page);
  await field(page, /^Código/).fill(m.codigo);
  await field(page, /^Nome/).fill(m.nome);
  await field(page, /^Tipo/).selectOption(m.tipo);
  await field(page, /^Unidade/).fill(m.unidade);
  await field(page, /^Prazo de validade/).fill(String(m.prazoDias));
  await field(page, /^Vida útil mínima para expedição/).fill(String(m.vidaUtilMinimaDias));
  await main(page).getByRole("button", { name: "Cadastrar material" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Material ${m.codigo}` })).toBeVisible();
  await expect(main(page).getByText("Material cadastrado.")).toBeVisible();
}

export interface Receipt {
  material: string;
  quantidade: string; // as typed: "1.000,5"
  validade: string; // YYYY-MM-DD
  fornecedor: string;
  loteFornecedor: string;
  notaFiscal: string;
}

// YYYY-MM-DD as a person types it: dd/mm/aaaa.
export function brDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

// Receives the lot and prints its label; answers the new lot's code.
export async function receive(page: Page, r: Receipt): Promise<string> {
  await openFromMenu(page, "Recebimento");
  await expect(page.getByRole("heading", { level: 1, name: "Recebimento de lote" })).toBeVisible();
  // A receipt left on screen from before is put away first.
  const another = main(page).getByRole("button", { name: "Registrar outro recebimento" });
  if (await another.isVisible()) await another.click();
  await clearForm(page);
  await field(page, /^Material/).selectOption(r.material);
  await field(page, /^Quantidade/).fill(r.quantidade);
  await field(page, /^Validade/).fill(brDate(r.validade));
  await field(page, /^Fornecedor/).fill(r.fornecedor);
  await field(page, /^Lote do fornecedor/).fill(r.loteFornecedor);
  await field(page, /^Nota fiscal/).fill(r.notaFiscal);
  await main(page).getByRole("button", { name: "Registrar recebimento" }).click();
  const heading = main(page).getByRole("heading", { level: 2, name: /^Lote .+ recebido$/ });
  await expect(heading).toBeVisible();
  const codigo = /^Lote (.+) recebido$/.exec((await heading.textContent()) ?? "")![1]!;
  await expect(main(page).getByText("Quarentena", { exact: true })).toBeVisible();

  const download = page.waitForEvent("download");
  await main(page).getByRole("button", { name: "Imprimir etiqueta" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`etiqueta-${codigo}.pdf`);
  const pdf = readFileSync((await file.path())!);
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(pdf.toString("latin1")).toContain(`(${codigo}) Tj`);
  return codigo;
}

// Types the code into the header's search box and presses Enter, as a scanner does.
export async function openLot(page: Page, codigo: string): Promise<void> {
  const search = page.getByRole("searchbox", { name: /Buscar lote/ });
  await search.fill(codigo);
  await search.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: `Lote ${codigo}` })).toBeVisible();
}

export interface Shipment {
  cliente: string;
  documento: string;
  material: string;
  quantidade: string;
}

// Reserves by FEFO, checks the reserved lots are shown, confirms; answers the shipment's code.
export async function ship(page: Page, s: Shipment): Promise<string> {
  await openFromMenu(page, "Expedições");
  await main(page).getByRole("link", { name: "Nova expedição" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nova expedição" })).toBeVisible();
  await clearForm(page);
  await field(page, /^Nome do cliente/).fill(s.cliente);
  await field(page, /^CPF ou CNPJ/).fill(s.documento);
  const item = main(page).getByRole("group", { name: "Item 1" });
  await item.getByLabel(/^Material/).selectOption(s.material);
  await item.getByLabel(/^Quantidade/).fill(s.quantidade);
  await expect(item.getByRole("table", { name: "Prévia FEFO do item 1: lotes que seriam reservados" }).getByRole("link").first()).toBeVisible();
  await main(page).getByRole("button", { name: "Reservar lotes" }).click();
  const heading = page.getByRole("heading", { level: 1, name: /^Expedição EXP-/ });
  await expect(heading).toBeVisible();
  const codigo = ((await heading.textContent()) ?? "").replace(/^Expedição /, "");
  const reserved = main(page).getByRole("table", { name: "Lotes reservados do item 1" });
  await expect(reserved.getByRole("link").first()).toBeVisible();
  await main(page).getByRole("button", { name: "Confirmar expedição" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Confirmar expedição" }).click();
  await expect(main(page).getByText("Expedição confirmada: o estoque dos lotes foi baixado.")).toBeVisible();
  await expect(main(page).getByRole("table", { name: "Lotes expedidos do item 1" })).toBeVisible();
  return codigo;
}

export interface Return {
  expedicao: string; // its code, EXP-…
  lote: string; // the lot's code
  quantidade: string;
  motivo: string;
}

// Registers a return from a confirmed shipment; answers the return's code.
export async function registerReturn(page: Page, d: Return): Promise<string> {
  await openFromMenu(page, "Devoluções");
  await main(page).getByRole("link", { name: "Registrar devolução" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Registrar devolução" })).toBeVisible();
  await clearForm(page);
  const shipments = field(page, /^Expedição confirmada/);
  const option = shipments.locator("option", { hasText: `${d.expedicao} — ` });
  // The list brings the newest first; an older shipment may need more of it.
  await expect(async () => {
    if ((await option.count()) === 0) {
      const more = main(page).getByRole("button", { name: "Carregar mais expedições" });
      if (await more.isVisible()) await more.click();
    }
    expect(await option.count()).toBe(1);
  }).toPass({ timeout: 30_000 });
  await shipments.selectOption((await option.getAttribute("value"))!);
  const lots = field(page, /^Lote devolvido/);
  const lot = lots.locator("option", { hasText: `${d.lote} (` });
  await expect(lot).toHaveCount(1);
  await lots.selectOption((await lot.getAttribute("value"))!);
  await field(page, /^Quantidade devolvida/).fill(d.quantidade);
  await field(page, /^Motivo da devolução/).fill(d.motivo);
  await main(page).getByRole("button", { name: "Registrar devolução" }).click();
  const heading = page.getByRole("heading", { level: 1, name: /^Devolução DEV-/ });
  await expect(heading).toBeVisible();
  await expect(main(page).getByText(/^Aguardando avaliação do CQ/)).toBeVisible();
  return ((await heading.textContent()) ?? "").replace(/^Devolução /, "");
}
