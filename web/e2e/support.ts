// What every browser test uses: signing in as a demo user, the accessibility check (axe-core,
// WCAG 2.2 A/AA, no serious or critical violation), screenshots of each screen, and a guard
// that fails the test on a Content-Security-Policy violation or an uncaught page error.
import { test as base, expect, type Page, type APIRequestContext } from "@playwright/test";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const PASSWORD = "pharmasys-demo";
const SHOTS = process.env.PHARMASYS_SCREENSHOT_DIR ?? "test-results/telas";

export const test = base.extend<{ guard: void }>({
  guard: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("console", (msg) => {
        const text = msg.text();
        if (msg.type() === "error" && /Content Security Policy|Refused to (load|execute|apply)/i.test(text)) {
          problems.push("CSP: " + text);
        }
      });
      page.on("pageerror", (error) => problems.push("page error: " + error.message));
      await use();
      expect(problems, problems.join("\n")).toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

export async function tokenFor(request: APIRequestContext, username: string): Promise<TokenAnswer> {
  const res = await request.post("/v1/auth/token", {
    form: { grant_type: "password", username, password: PASSWORD, client_id: "pharmasys-web" },
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as TokenAnswer;
}

// Opens the application already signed in as `username` (the tokens put in this tab's storage
// before the page loads, as the sign-in callback would). The sign-in page itself is tested by
// signInThroughPage.
export async function loginAs(page: Page, username: string, path = "/"): Promise<void> {
  const t = await tokenFor(page.request, username);
  await page.addInitScript((tokens) => {
    if (!sessionStorage.getItem("ps.tokens")) sessionStorage.setItem("ps.tokens", tokens);
  }, JSON.stringify({ access: t.access_token, refresh: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000 }));
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

// The real sign-in: the application sends the browser to Auth's page (PKCE), the person types
// the credentials, Auth sends the browser back with the code, the application takes the tokens.
export async function signInThroughPage(page: Page, username: string, path = "/"): Promise<void> {
  await page.goto(path);
  await page.waitForURL(/\/v1\/auth\/autorizar/);
  await page.getByLabel(/usu[aá]rio/i).fill(username);
  await page.getByLabel(/senha/i).fill(PASSWORD);
  await page.getByRole("button", { name: /entrar/i }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/v1/auth/") && !url.pathname.startsWith("/entrar"));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

// Every screen a test opens goes through here: no serious or critical axe violation, and a
// screenshot in PHARMASYS_SCREENSHOT_DIR.
export async function screen(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await expect(page.getByRole("status").filter({ hasText: /^Carregando/ })).toHaveCount(0);
  const violations = await axe(page);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  expect(violations, `${name}: ${violations.join("\n")}`).toEqual([]);
}

export async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run: (ctx: Document, o: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> };
    };
    const result = await w.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
  });
}

// A unique suffix for codes a test creates (the suite shares one plant).
export function unique(prefix: string): string {
  return `${prefix}${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1296).toString(36).toUpperCase()}`;
}

// Today and N days ahead, as the API writes dates: the plant's calendar day
// (America/Sao_Paulo), as the services and the browser judge "today" — not UTC's, which runs a
// day ahead from 21:00 to midnight in the plant (a fabrication date "in the future").
export function isoDay(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "America/Sao_Paulo" });
}

// A direct API client for setting up what a test needs but does not test.
export async function apiAs(request: APIRequestContext, username: string) {
  const { access_token } = await tokenFor(request, username);
  const headers = { Authorization: `Bearer ${access_token}` };
  return {
    get: async (path: string) => {
      const res = await request.get(path, { headers });
      expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
      return res.json();
    },
    post: async (path: string, data: unknown, extra: Record<string, string> = {}) => {
      const res = await request.post(path, {
        headers: { ...headers, "Idempotency-Key": crypto.randomUUID(), ...extra },
        data,
      });
      expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
      return res.json();
    },
    put: async (path: string, data: unknown) => {
      const res = await request.put(path, { headers: { ...headers, "Idempotency-Key": crypto.randomUUID() }, data });
      expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
      return res.json();
    },
    sign: async (recurso: string, significado: string) => {
      const res = await request.post("/v1/auth/assinaturas", { headers, data: { senha: PASSWORD, recurso, significado } });
      expect(res.status(), await res.text()).toBe(201);
      return ((await res.json()) as { assinatura_token: string }).assinatura_token;
    },
  };
}
