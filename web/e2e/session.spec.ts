// The session: the real sign-in (Authorization Code with PKCE through Auth's page), sign-out
// that revokes, and a lapsed session that keeps what was typed.
import type { Page } from "@playwright/test";
import { apiAs, expect, PASSWORD, screen, signInThroughPage, test, tokenFor, unique } from "./support";

test("signing in goes through Auth's page with PKCE and comes back to where the person was going", async ({ page }) => {
  await page.goto("/");
  await page.waitForURL(/\/v1\/auth\/autorizar\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(url.searchParams.get("client_id")).toBe("pharmasys-web");
  await screen(page, "entrar");
  // A wrong password keeps the person on the page, with the reason.
  await page.getByLabel(/usu[aá]rio/i).fill("analista");
  await page.getByLabel(/senha/i).fill("errada-" + PASSWORD);
  await page.getByRole("button", { name: /entrar/i }).click();
  await expect(page.getByText(/inválid/i)).toBeVisible();
  await signInThroughPage(page, "analista");
  await expect(page.getByRole("heading", { level: 1, name: "Minhas tarefas" })).toBeVisible();
  await expect(page.getByText("Analista de CQ Demo").first()).toBeVisible();
});

test("signing out revokes the refresh token", async ({ page }) => {
  await signInThroughPage(page, "auditor");
  const tokens = await page.evaluate(() => JSON.parse(sessionStorage.getItem("ps.tokens") ?? "{}"));
  expect(tokens.refresh).toBeTruthy();
  await page.getByRole("button", { name: "Sair" }).click();
  await page.waitForURL(/\/v1\/auth\/autorizar\?/);
  const res = await page.request.post("/v1/auth/token", {
    form: { grant_type: "refresh_token", refresh_token: tokens.refresh, client_id: "pharmasys-web" },
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).error).toBe("invalid_grant");
});

// A product with a recipe, for a form to fill (set up through the API: not what is tested).
async function productWithRecipe(request: import("@playwright/test").APIRequestContext): Promise<string> {
  const produto = unique("SES");
  const admin = await apiAs(request, "admin");
  await admin.post("/v1/materiais", { codigo: produto, nome: "Produto da sessão", tipo: "produto", unidade: "un", prazo_validade_dias: 365, vida_util_minima_expedicao_dias: 10 });
  await admin.post("/v1/materiais", { codigo: produto + "-MP", nome: "Insumo da sessão", tipo: "insumo", unidade: "kg", prazo_validade_dias: 365, vida_util_minima_expedicao_dias: 10 });
  await expect
    .poll(async () => {
      const { access_token } = await tokenFor(request, "gestor");
      const res = await request.post("/v1/receitas", {
        headers: { Authorization: `Bearer ${access_token}`, "Idempotency-Key": crypto.randomUUID() },
        data: { produto, versao: 1, etapas: [{ ordem: 1, nome: "Mistura", parametros: [] }], insumos: [{ material: produto + "-MP", quantidade_por_unidade: 1 }] },
      });
      return res.status();
    }, { timeout: 30_000 })
    .toBe(201);
  return produto;
}

async function fillNewOrder(page: Page, produto: string, quantidade: string) {
  await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Ordens de produção" }).click();
  await page.locator("main").getByRole("link", { name: "Nova ordem" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nova ordem de produção" })).toBeVisible();
  await page.locator("main").getByRole("combobox", { name: "Produto", exact: true }).selectOption(produto);
  await page.locator("main").getByRole("textbox", { name: "Quantidade", exact: true }).fill(quantidade);
  await page.locator("main").getByRole("combobox", { name: "Receita", exact: true }).selectOption({ label: "Versão 1" });
}

const storedTokens = (page: Page) => page.evaluate(() => JSON.parse(sessionStorage.getItem("ps.tokens") ?? "{}"));

test("the access token expires mid-form: it is renewed and the form is sent", async ({ page, request }) => {
  test.setTimeout(120_000);
  const produto = await productWithRecipe(request);
  await signInThroughPage(page, "gestor");
  const before = await storedTokens(page);
  await fillNewOrder(page, produto, "1.250");
  // The test plant's access tokens live 30 s: past that, the silent renewal has run.
  await page.waitForTimeout(32_000);
  const after = await storedTokens(page);
  expect(after.access).not.toBe(before.access);
  expect(after.refresh).not.toBe(before.refresh);
  // And an access token the server no longer takes (as after a sleep of the tablet): the call
  // gets its 401, the session is renewed, the same act is sent again.
  await page.evaluate(() => {
    const t = JSON.parse(sessionStorage.getItem("ps.tokens")!);
    sessionStorage.setItem("ps.tokens", JSON.stringify({ ...t, access: "expirado." + t.access }));
  });
  await page.locator("main").getByRole("button", { name: "Criar ordem" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Ordem de produção OP-/ })).toBeVisible();
  await expect(page.locator("main")).toContainText("1.250");
});

test("a session that can no longer be renewed keeps what was typed through a new sign-in", async ({ page, request }) => {
  test.setTimeout(120_000);
  const produto = await productWithRecipe(request);
  await signInThroughPage(page, "gestor");
  await fillNewOrder(page, produto, "777");
  const t = await storedTokens(page);
  const revoked = await request.post("/v1/auth/revogar", {
    headers: { Authorization: `Bearer ${t.access}` },
    form: { token: t.refresh, token_type_hint: "refresh_token", client_id: "pharmasys-web" },
  });
  expect(revoked.ok()).toBeTruthy();
  await page.evaluate(() => {
    const s = JSON.parse(sessionStorage.getItem("ps.tokens")!);
    sessionStorage.setItem("ps.tokens", JSON.stringify({ ...s, access: "expirado." + s.access }));
  });
  await page.locator("main").getByRole("button", { name: "Criar ordem" }).click();
  const dialog = page.getByRole("dialog", { name: "Sessão expirada" });
  await expect(dialog).toBeVisible();
  await screen(page, "sessao-expirada");
  await dialog.getByRole("button", { name: "Entrar de novo" }).click();
  await page.waitForURL(/\/v1\/auth\/autorizar\?/);
  await page.getByLabel(/usu[aá]rio/i).fill("gestor");
  await page.getByLabel(/senha/i).fill(PASSWORD);
  await page.getByRole("button", { name: /entrar/i }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nova ordem de produção" })).toBeVisible();
  await expect(page.locator("main").getByRole("textbox", { name: "Quantidade", exact: true })).toHaveValue("777");
  await expect(page.locator("main").getByRole("combobox", { name: "Produto", exact: true })).toHaveValue(produto);
  await page.locator("main").getByRole("button", { name: "Criar ordem" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Ordem de produção OP-/ })).toBeVisible();
});
