// The acts of an auditor, done by clicking as a person does. Each starts from the navigation
// menu (opened first on a narrow screen), so any step of a longer story can call it.
import { expect, type Locator, type Page } from "@playwright/test";
import { entidadeLabel, servicoLabel } from "../../src/screens/auditoria/labels";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Opens a screen from the navigation menu.
export async function openFromNav(page: Page, label: string): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Navegação principal" });
  if (!(await nav.isVisible())) await page.getByRole("button", { name: /menu/i }).click();
  await nav.getByRole("link", { name: label, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

export function graphOf(page: Page): Locator {
  return page.getByRole("region", { name: "Grafo da genealogia" });
}

// The traceability of a lot, searched by its code; waits (a lot made a moment ago reaches the
// reports within seconds) until its genealogy graph is shown.
export async function traceability(page: Page, loteCodigo: string): Promise<void> {
  await openFromNav(page, "Rastreabilidade");
  await expect(page.getByRole("heading", { level: 1, name: "Rastreabilidade" })).toBeVisible();
  await page.getByRole("main").getByLabel("Código do lote").fill(loteCodigo);
  await page.getByRole("button", { name: "Rastrear", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Rastreabilidade do lote ${loteCodigo}` })).toBeVisible();
  await expect(async () => {
    const retry = page.getByRole("button", { name: "Tentar de novo" });
    if (await retry.isVisible()) await retry.click();
    await expect(graphOf(page)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

// Lot codes and customer names shown as nodes of the graph.
export async function expectInGraph(page: Page, texts: string[]): Promise<void> {
  const graph = graphOf(page);
  for (const text of texts) {
    const name = new RegExp(escape(text));
    await expect(graph.getByRole("link", { name }).or(graph.getByRole("img", { name })).first()).toBeVisible();
  }
}

// The audit trail with these filters; asserts every row shown matches them.
export async function auditTrail(page: Page, filtros: { servico?: string; entidade?: string; usuario?: string }): Promise<void> {
  await openFromNav(page, "Trilha de auditoria");
  await expect(page.getByRole("heading", { level: 1, name: "Trilha de auditoria" })).toBeVisible();
  const form = page.getByRole("form", { name: "Filtros da trilha" });
  if (filtros.servico) await form.getByLabel("Serviço").selectOption(filtros.servico);
  if (filtros.entidade) await form.getByLabel("Entidade", { exact: true }).selectOption(filtros.entidade);
  if (filtros.usuario) await form.getByLabel("Usuário (login)").fill(filtros.usuario);
  await form.getByRole("button", { name: "Filtrar" }).click();
  for (const [k, v] of Object.entries(filtros)) if (v) await expect(page).toHaveURL(new RegExp(`[?&]${k}=${escape(encodeURIComponent(v))}`));
  const table = page.getByRole("table", { name: /Registros de auditoria/ });
  await expect(table.getByRole("row").nth(1)).toBeVisible();
  const rows = table.locator("tbody tr");
  const n = Math.min(await rows.count(), 20);
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    if (filtros.servico) await expect(row.locator('td[data-label="Serviço"]')).toContainText(servicoLabel(filtros.servico));
    if (filtros.entidade) await expect(row.locator('td[data-label="Entidade"] a')).toHaveAccessibleName(new RegExp(`^Histórico de ${escape(entidadeLabel(filtros.entidade))} `));
    if (filtros.usuario) await expect(row.locator('td[data-label="Usuário"]')).toContainText(filtros.usuario);
  }
}

// The chain verification: every service's chain and copy intact.
export async function verifyChain(page: Page): Promise<void> {
  await openFromNav(page, "Verificação da cadeia");
  await expect(page.getByRole("heading", { level: 1, name: "Verificação da cadeia" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Trilha de auditoria íntegra" })).toBeVisible({ timeout: 60_000 });
}

// The recall report of a lot, reached from its traceability; asserts `cliente` is listed.
export async function recallReport(page: Page, loteCodigo: string, cliente: string): Promise<void> {
  await traceability(page, loteCodigo);
  await page.getByRole("link", { name: "Relatório de recolhimento" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Recolhimento: impacto do lote ${loteCodigo}` })).toBeVisible();
  const clientes = page.getByRole("table", { name: "Clientes que receberam algum lote afetado" });
  await expect(clientes.getByRole("cell", { name: cliente, exact: true })).toBeVisible();
}
