// The acts of user administration and of anyone's own password, done by clicking. Each starts
// from the navigation menu or the header, so any step of a longer story can call it.
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { roleLabel } from "../../src/lib/format";
import { openFromNav } from "./auditoria";

export interface NewUser {
  username: string;
  nome: string;
  email: string;
  roles: string[];
  senha: string;
}

// Creates the user through Usuários → Novo usuário; answers its id.
export async function createUser(page: Page, u: NewUser): Promise<string> {
  await openFromNav(page, "Usuários");
  await page.getByRole("link", { name: "Novo usuário" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Novo usuário" })).toBeVisible();
  await page.getByLabel("Usuário (login)").fill(u.username);
  await page.getByLabel("Nome completo").fill(u.nome);
  await page.getByLabel("E-mail").fill(u.email);
  const papeis = page.getByRole("group", { name: "Papéis" });
  for (const r of u.roles) await papeis.getByRole("checkbox", { name: roleLabel(r) }).check();
  await page.getByLabel("Senha inicial").fill(u.senha);
  await page.getByLabel("Confirme a senha").fill(u.senha);
  await page.getByRole("button", { name: "Criar usuário" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Usuário ${u.username}` })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Usuário criado." })).toBeVisible();
  return page.url().split("/usuarios/")[1]!.split(/[?#]/)[0]!;
}

// Opens a user from the Usuários list.
export async function openUser(page: Page, username: string): Promise<void> {
  await openFromNav(page, "Usuários");
  await page.getByRole("table", { name: "Usuários do sistema" }).getByRole("link", { name: username, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Usuário ${username}` })).toBeVisible();
}

export async function deactivateUser(page: Page, username: string, motivo: string): Promise<void> {
  await openUser(page, username);
  await page.getByRole("button", { name: "Desativar usuário" }).click();
  const dialog = page.getByRole("dialog", { name: `Desativar ${username}` });
  await dialog.getByLabel("Motivo").fill(motivo);
  await dialog.getByRole("button", { name: "Desativar", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Usuário desativado." })).toBeVisible();
  await expect(page.getByText("Esta conta está inativa.")).toBeVisible();
}

// The signed-in person changes their own password from the header's link.
export async function changeOwnPassword(page: Page, atual: string, nova: string): Promise<void> {
  await page.getByRole("banner").getByRole("link", { name: "Alterar senha" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Alterar senha" })).toBeVisible();
  await page.getByLabel("Senha atual").fill(atual);
  await page.getByLabel(/^Nova senha/).fill(nova);
  await page.getByLabel("Confirme a nova senha").fill(nova);
  await page.getByRole("button", { name: "Alterar senha" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Senha alterada." })).toBeVisible();
}

// The password grant with a given password (the demo users' one is in support.tokenFor):
// answers the HTTP status and the tokens when it succeeds.
export async function tokenWithPassword(request: APIRequestContext, username: string, password: string) {
  const res = await request.post("/v1/auth/token", {
    form: { grant_type: "password", username, password, client_id: "pharmasys-web" },
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: number; error?: string };
  return { status: res.status(), ...body };
}

// Opens the application signed in as `username` with its own password (as support.loginAs
// does for the demo users).
export async function loginWithPassword(page: Page, username: string, password: string, path = "/"): Promise<void> {
  const t = await tokenWithPassword(page.request, username, password);
  expect(t.status, `sign-in of ${username}`).toBe(200);
  await page.addInitScript((tokens) => {
    if (!sessionStorage.getItem("ps.tokens")) sessionStorage.setItem("ps.tokens", tokens);
  }, JSON.stringify({ access: t.access_token, refresh: t.refresh_token, expiresAt: Date.now() + (t.expires_in ?? 30) * 1000 }));
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}
