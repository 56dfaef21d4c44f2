// The frame of the application: home per role, navigation limited to what a role may use,
// the lot search, narrow layouts.
import { apiAs, expect, isoDay, loginAs, screen, test, unique } from "./support";

test("home is Minhas tarefas and the navigation offers only the role's screens", async ({ page }) => {
  await loginAs(page, "auditor");
  await expect(page.getByRole("heading", { level: 1, name: "Minhas tarefas" })).toBeVisible();
  await screen(page, "inicio-auditor");
  const nav = page.getByRole("navigation", { name: "Navegação principal" });
  await expect(nav.getByRole("link", { name: "Usuários" })).toHaveCount(0);
});

test("the frame holds at 800x1280 and 360 px wide", async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 1280 });
  await loginAs(page, "estoquista");
  await screen(page, "inicio-estoquista-tablet");
  await page.setViewportSize({ width: 360, height: 740 });
  await page.getByRole("button", { name: /menu/i }).click();
  await expect(page.getByRole("navigation", { name: "Navegação principal" })).toBeVisible();
  await screen(page, "inicio-estoquista-360");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("keyboard only: the skip link, '/' to the search, a scanned label opens the lot, the menu by Tab", async ({ page, request }) => {
  const material = unique("KB");
  const admin = await apiAs(request, "admin");
  await admin.post("/v1/materiais", { codigo: material, nome: "Material do teclado", tipo: "insumo", unidade: "kg", prazo_validade_dias: 365, vida_util_minima_expedicao_dias: 10 });
  const clerk = await apiAs(request, "estoquista");
  const validade = isoDay(200);
  const lot = await clerk.post("/v1/recebimentos", { material, quantidade: 10, validade, fornecedor: "Fornecedor", lote_fornecedor: "F1", nota_fiscal: "NF1" });
  await loginAs(page, "estoquista");
  const active = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim() || document.activeElement?.id || "");
  await page.keyboard.press("Tab");
  expect(await active()).toBe("Ir para o conteúdo");
  await page.keyboard.press("Enter");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("conteudo");
  // "/" jumps to the search; a keyboard-wedge scanner then types the label's GS1 string and Enter.
  await page.keyboard.press("/");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("busca-lote");
  const gs1 = `17${validade.slice(2, 4)}${validade.slice(5, 7)}${validade.slice(8, 10)}10${lot.codigo}`;
  await page.keyboard.type(gs1, { delay: 5 });
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: `Lote ${lot.codigo}` })).toBeVisible();
  // The new screen's title has the focus; Tab then walks the page.
  // (moved there right after the screen renders)
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("page-title");
  // The menu is reached and followed with the keyboard alone.
  const link = page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Saldos em estoque" });
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: /Saldos/ })).toBeVisible();
});
