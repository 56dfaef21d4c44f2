// The operator application's figures, each beside a reference measured in the same run:
//   - the initial bundle (what index.html loads), gzip, against the 250 KB budget;
//   - time to interactive of "Minhas tarefas" against a static page served by the same gateway;
//   - a 500-row list rendered, against the API call that brings those rows.
// Run by `./pharmasys bench web` (cwd web/, PHARMASYS_E2E_URL the plant's gateway).
import { createRequire } from "node:module";
import { readFileSync, statSync, writeFileSync, rmSync, readdirSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), "package.json"));
const { chromium } = require("@playwright/test");
const BASE = process.env.PHARMASYS_E2E_URL ?? "http://127.0.0.1:8080";
const RUNS = Number(process.env.RUNS ?? 7);
const ROWS = 500;
const dist = join(process.cwd(), "dist");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => (n / 1024).toFixed(1);

function bundle() {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const initial = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const gz = (f) => statSync(join(dist, f + ".gz")).size;
  const all = readdirSync(join(dist, "assets")).filter((f) => /\.(js|css)$/.test(f));
  return {
    initial: initial.reduce((s, f) => s + gz(f), 0),
    all: all.reduce((s, f) => s + gz("/assets/" + f), 0),
    files: initial.length,
  };
}

async function token(username) {
  const res = await fetch(BASE + "/v1/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username, password: "pharmasys-demo", client_id: "pharmasys-web" }),
  });
  if (!res.ok) throw new Error(`token for ${username}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function seedMaterials(n) {
  const { access_token } = await token("admin");
  const stamp = Date.now().toString(36).toUpperCase();
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, async (_, j) => {
        const res = await fetch(BASE + "/v1/materiais", {
          method: "POST",
          headers: { Authorization: "Bearer " + access_token, "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
          body: JSON.stringify({ codigo: `BENCH-${stamp}-${i + j}`, nome: `Material de medição ${i + j}`, tipo: "insumo", unidade: "kg", prazo_validade_dias: 365, vida_util_minima_expedicao_dias: 30 }),
        });
        if (res.status !== 201) throw new Error(`material: ${res.status} ${await res.text()}`);
      }),
    );
  }
}

async function signedInContext(browser, username, extra = {}) {
  const t = await token(username);
  const context = await browser.newContext({ locale: "pt-BR", viewport: { width: 1280, height: 800 } });
  await context.addInitScript(
    ([tokens, storage]) => {
      if (!sessionStorage.getItem("ps.tokens")) sessionStorage.setItem("ps.tokens", tokens);
      for (const [k, v] of Object.entries(storage)) localStorage.setItem(k, v);
    },
    [JSON.stringify({ access: t.access_token, refresh: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000 }), extra],
  );
  return context;
}

// Evaluated in the page, as a function (the page's CSP forbids evaluating strings): the
// moment "Minhas tarefas" is on screen with every card counted.
function settledAt() {
  const counts = [...document.querySelectorAll(".task-card .count")];
  const ready =
    document.querySelector("h1") !== null &&
    ![...document.querySelectorAll('[role="status"]')].some((e) => /Carregando/.test(e.textContent ?? "")) &&
    counts.length > 0 &&
    !counts.some((e) => e.textContent === "…");
  return ready && performance.now();
}

async function main() {
  const b = bundle();
  console.log(`bundle: initial ${kb(b.initial)} KB gzip in ${b.files} files (budget 250 KB); every chunk ${kb(b.all)} KB gzip`);
  writeFileSync(
    join(dist, "bench-estatica.html"),
    `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>estática</title></head><body><h1>Minhas tarefas</h1><p>${"PharmaSys ".repeat(50)}</p></body></html>`,
  );
  const browser = await chromium.launch({
    executablePath: process.env.PHARMASYS_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  try {
    const home = [];
    const still = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await signedInContext(browser, "analista");
      const page = await context.newPage();
      await page.goto(BASE + "/bench-estatica.html");
      still.push(await page.evaluate(() => performance.now()));
      await page.goto(BASE + "/");
      const handle = await page.waitForFunction(settledAt, null, { timeout: 30_000 });
      home.push(await handle.jsonValue());
      await context.close();
    }
    const h = median(home), s = median(still);
    console.log(`home ("Minhas tarefas", analista) interactive: median ${h.toFixed(0)} ms of ${RUNS}; static page ${s.toFixed(0)} ms; ratio ${(h / s).toFixed(1)}x`);

    await seedMaterials(ROWS);
    const list = [];
    const api = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await signedInContext(browser, "estoquista", { "ps.pagina": String(ROWS) });
      const page = await context.newPage();
      await page.goto(BASE + "/");
      await page.waitForFunction(settledAt, null, { timeout: 30_000 });
      api.push(
        await page.evaluate(async (rows) => {
          const tokens = JSON.parse(sessionStorage.getItem("ps.tokens"));
          const t0 = performance.now();
          const res = await fetch(`/v1/materiais?limit=${rows}`, { headers: { Authorization: "Bearer " + tokens.access } });
          await res.json();
          return performance.now() - t0;
        }, ROWS),
      );
      const t0 = await page.evaluate(() => performance.now());
      await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Materiais" }).click();
      const handle = await page.waitForFunction((rows) => document.querySelectorAll("tbody tr").length >= rows && performance.now(), ROWS, { timeout: 30_000 });
      list.push((await handle.jsonValue()) - t0);
      await context.close();
    }
    const l = median(list), a = median(api);
    console.log(`${ROWS}-row list (Materiais, ${ROWS} per page) on screen: median ${l.toFixed(0)} ms of ${RUNS} (aim <= 1000 ms); the API call alone ${a.toFixed(0)} ms; ratio ${(l / a).toFixed(1)}x`);
  } finally {
    await browser.close();
    rmSync(join(dist, "bench-estatica.html"), { force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
