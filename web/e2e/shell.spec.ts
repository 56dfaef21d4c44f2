// The frame of the application: home per role, navigation limited to what a role may use,
// the lot search, narrow layouts.
import { expect, loginAs, screen, test } from "./support";

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
