// Auditoria e relatórios in the browser, against the real plant: the audit trail (newest first,
// paging through 600+ records, filters, exports), a record's history, the chain verification,
// a lot traced both ways with its graph, the recall report, the batch record, expiring lots,
// losses, the dashboard and the auditor's tasks; and a screen not offered to a role.
import type { APIRequestContext, Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { expect, loginAs, PASSWORD, screen, test, tokenFor, unique } from "./support";
import { auditTrail, expectInGraph, graphOf, openFromNav, recallReport, traceability, verifyChain } from "./flows/auditoria";

// ---------------------------------------------------------------------------------------------
// Setting up what the tests read, through the API (tokens live 30 s here: each call asks for a
// fresh one when the last is old).

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

class Api {
  private tokens = new Map<string, { token: string; at: number }>();
  constructor(private readonly request: APIRequestContext) {}

  private async token(user: string): Promise<string> {
    const cached = this.tokens.get(user);
    if (cached && Date.now() - cached.at < 15_000) return cached.token;
    const t = await tokenFor(this.request, user);
    this.tokens.set(user, { token: t.access_token, at: Date.now() });
    return t.access_token;
  }

  async call(user: string, method: "GET" | "POST" | "PUT" | "PATCH", path: string, data?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await this.request.fetch(path, {
      method,
      headers: {
        Authorization: `Bearer ${await this.token(user)}`,
        ...(method === "GET" ? {} : { "Idempotency-Key": crypto.randomUUID() }),
        ...headers,
      },
      data,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      /* CSV or empty */
    }
    return { status: res.status(), body };
  }

  async ok(user: string, method: "GET" | "POST" | "PUT" | "PATCH", path: string, data?: unknown, headers?: Record<string, string>) {
    const a = await this.call(user, method, path, data, headers);
    expect(a.status, `${method} ${path} as ${user}: ${JSON.stringify(a.body)}`).toBeLessThan(300);
    return a.body;
  }

  // Repeats until it succeeds: the services learn of each other's records through events.
  async eventually(user: string, method: "GET" | "POST" | "PUT", path: string, data?: unknown, until?: (body: any) => boolean) {
    let last: Answer | undefined;
    await expect
      .poll(
        async () => {
          last = await this.call(user, method, path, data);
          return last.status < 300 && (!until || until(last.body));
        },
        { timeout: 30_000, intervals: [200, 300, 500, 1000] },
      )
      .toBe(true);
    return last!.body;
  }

  async sign(user: string, recurso: string, significado: string): Promise<string> {
    const a = await this.call(user, "POST", "/v1/auth/assinaturas", { senha: PASSWORD, recurso, significado });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    return a.body.assinatura_token;
  }
}

// The plant's calendar day (America/Sao_Paulo), as the services judge "today".
function plantDay(offset = 0): string {
  return new Date(Date.now() + offset * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "America/Sao_Paulo" });
}

async function specify(api: Api, material: string) {
  await api.eventually("analista", "PUT", `/v1/especificacoes/${material}`, {
    ensaios: [
      { codigo: "PH", nome: "pH", minimo: 5, maximo: 8 },
      { codigo: "ASP", nome: "Aspecto", esperado: "Conforme" },
    ],
  });
}

// QC's work on a lot: the sample collected, results by `analista`, the laudo signed by
// `analista2` (four eyes).
async function decide(api: Api, loteId: string, decisao: "aprovado" | "reprovado") {
  const amostras = await api.eventually("analista", "GET", `/v1/amostras?lote_id=${loteId}`, undefined, (b) => b.items.length > 0);
  const amostra = amostras.items[0].id as string;
  await api.ok("analista", "POST", `/v1/amostras/${amostra}/coleta`, { quantidade: 0.5 });
  await api.ok("analista", "POST", `/v1/amostras/${amostra}/resultados`, { ensaio: "PH", valor: decisao === "aprovado" ? 6.5 : 9.5 });
  await api.ok("analista", "POST", `/v1/amostras/${amostra}/resultados`, { ensaio: "ASP", valor: "conforme" });
  const significado = decisao === "aprovado" ? "aprovacao" : "reprovacao";
  // A produced lot's approval waits for CQ to learn of its batch record's review (op.revisada,
  // RULES G1): refused with registro-de-lote-nao-revisado until then, signed again each time.
  let laudo: Answer | undefined;
  await expect
    .poll(async () => {
      const token = await api.sign("analista2", `amostra:${amostra}`, significado);
      laudo = await api.call("analista2", "POST", "/v1/laudos", { amostra_id: amostra, decisao, ...(decisao === "reprovado" ? { motivo: "pH fora da especificação" } : {}) }, { "X-Assinatura": token });
      return laudo.status === 409 && laudo.body?.type?.endsWith("/registro-de-lote-nao-revisado") ? "aguardando a revisão" : laudo.status;
    }, { timeout: 30_000, intervals: [300, 500, 1000] })
    .toBe(201);
  const status = decisao === "aprovado" ? "liberado" : "reprovado";
  await api.eventually("estoquista", "GET", `/v1/estoque/lotes/${loteId}`, undefined, (b) => b.status === status);
}

interface Genealogy {
  insumo: { id: string; codigo: string };
  reprovado: { id: string; codigo: string };
  produto: { id: string; codigo: string };
  op: { id: string; codigo: string };
  materialInsumo: string;
  cliente: string;
}

// An insumo lot received and approved, consumed by an OP (one step out of limits, with its
// motivo) that makes a product lot, approved and shipped to a customer; and a second insumo
// lot rejected.
async function genealogy(request: APIRequestContext): Promise<Genealogy> {
  const api = new Api(request);
  const u = unique("");
  const mp = `MP-AUD${u}`;
  const pa = `PA-AUD${u}`;
  await api.ok("estoquista", "POST", "/v1/materiais", { codigo: mp, nome: "Lactose monoidratada", tipo: "insumo", unidade: "kg", prazo_validade_dias: 720, vida_util_minima_expedicao_dias: 0 });
  await api.ok("estoquista", "POST", "/v1/materiais", { codigo: pa, nome: "Comprimido 500 mg", tipo: "produto", unidade: "kg", prazo_validade_dias: 365, vida_util_minima_expedicao_dias: 30 });
  await specify(api, mp);
  await specify(api, pa);
  const receive = (nf: string) =>
    api.ok("estoquista", "POST", "/v1/recebimentos", {
      material: mp, quantidade: 100, validade: plantDay(150), fornecedor: "Lactose Brasil S.A.", lote_fornecedor: `LB-${u}-${nf}`, nota_fiscal: `NF-${u}-${nf}`,
    });
  const insumo = await receive("1");
  const reprovado = await receive("2");
  await decide(api, insumo.id, "aprovado");
  await decide(api, reprovado.id, "reprovado");

  const receita = await api.eventually("gestor", "POST", "/v1/receitas", {
    produto: pa,
    versao: 1,
    etapas: [
      { ordem: 1, nome: "Granulação", parametros: [{ nome: "umidade", unidade: "%", minimo: 2, maximo: 5 }] },
      { ordem: 2, nome: "Compressão", parametros: [{ nome: "dureza", unidade: "N", minimo: 80, maximo: 120 }] },
    ],
    insumos: [{ material: mp, quantidade_por_unidade: 0.5 }],
  });
  const op = await api.ok("gestor", "POST", "/v1/ordens-producao", { produto: pa, quantidade: 100, receita_id: receita.id });
  await api.ok("gestor", "POST", `/v1/ordens-producao/${op.id}/iniciar`, {});
  await api.ok("gestor", "POST", `/v1/ordens-producao/${op.id}/etapas/1/registros`, { parametros: { umidade: 3.2 } });
  await api.ok("gestor", "POST", `/v1/ordens-producao/${op.id}/etapas/2/registros`, { parametros: { dureza: 130 }, motivo: "Dureza acima do limite; liberado pelo CQ" });
  await api.ok("gestor", "POST", `/v1/ordens-producao/${op.id}/consumos`, { material: mp, quantidade: 50 });
  const produto = await api.ok("gestor", "POST", `/v1/ordens-producao/${op.id}/lotes`, { quantidade: 95, data_fabricacao: plantDay() });
  // The OP concludes and its batch record is reviewed, signed (RULES.md G1): only then may its
  // lot be approved.
  await api.ok("gestor", "POST", `/v1/ordens-producao/${op.id}/concluir`, {});
  await api.ok("analista", "POST", `/v1/ordens-producao/${op.id}/revisao`, { observacao: "Exceção avaliada" }, {
    "X-Assinatura": await api.sign("analista", `op:${op.id}`, "revisao"),
  });
  await decide(api, produto.id, "aprovado");
  const cliente = `Drogaria São Lucas ${u}`;
  const expedicao = await api.eventually("estoquista", "POST", "/v1/expedicoes", {
    cliente: { nome: cliente, documento: `11.222.${u.slice(-3)}/0001-44` },
    itens: [{ material: pa, quantidade: 10 }],
  });
  await api.ok("estoquista", "POST", `/v1/expedicoes/${expedicao.id}/confirmar`, {});
  await api.eventually("auditor", "GET", `/v1/relatorios/rastreabilidade/${insumo.codigo}?direcao=ambos`, undefined, (b) => b.descendente?.expedicoes?.length > 0);
  await api.eventually("auditor", "GET", `/v1/relatorios/rastreabilidade/${reprovado.codigo}`, undefined, (b) => b.lote.status === "reprovado");
  return {
    insumo: { id: insumo.id, codigo: insumo.codigo },
    reprovado: { id: reprovado.id, codigo: reprovado.codigo },
    produto: { id: produto.id, codigo: produto.codigo },
    op: { id: op.id, codigo: op.codigo },
    materialInsumo: mp,
    cliente,
  };
}

// A screen by its address: a deep link when the gateway serves the application there, else
// the way the application itself moves (its history), from the start page.
async function open(page: Page, path: string) {
  const res = await page.goto(path);
  if (!res || res.status() === 404) {
    await page.goto("/");
    await page.evaluate((to) => {
      window.history.pushState({}, "", to);
      window.dispatchEvent(new PopStateEvent("popstate"));
    }, path);
  }
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

// A counter of a report: the number under its term.
function counter(page: Page, label: string) {
  return page
    .locator(".counters > div")
    .filter({ has: page.getByRole("term").filter({ hasText: new RegExp(`^${label}$`) }) })
    .getByRole("definition")
    .first();
}

// ---------------------------------------------------------------------------------------------

test("the trail lists 600+ records newest first and Carregar mais reaches the oldest", { tag: ["@A4"] }, async ({ page, request }) => {
  test.setTimeout(240_000);
  const api = new Api(request);
  const prefix = unique("AUD600-");
  const codes = Array.from({ length: 600 }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
  const material = (codigo: string) =>
    api.ok("admin", "POST", "/v1/materiais", { codigo, nome: `Material ${codigo}`, tipo: "insumo", unidade: "kg", prazo_validade_dias: 365, vida_util_minima_expedicao_dias: 0 });
  // The first and the last one alone, so which is the oldest and the newest is certain.
  await material(codes[0]!);
  for (let i = 1; i < 599; i += 20) await Promise.all(codes.slice(i, Math.min(i + 20, 599)).map(material));
  await material(codes[599]!);
  await api.eventually("auditor", "GET", `/v1/relatorios/auditoria?entidade=material&entidade_id=${codes[599]}`, undefined, (b) => b.items.length === 1);

  await loginAs(page, "auditor");
  await auditTrail(page, { entidade: "material" });
  const rows = page.getByRole("table", { name: /Registros de auditoria/ }).locator("tbody tr");
  await expect(rows.first().locator('td[data-label="Ação"]')).toContainText("Material cadastrado");
  await screen(page, "auditoria-trilha");
  const first = await rows.first().locator('td[data-label="Entidade"]').innerText();

  const more = page.getByRole("button", { name: "Carregar mais" });
  for (let pages = 0; (await more.count()) > 0 && pages < 50; pages++) {
    const before = await rows.count();
    await more.click();
    await expect.poll(() => rows.count()).toBeGreaterThan(before);
  }
  await expect(more).toHaveCount(0);
  const entities = await rows.locator('td[data-label="Entidade"]').allInnerTexts();
  expect(entities.length).toBeGreaterThanOrEqual(600);
  const mine = entities.map((t) => codes.findIndex((c) => t.includes(c))).filter((i) => i >= 0);
  expect(new Set(mine).size).toBe(600);
  await expect(page.getByText(/^\d+ registros$/)).toBeVisible();
  // Newest first: the last material created heads the list, and the first one closes it.
  expect(first, "the first row is the newest record").toContain(codes[599]!);
  expect(mine[0]).toBe(599);
  expect(mine[mine.length - 1]).toBe(0);
});

test("a role without the audit trail is not offered it, and its address says so", async ({ page }) => {
  await loginAs(page, "estoquista");
  const nav = page.getByRole("navigation", { name: "Navegação principal" });
  await expect(nav.getByRole("link", { name: "Painel" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Trilha de auditoria" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Verificação da cadeia" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Revisão periódica" })).toHaveCount(0);
  await open(page, "/auditoria");
  await expect(page.getByRole("heading", { level: 1, name: "Sem permissão" })).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  await screen(page, "auditoria-sem-permissao");
});

test("the periodic review: every account with its roles and last sign-in, and the signature log, as CSV and PDF", { tag: ["@A5"] }, async ({ page }) => {
  await loginAs(page, "auditor");
  await openFromNav(page, "Revisão periódica");
  await expect(page.getByRole("heading", { level: 1, name: "Revisão periódica" })).toBeVisible();
  const accounts = page.getByRole("table", { name: "Contas, papéis e último acesso" });
  const me = accounts.getByRole("row", { name: /\(auditor\)/ });
  await expect(me).toContainText("Auditor");
  await expect(me.locator('td[data-label="Último acesso"]')).not.toHaveText("nunca");
  // The log as this plant has it: its signed acts, or none yet.
  await expect(page.getByRole("table", { name: /Assinaturas eletrônicas/ }).or(page.getByText("Nenhuma assinatura no período."))).toBeVisible();
  await screen(page, "revisao-periodica");
  const section = (title: string) => page.locator("section.section").filter({ has: page.getByRole("heading", { level: 2, name: title }) });
  const review = section("Revisão de acessos");
  const [csvFile] = await Promise.all([page.waitForEvent("download"), review.getByRole("button", { name: "Baixar CSV" }).click()]);
  const csv = readFileSync((await csvFile.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("username,nome,email,papeis,ativo,ultimo_acesso_em,acao,em,por,antes,depois,motivo");
  expect(csv).toContain("\r\nauditor,");
  const [pdfFile] = await Promise.all([page.waitForEvent("download"), review.getByRole("button", { name: "Baixar PDF" }).click()]);
  expect(readFileSync((await pdfFile.path())!).subarray(0, 5).toString()).toBe("%PDF-");
  const log = section("Registro de assinaturas");
  const [logFile] = await Promise.all([page.waitForEvent("download"), log.getByRole("button", { name: "Baixar CSV" }).click()]);
  expect(readFileSync((await logFile.path())!, "utf8").split("\r\n")[0]).toBe(
    "em,nome,usuario,significado,servico,sequencia,acao,entidade,entidade_id,motivo,ocorrido_em",
  );
});

test("a record's history shows each change as antes → depois, with who and why", { tag: ["@A4"] }, async ({ page, request }) => {
  const api = new Api(request);
  const username = unique("hist.").toLowerCase();
  const user = await api.ok("admin", "POST", "/v1/usuarios", { username, nome: "Helena Souza", email: `${username}@pharmasys.dev`, roles: ["estoquista"], senha: "senha-inicial-123" });
  await api.ok("admin", "PATCH", `/v1/usuarios/${user.id}`, { roles: ["estoquista", "auditor"], motivo: "Acumula a auditoria interna" }, { "If-Match": `"${user.versao}"` });
  await api.eventually("auditor", "GET", `/v1/relatorios/auditoria?entidade=usuario&entidade_id=${user.id}`, undefined, (b) => b.items.length >= 2);

  await loginAs(page, "auditor");
  await auditTrail(page, { servico: "auth", entidade: "usuario" });
  // A period typed as dd/mm/aaaa; a date that does not exist is said next to its field.
  const form = page.getByRole("form", { name: "Filtros da trilha" });
  await form.getByLabel("De (dd/mm/aaaa)").fill("31/02/2026");
  await form.getByRole("button", { name: "Filtrar" }).click();
  await expect(form.getByText("Esta data não existe.")).toBeVisible();
  const today = plantDay().split("-").reverse().join("/");
  await form.getByLabel("De (dd/mm/aaaa)").fill(today);
  await form.getByLabel("Até (dd/mm/aaaa)").fill(today);
  // The trail of this user today, then its history from the row's link.
  await form.getByLabel("Identificador da entidade").fill(user.id);
  await form.getByRole("button", { name: "Filtrar" }).click();
  await expect(page).toHaveURL(new RegExp(`de=${plantDay()}&ate=${plantDay()}`));
  const rows = page.getByRole("table", { name: /Registros de auditoria/ }).locator("tbody tr");
  await expect(rows).toHaveCount(2);
  const change = rows.filter({ hasText: "Papéis alterados" });
  await expect(change.locator('td[data-label="Motivo"]')).toHaveText("Acumula a auditoria interna");
  await expect(change.locator('td[data-label="Usuário"]')).toContainText("admin");
  // The filtered trail as CSV, and the whole auth chain for offline verification.
  const [csvFile] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Exportar CSV" }).click()]);
  const csv = readFileSync((await csvFile.path())!, "utf8").split("\r\n").filter(Boolean);
  expect(csv[0]).toMatch(/^servico,sequencia,id,ocorrido_em,usuario,usuario_nome,acao,entidade,entidade_id,antes,depois,motivo/);
  expect(csv.slice(1)).toHaveLength(2);
  for (const line of csv.slice(1)) expect(line).toContain(user.id);
  const [ndjson] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Exportar para verificação (NDJSON)" }).click(),
  ]);
  expect(ndjson.suggestedFilename()).toBe("trilha-de-auditoria-auth.ndjson");
  const first = JSON.parse(readFileSync((await ndjson.path())!, "utf8").split("\n")[0]!);
  expect(first.registro.servico).toBe("auth");
  await change.getByRole("link", { name: /^Histórico de Usuário/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Histórico: Usuário ${user.id}` })).toBeVisible();
  const records = page.getByRole("list", { name: "Registros, do mais antigo ao mais recente" }).locator(":scope > li");
  await expect(records).toHaveCount(2);
  // Oldest first: the creation, then the change of roles.
  await expect(records.nth(0).getByRole("heading", { level: 2 })).toContainText("Usuário criado");
  await expect(records.nth(1).getByRole("heading", { level: 2 })).toContainText("Papéis alterados");
  await expect(records.nth(1)).toContainText("motivo: Acumula a auditoria interna");
  await expect(records.nth(0)).toContainText("Helena Souza");
  const roles = records.nth(1).getByRole("row", { name: /Papéis/ });
  await expect(roles.getByRole("cell").nth(0)).toHaveText("Estoquista");
  await expect(roles.getByRole("cell").nth(1)).toHaveText("Estoquista, Auditor");
  await expect(roles).toContainText("Estoquista → Estoquista, Auditor");
  await expect(page.getByRole("button", { name: "Imprimir" })).toBeVisible();
  await screen(page, "auditoria-historico");
});

test("the chain verification says the trail is intact, service by service", { tag: ["@A3"] }, async ({ page }) => {
  test.setTimeout(150_000);
  await loginAs(page, "auditor");
  await verifyChain(page);
  const table = page.getByRole("table", { name: "Verificação de cada serviço" });
  for (const s of ["Autenticação", "Produção", "Controle de qualidade", "Estoque", "Relatórios"]) {
    const row = table.getByRole("row").filter({ hasText: s });
    await expect(row.locator('td[data-label="Situação"]')).toHaveText("✔ Íntegra");
  }
  await screen(page, "auditoria-verificacao");
});

test.describe.serial("a lot traced from its insumo to the customer", () => {
  let g: Genealogy;

  test.beforeAll(async ({ playwright }) => {
    test.setTimeout(180_000);
    const request = await playwright.request.newContext({ baseURL: process.env.PHARMASYS_E2E_URL ?? "http://127.0.0.1:8080" });
    try {
      g = await genealogy(request);
    } finally {
      await request.dispose();
    }
  });

  test("the insumo lot's graph reaches the product, the shipment and the customer; nodes open their lots", async ({ page }) => {
    await loginAs(page, "estoquista");
    await traceability(page, g.insumo.codigo);
    await expectInGraph(page, [g.insumo.codigo, g.produto.codigo, g.cliente]);
    const graph = graphOf(page);
    await expect(graph.locator("svg > title")).toHaveText(`Genealogia do lote ${g.insumo.codigo}`);
    // The quantity the OP took, on the edge; the same data in the tables.
    await expect(graph.locator("text.edge-label").first()).toHaveText("50");
    await expect(page.getByRole("table", { name: "Lotes descendentes, por nível" }).getByRole("link", { name: g.produto.codigo })).toBeVisible();
    await expect(page.getByRole("table", { name: /Expedições confirmadas/ }).getByRole("cell", { name: g.cliente })).toBeVisible();
    const timeline = page.getByRole("list", { name: "Eventos do lote, em ordem" });
    await expect(timeline.getByRole("listitem").first()).toContainText("Lote criado");
    await expect(timeline).toContainText("Laudo emitido");
    await expect(timeline).toContainText("50 consumido(s) em " + g.op.codigo);
    await expect(page.getByRole("table", { name: /Laudos do lote/ })).toContainText("Aprovação");
    await screen(page, "rastreabilidade-insumo");

    // The product node is a link: reached by keyboard and followed with Enter.
    const node = graph.getByRole("link", { name: new RegExp(`^Lote derivado ${g.produto.codigo}`) });
    await node.focus();
    await expect(node).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: `Rastreabilidade do lote ${g.produto.codigo}` })).toBeVisible();
    await expectInGraph(page, [g.insumo.codigo, g.cliente]);
    // Upwards now: the insumo is to the left of the lot.
    const box = async (name: RegExp) => (await graphOf(page).getByRole("link", { name }).or(graphOf(page).getByRole("img", { name })).first().boundingBox())!;
    expect((await box(new RegExp(`^Insumo ${g.insumo.codigo}`))).x).toBeLessThan((await box(new RegExp(`^Lote rastreado ${g.produto.codigo}`))).x);
    expect((await box(new RegExp(`^Cliente ${g.cliente}`))).x).toBeGreaterThan((await box(new RegExp(`^Lote rastreado ${g.produto.codigo}`))).x);
    await expect(page.getByRole("table", { name: "Lotes ascendentes, por nível" }).getByRole("row").nth(1)).toContainText("50");
    await screen(page, "rastreabilidade-produto");
  });

  test("the batch record shows the steps, the value out of limits with its motivo, the lots and the QC outcome", { tag: ["@G1", "@B8"] }, async ({ page }) => {
    await loginAs(page, "auditor");
    await traceability(page, g.produto.codigo);
    await page.getByRole("link", { name: "Registro de lote" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Registro de lote da ${g.op.codigo}` })).toBeVisible();
    const step2 = page.getByRole("table", { name: "Parâmetros da etapa 2" });
    const dureza = step2.getByRole("row", { name: /dureza/ });
    await expect(dureza).toContainText("130 N");
    await expect(dureza).toContainText("⚠ Fora do limite");
    await expect(page.getByText("Dureza acima do limite; liberado pelo CQ")).toBeVisible();
    await expect(page.getByRole("table", { name: "Parâmetros da etapa 1" }).getByRole("row", { name: /umidade/ })).toContainText("Dentro do limite");
    const lots = page.getByRole("table", { name: "Lotes produzidos pela OP" });
    await expect(lots.getByRole("row", { name: new RegExp(g.produto.codigo) })).toContainText("Aprovado");
    await expect(lots).toContainText("Aprovação");
    await expect(page.getByRole("table", { name: /Insumos consumidos/ }).getByRole("link", { name: g.insumo.codigo })).toBeVisible();
    // The record's signed review by exception (RULES G1): who, how many exceptions, the signature.
    const revisao = page.locator("section.section").filter({ has: page.getByRole("heading", { level: 2, name: "Revisão do registro de lote" }) });
    await expect(revisao).toContainText("Analista de CQ Demo");
    await expect(revisao.getByRole("definition").filter({ hasText: /^1$/ })).toHaveCount(1);
    await expect(revisao.getByRole("list", { name: "Assinaturas" })).toContainText("Revisão");
    await expect(page.getByRole("button", { name: "Imprimir" })).toBeVisible();
    await screen(page, "registro-de-lote");
    // Printed, the navigation and the buttons go.
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("button", { name: "Imprimir" })).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Navegação principal" })).toBeHidden();
    await page.emulateMedia({ media: "screen" });
  });

  test("the recall report lists the customer, and its CSV too", { tag: ["@B5"] }, async ({ page }) => {
    await loginAs(page, "analista");
    await recallReport(page, g.insumo.codigo, g.cliente);
    await expect(page.getByRole("table", { name: /O lote e os lotes feitos a partir dele/ }).getByRole("link", { name: g.produto.codigo })).toBeVisible();
    await expect(counter(page, "Lotes afetados")).toHaveText("2");
    await expect(counter(page, "Clientes")).toHaveText("1");
    await screen(page, "recolhimento");
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Baixar CSV" }).click()]);
    expect(file.suggestedFilename()).toBe(`recolhimento-${g.insumo.codigo}.csv`);
    const csv = readFileSync((await file.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toBe("cliente_nome,cliente_documento,expedicao_id,confirmada_em,lote_codigo,material,quantidade,nivel");
    expect(csv).toContain(g.cliente);
    expect(csv).toContain(g.produto.codigo);
  });

  test("losses show the rejected lot's balance by month, and the lots at risk", async ({ page }) => {
    await loginAs(page, "gestor");
    await openFromNav(page, "Perdas");
    await expect(page.getByRole("heading", { level: 1, name: "Perdas" })).toBeVisible();
    await page.getByLabel("Material (código)").fill(g.materialInsumo);
    await page.getByRole("button", { name: "Filtrar" }).click();
    await expect(page).toHaveURL(new RegExp(`material=${g.materialInsumo}`));
    const losses = page.getByRole("table", { name: "Perdas no período" });
    const row = losses.getByRole("row", { name: /Reprovado/ });
    await expect(row).toContainText(g.materialInsumo);
    await expect(row.locator('td[data-label="Quantidade"]')).toHaveText(/ kg$/);
    await expect(row.locator('td[data-label="Lotes"]')).toHaveText("1");
    await expect(page.getByRole("table", { name: "Total perdido por material no período" })).toContainText(g.materialInsumo);
    await expect(page.getByRole("heading", { level: 2, name: "Perdas evitáveis" })).toBeVisible();
    await screen(page, "perdas");
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Exportar CSV" }).click()]);
    const csv = readFileSync((await file.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toBe("material,material_nome,unidade,causa,mes,quantidade,lotes,lote_codigo,validade");
    expect(csv).toContain(`${g.materialInsumo},`);
    expect(csv).toContain(",reprovado,");
  });

  test("the auditor's tasks: the chain's state, the latest records and a lot to trace", async ({ page }) => {
    await loginAs(page, "auditor");
    const chain = page.getByRole("region", { name: "Integridade da trilha" });
    await expect(chain).toContainText("Trilha íntegra", { timeout: 60_000 });
    const latest = page.getByRole("region", { name: "Últimos registros de auditoria" });
    await expect(latest.getByRole("listitem").first()).toBeVisible();
    await screen(page, "inicio-auditor-tarefas");
    const trace = page.getByRole("region", { name: "Rastrear um lote" });
    await trace.getByLabel("Código do lote").fill(g.produto.codigo);
    await trace.getByRole("button", { name: "Rastrear" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Rastreabilidade do lote ${g.produto.codigo}` })).toBeVisible();
    await expect(graphOf(page)).toBeVisible();
  });

  test("traceability holds at 800x1280 and 360 px wide", async ({ page }) => {
    await page.setViewportSize({ width: 800, height: 1280 });
    await loginAs(page, "gestor");
    await traceability(page, g.produto.codigo);
    await screen(page, "rastreabilidade-tablet");
    await page.setViewportSize({ width: 360, height: 740 });
    await expect(graphOf(page)).toBeVisible();
    await screen(page, "rastreabilidade-360");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test("expiring lots by window, and the dashboard's counters", async ({ page, request }) => {
  const api = new Api(request);
  const u = unique("");
  const mp = `MP-VENC${u}`;
  await api.ok("estoquista", "POST", "/v1/materiais", { codigo: mp, nome: "Amido de milho", tipo: "insumo", unidade: "kg", prazo_validade_dias: 720, vida_util_minima_expedicao_dias: 0 });
  const soon = await api.ok("estoquista", "POST", "/v1/recebimentos", { material: mp, quantidade: 12.5, validade: plantDay(20), fornecedor: "Amidos do Sul", lote_fornecedor: `AS-${u}`, nota_fiscal: `NF-${u}` });
  const later = await api.ok("estoquista", "POST", "/v1/recebimentos", { material: mp, quantidade: 7, validade: plantDay(75), fornecedor: "Amidos do Sul", lote_fornecedor: `AS2-${u}`, nota_fiscal: `NF2-${u}` });
  await api.eventually("gestor", "GET", "/v1/relatorios/estoque/vencimentos?dias=90&limit=500", undefined, (b) =>
    [soon.codigo, later.codigo].every((c) => b.items.some((i: { lote_codigo: string }) => i.lote_codigo === c)),
  );

  await loginAs(page, "gestor");
  await openFromNav(page, "Vencimentos");
  await expect(page.getByRole("heading", { level: 2, name: "Vencem em até 30 dias" })).toBeVisible();
  const table = page.getByRole("table", { name: /Lotes que vencem/ });
  await expect(table.getByRole("row", { name: new RegExp(soon.codigo) })).toContainText("12,5 kg");
  await expect(table.getByRole("row", { name: new RegExp(later.codigo) })).toHaveCount(0);
  await screen(page, "vencimentos");
  await page.getByRole("navigation", { name: "Janela de vencimento" }).getByRole("link", { name: "90 dias" }).click();
  await expect(page).toHaveURL(/dias=90/);
  await expect(page.getByRole("link", { name: "90 dias" })).toHaveAttribute("aria-current", "page");
  await expect(table.getByRole("row", { name: new RegExp(later.codigo) })).toContainText("Quarentena");

  await openFromNav(page, "Painel");
  const painel = (await api.ok("gestor", "GET", "/v1/relatorios/painel")) as { lotes_por_status: Record<string, number>; lotes_vencendo_30_dias: number };
  await expect(page.getByRole("heading", { level: 2, name: "Lotes por status" })).toBeVisible();
  await expect(counter(page, "Quarentena")).not.toHaveText("0");
  expect(Number((await counter(page, "Vencem em até 30 dias").innerText()).replace(/\./g, ""))).toBeGreaterThanOrEqual(1);
  expect(painel.lotes_vencendo_30_dias).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole("heading", { level: 2, name: "Perdas" })).toBeVisible();
  await expect(counter(page, "Perdas nos últimos 30 dias")).toHaveText(/^\d+$/);
  await expect(counter(page, "Lotes em risco de vencer sem uso")).toHaveText(/^\d+$/);
  await screen(page, "painel");
  await page.getByRole("link", { name: "Ver lotes (30 dias)" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Vencimentos" })).toBeVisible();
});
