// Administração in the browser: an administrator creates an account with its roles, the new
// person signs in with their own password and changes it, the administrator changes roles,
// resets a password and deactivates the account with a motivo; and a role without user
// administration is not offered it.
import { expect, loginAs, screen, test, tokenFor, unique } from "./support";
import { changeOwnPassword, createUser, deactivateUser, loginWithPassword, openUser, tokenWithPassword } from "./flows/admin";
import { openFromNav } from "./flows/auditoria";

test("an account created with its roles signs in with its own password and changes it", async ({ page, browser }) => {
  const username = unique("ana.").toLowerCase();
  const senha = "senha-inicial-2026";
  await loginAs(page, "admin");
  await openFromNav(page, "Usuários");
  await screen(page, "usuarios");
  await page.getByRole("link", { name: "Novo usuário" }).click();
  // What is checked before sending: the passwords and the roles.
  await page.getByLabel("Usuário (login)").fill(username);
  await page.getByLabel("Senha inicial").fill("curta");
  await page.getByLabel("Confirme a senha").fill("outra");
  await page.getByRole("button", { name: "Criar usuário" }).click();
  await expect(page.getByText("A senha deve ter ao menos 10 caracteres.")).toBeVisible();
  await expect(page.getByText("A confirmação não é igual à nova senha.")).toBeVisible();
  await expect(page.getByText("Escolha ao menos um papel.")).toBeVisible();
  await screen(page, "usuario-novo-erros");

  const id = await createUser(page, {
    username,
    nome: "Ana Beatriz Lima",
    email: `${username}@pharmasys.dev`,
    roles: ["estoquista", "auditor"],
    senha,
  });
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const facts = page.locator(".facts");
  await expect(facts).toContainText("Estoquista, Auditor");
  await expect(facts).toContainText("Ativo");
  await screen(page, "usuario");

  // The same username again is refused by the server, said next to the field or above.
  await openFromNav(page, "Usuários");
  await page.getByRole("link", { name: "Novo usuário" }).click();
  await page.getByLabel("Usuário (login)").fill(username);
  await page.getByLabel("Nome completo").fill("Outra Pessoa");
  await page.getByLabel("E-mail").fill(`outra.${username}@pharmasys.dev`);
  await page.getByRole("group", { name: "Papéis" }).getByRole("checkbox", { name: "Auditor" }).check();
  await page.getByLabel("Senha inicial").fill(senha);
  await page.getByLabel("Confirme a senha").fill(senha);
  await page.getByRole("button", { name: "Criar usuário" }).click();
  await expect(page.getByRole("alert")).toContainText(username);

  // The new person: the screens of their roles only, then their own password.
  const use = test.info().project.use;
  const context = await browser.newContext({ baseURL: use.baseURL, locale: use.locale, timezoneId: use.timezoneId, viewport: use.viewport });
  const own = await context.newPage();
  try {
    await loginWithPassword(own, username, senha);
    const nav = own.getByRole("navigation", { name: "Navegação principal" });
    await expect(nav.getByRole("link", { name: "Trilha de auditoria" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Usuários" })).toHaveCount(0);
    await own.getByRole("banner").getByRole("link", { name: "Alterar senha" }).click();
    // A wrong current password is refused by Auth.
    await own.getByLabel("Senha atual").fill("nao-e-a-senha");
    await own.getByLabel(/^Nova senha/).fill("nova-senha-da-ana-1");
    await own.getByLabel("Confirme a nova senha").fill("nova-senha-da-ana-1");
    await own.getByRole("button", { name: "Alterar senha" }).click();
    await expect(own.getByRole("alert")).toContainText("A senha atual não confere.");
    await screen(own, "senha-propria-erro");
    await changeOwnPassword(own, senha, "nova-senha-da-ana-1");
    await screen(own, "senha-propria");
  } finally {
    await context.close();
  }
  expect([400, 401]).toContain((await tokenWithPassword(page.request, username, senha)).status);
  expect((await tokenWithPassword(page.request, username, "nova-senha-da-ana-1")).status).toBe(200);
});

test("the administrator changes roles with a motivo, resets the password and deactivates the account", { tag: ["@A5"] }, async ({ page, request }) => {
  const username = unique("bruno.").toLowerCase();
  await loginAs(page, "admin");
  const id = await createUser(page, { username, nome: "Bruno Teixeira", email: `${username}@pharmasys.dev`, roles: ["estoquista"], senha: "senha-do-bruno-1" });

  // Roles: a motivo is asked before sending.
  const papeis = page.getByRole("group", { name: "Papéis" });
  await papeis.getByRole("checkbox", { name: "Gestor de produção" }).check();
  await page.getByRole("button", { name: "Salvar alterações" }).click();
  await expect(page.getByText("Informe o motivo da alteração")).toBeVisible();
  await page.getByLabel("Motivo da alteração").fill("Transferido para a produção");

  // Meanwhile another administrator changes the e-mail: the version read is stale.
  const { access_token } = await tokenFor(request, "admin");
  const other = await request.patch(`/v1/usuarios/${id}`, {
    headers: { Authorization: `Bearer ${access_token}`, "Idempotency-Key": crypto.randomUUID(), "If-Match": '"1"' },
    data: { email: `novo.${username}@pharmasys.dev`, motivo: "E-mail corporativo novo" },
  });
  expect(other.status(), await other.text()).toBe(200);
  await page.getByRole("button", { name: "Salvar alterações" }).click();
  await expect(page.getByRole("alert")).toContainText(/alterado|vers/i);
  await screen(page, "usuario-versao-divergente");
  // What was typed is kept; on the current version it goes through.
  await page.getByRole("button", { name: "Carregar a versão atual" }).click();
  await expect(page.getByLabel("Motivo da alteração")).toHaveValue("Transferido para a produção");
  await expect(papeis.getByRole("checkbox", { name: "Gestor de produção" })).toBeChecked();
  await page.getByRole("button", { name: "Salvar alterações" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Alterações salvas." })).toBeVisible();
  await expect(page.locator(".facts")).toContainText("Estoquista, Gestor de produção");
  await expect(page.locator(".facts")).toContainText(`novo.${username}@pharmasys.dev`);

  // A password reset by the administrator: the person signs in with it.
  await page.getByLabel(/^Nova senha/).fill("provisoria-2026");
  await page.getByLabel("Confirme a nova senha").fill("provisoria-2026");
  await page.getByRole("button", { name: "Redefinir senha" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Senha redefinida" })).toBeVisible();
  expect((await tokenWithPassword(page.request, username, "provisoria-2026")).status).toBe(200);

  await deactivateUser(page, username, "Desligado da empresa");
  await screen(page, "usuario-desativado");
  expect([400, 401]).toContain((await tokenWithPassword(page.request, username, "provisoria-2026")).status);

  // The change is in the account's audit history.
  await page.getByRole("link", { name: "Histórico de auditoria" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Histórico: Usuário / })).toBeVisible();
  await expect(async () => {
    await page.getByRole("button", { name: "Atualizar" }).click();
    await expect(page.getByRole("heading", { level: 2, name: /Usuário desativado/ })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText("motivo: Desligado da empresa")).toBeVisible();

  // Home: the inactive account waits for a look.
  await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Minhas tarefas" }).click();
  const card = page.getByRole("region", { name: "Contas bloqueadas ou inativas" });
  await expect(card.getByRole("listitem").filter({ hasText: username })).toContainText("Inativa");
  await expect(page.getByRole("region", { name: "Criados nos últimos 7 dias" })).toContainText(username);
  await screen(page, "inicio-admin");
  await card.getByRole("listitem").filter({ hasText: username }).getByRole("link", { name: "Revisar" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Usuário ${username}` })).toBeVisible();
  await expect(page.getByRole("button", { name: "Reativar usuário" })).toBeVisible();
});

test("a role without user administration is not offered it", async ({ page }) => {
  await loginAs(page, "auditor");
  const nav = page.getByRole("navigation", { name: "Navegação principal" });
  await expect(nav.getByRole("link", { name: "Trilha de auditoria" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Usuários" })).toHaveCount(0);
  await page.evaluate(() => {
    window.history.pushState({}, "", "/usuarios");
    window.dispatchEvent(new PopStateEvent("popstate"));
  });
  await expect(page.getByRole("heading", { level: 1, name: "Sem permissão" })).toBeVisible();
  await screen(page, "usuarios-sem-permissao");
});

test("users and a user hold at 360 px wide", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await loginAs(page, "admin");
  await openUser(page, "auditor");
  await screen(page, "usuario-360");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
