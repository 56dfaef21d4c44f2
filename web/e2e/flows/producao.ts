// The production manager's acts, each done as a person does it: from the navigation menu, by
// clicking and typing, and checked by what the screen then shows. `page` is signed in as a
// gestor_producao. Each act starts from the menu, so they compose in any order.
import type { Locator, Page } from "@playwright/test";
import { expect } from "../support";

export interface ParametroDeReceita {
  nome: string;
  unidade: string;
  minimo?: string; // pt-BR ("7,5")
  maximo?: string;
}

export interface ReceitaNova {
  produto: string; // material codigo (tipo produto)
  versao: string;
  etapas: { nome: string; parametros: ParametroDeReceita[] }[];
  insumos: { material: string; quantidadePorUnidade: string }[];
}

export interface Alocacao {
  lote: string;
  quantidade: string; // as shown, pt-BR, without the unit
}

// Opens a screen of the navigation (through the menu button on a narrow screen).
async function navigate(page: Page, label: string, heading = label): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Navegação principal" });
  const link = nav.getByRole("link", { name: label, exact: true });
  if (!(await link.isVisible())) await page.getByRole("button", { name: /menu/i }).click();
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: heading, exact: true })).toBeVisible();
}

const main = (page: Page) => page.locator("main");

// The step of the order's page with this ordem.
export function stepOf(page: Page, ordem: number): Locator {
  return main(page)
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { level: 3, name: new RegExp(`^Etapa ${ordem}:`) }) });
}

export async function createRecipe(page: Page, r: ReceitaNova): Promise<void> {
  await navigate(page, "Receitas");
  await main(page).getByRole("link", { name: "Nova receita" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nova receita" })).toBeVisible();
  await main(page).getByRole("button", { name: "Descartar rascunho" }).click();
  await main(page).getByRole("combobox", { name: "Produto", exact: true }).selectOption(r.produto);
  await main(page).getByRole("textbox", { name: "Versão", exact: true }).fill(r.versao);
  for (const [i, etapa] of r.etapas.entries()) {
    if (i > 0) await main(page).getByRole("button", { name: "Adicionar etapa", exact: true }).click();
    const group = main(page).getByRole("group", { name: `Etapa ${i + 1}`, exact: true });
    await group.getByLabel("Nome da etapa").fill(etapa.nome);
    for (const [j, p] of etapa.parametros.entries()) {
      await group.getByRole("button", { name: `Adicionar parâmetro à etapa ${i + 1}` }).click();
      const row = group.getByRole("group", { name: `Parâmetro ${j + 1}`, exact: true });
      await row.getByRole("textbox", { name: "Nome", exact: true }).fill(p.nome);
      await row.getByRole("textbox", { name: "Unidade", exact: true }).fill(p.unidade);
      if (p.minimo !== undefined) await row.getByRole("textbox", { name: "Mínimo", exact: true }).fill(p.minimo);
      if (p.maximo !== undefined) await row.getByRole("textbox", { name: "Máximo", exact: true }).fill(p.maximo);
    }
  }
  for (const [i, insumo] of r.insumos.entries()) {
    if (i > 0) await main(page).getByRole("button", { name: "Adicionar insumo", exact: true }).click();
    const group = main(page).getByRole("group", { name: `Insumo ${i + 1}`, exact: true });
    await group.getByRole("combobox", { name: "Material", exact: true }).selectOption(insumo.material);
    await group.getByLabel("Quantidade por unidade").fill(insumo.quantidadePorUnidade);
  }
  await main(page).getByRole("button", { name: "Criar receita" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Receita ${r.produto} — versão ${r.versao}` })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Receita criada" })).toBeVisible();
}

export async function createOrder(page: Page, o: { produto: string; quantidade: string; versao: string }): Promise<string> {
  await navigate(page, "Ordens de produção");
  await main(page).getByRole("link", { name: "Nova ordem" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nova ordem de produção" })).toBeVisible();
  await main(page).getByRole("combobox", { name: "Produto", exact: true }).selectOption(o.produto);
  await main(page).getByRole("textbox", { name: "Quantidade", exact: true }).fill(o.quantidade);
  await main(page).getByRole("combobox", { name: "Receita", exact: true }).selectOption({ label: `Versão ${o.versao}` });
  await main(page).getByRole("button", { name: "Criar ordem" }).click();
  const heading = page.getByRole("heading", { level: 1, name: /^Ordem de produção OP-/ });
  await expect(heading).toBeVisible();
  await expect(main(page).getByText("Planejada", { exact: true }).first()).toBeVisible();
  const codigo = /OP-\d{4}-\d+/.exec((await heading.textContent()) ?? "")?.[0];
  expect(codigo, "the order's code in its title").toBeTruthy();
  return codigo!;
}

// From the Ordens list: the order's link (following "Carregar mais" while the list has more).
export async function openOrder(page: Page, codigo: string): Promise<void> {
  await navigate(page, "Ordens de produção");
  const link = main(page).getByRole("link", { name: codigo, exact: true });
  const more = main(page).getByRole("button", { name: "Carregar mais" });
  await expect(main(page).getByRole("table").or(main(page).getByText("Nenhuma ordem"))).toBeVisible();
  for (let i = 0; i < 20 && !(await link.isVisible()); i++) {
    if (!(await more.isVisible())) break;
    await more.click();
    await expect(more.or(link)).toBeVisible();
    await expect(more.filter({ hasText: "Carregando" })).toHaveCount(0);
  }
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: `Ordem de produção ${codigo}` })).toBeVisible();
}

export async function startOrder(page: Page, codigo: string): Promise<void> {
  await openOrder(page, codigo);
  await main(page).getByRole("button", { name: "Iniciar", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Ordem ${codigo} iniciada` })).toBeVisible();
  await expect(main(page).getByText("Em execução", { exact: true }).first()).toBeVisible();
  await expect(main(page).getByRole("button", { name: "Iniciar", exact: true })).toHaveCount(0);
}

export async function recordStep(page: Page, codigo: string, ordem: number, valores: Record<string, string>, motivo?: string): Promise<void> {
  await openOrder(page, codigo);
  const form = main(page).getByRole("form", { name: new RegExp(`^Registrar etapa ${ordem}:`) });
  await expect(form).toBeVisible();
  for (const [nome, valor] of Object.entries(valores)) await form.getByRole("textbox", { name: nome, exact: true }).fill(valor);
  const motivoField = form.getByLabel("Motivo do valor fora dos limites");
  if (motivo !== undefined) {
    // Out of limits: said next to the value, and the motivo asked for, before anything is sent.
    await expect(form.getByText(/^Fora dos limites/).first()).toBeVisible();
    await expect(motivoField).toBeVisible();
    await motivoField.fill(motivo);
  } else {
    await expect(form.getByText(/^Fora dos limites/)).toHaveCount(0);
    await expect(motivoField).toHaveCount(0);
  }
  await form.getByRole("button", { name: `Registrar etapa ${ordem}` }).click();
  await expect(page.getByRole("status").filter({ hasText: new RegExp(`Etapa ${ordem} \\(.*\\) registrada`) })).toBeVisible();
  await expect(stepOf(page, ordem)).toContainText("Registrada por");
}

export async function expectBlocked(page: Page, codigo: string, desvioCodigo: string): Promise<void> {
  const alert = main(page).getByRole("alert").filter({ hasText: "Ordem bloqueada" });
  // Blocking follows the desvio's event: a person opens the order again until it shows.
  await expect(async () => {
    await openOrder(page, codigo);
    await expect(alert).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 45_000 });
  await expect(alert.getByRole("link", { name: desvioCodigo })).toBeVisible();
  // The reason comes before anything else of the order, and nothing can be typed or recorded.
  const alertBox = await alert.boundingBox();
  const factsBox = await main(page).locator("dl.facts").first().boundingBox();
  expect(alertBox && factsBox && alertBox.y < factsBox.y, "the block is shown above the order's data").toBeTruthy();
  await expect(main(page).locator("input, select, textarea")).toHaveCount(0);
  for (const name of [/^Iniciar$/, /^Registrar etapa/, /^Consumir$/, /^Registrar lote$/, /^Concluir ordem$/, /^Cancelar ordem$/]) {
    await expect(main(page).getByRole("button", { name })).toHaveCount(0);
  }
}

export async function consume(page: Page, codigo: string, material: string, quantidade: string): Promise<Alocacao[]> {
  await openOrder(page, codigo);
  const form = main(page).getByRole("form", { name: "Consumir insumo" });
  await form.getByRole("combobox", { name: "Insumo", exact: true }).selectOption(material);
  await form.getByRole("textbox", { name: "Quantidade", exact: true }).fill(quantidade);
  await form.getByRole("button", { name: "Consumir", exact: true }).click();
  const result = page.getByRole("status").filter({ hasText: "Consumo registrado" });
  await expect(result).toBeVisible({ timeout: 30_000 });
  const rows = result.getByRole("table").locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  const out: Alocacao[] = [];
  for (const row of await rows.all()) {
    const cells = row.locator("td");
    out.push({
      lote: ((await cells.nth(0).textContent()) ?? "").trim(),
      quantidade: ((await cells.nth(1).textContent()) ?? "").trim().split(/\s+/)[0] ?? "",
    });
  }
  return out;
}

// `dataFabricacao`: "29/11/2026" (as typed) or "2026-11-29".
export async function produceLot(page: Page, codigo: string, quantidade: string, dataFabricacao: string): Promise<string> {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dataFabricacao);
  const typed = iso ? `${iso[3]}/${iso[2]}/${iso[1]}` : dataFabricacao;
  await openOrder(page, codigo);
  const form = main(page).getByRole("form", { name: "Registrar lote produzido" });
  await form.getByLabel("Quantidade produzida").fill(quantidade);
  await form.getByLabel("Data de fabricação").fill(typed);
  await form.getByRole("button", { name: "Registrar lote" }).click();
  const result = page.getByRole("status").filter({ hasText: /Lote \S+ registrado/ });
  await expect(result).toBeVisible();
  await expect(result).toContainText("Quarentena");
  const lote = /Lote (\S+) registrado/.exec((await result.textContent()) ?? "")?.[1];
  expect(lote, "the new lot's code").toBeTruthy();
  await expect(result.getByRole("link", { name: `Abrir o lote ${lote}` })).toBeVisible();
  return lote!;
}

export async function concludeOrder(page: Page, codigo: string): Promise<void> {
  await openOrder(page, codigo);
  const button = main(page).getByRole("button", { name: "Concluir ordem" });
  await expect(button).toBeEnabled();
  await button.click();
  const dialog = page.getByRole("dialog", { name: `Concluir a ordem ${codigo}` });
  await dialog.getByRole("button", { name: "Concluir", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Ordem ${codigo} concluída` })).toBeVisible();
  await expect(main(page).getByText("Concluída", { exact: true }).first()).toBeVisible();
}
