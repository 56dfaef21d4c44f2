// Produção in the browser against the real plant: recipes, production orders executed step by
// step (limits, consumption by FEFO, lots in quarantine, conclusion), an order blocked by a
// desvio, "Minhas tarefas" of the production manager, and what other roles are not offered.
import type { APIRequestContext } from "@playwright/test";
import { apiAs, expect, isoDay, loginAs, screen, test, tokenFor, unique } from "./support";
import * as flows from "./flows/producao";

interface Op {
  id: string;
  codigo: string;
  status: string;
  etapas: { ordem: number; registro: { sinalizado: boolean; motivo: string | null } | null }[];
  consumos: { lotes: { lote_codigo: string; quantidade: number }[] }[];
  lotes: { codigo: string; status: string }[];
}

// A request as `username`, whatever its status (for waiting on what the plant does by events).
async function raw(request: APIRequestContext, username: string, method: "POST" | "PUT", path: string, data: unknown) {
  const { access_token } = await tokenFor(request, username);
  return request.fetch(path, {
    method,
    data,
    headers: { Authorization: `Bearer ${access_token}`, "Idempotency-Key": crypto.randomUUID() },
  });
}

// A product and an insumo in the catalogue, known to Produção (it learns them by event).
async function catalogue(request: APIRequestContext) {
  const estoquista = await apiAs(request, "estoquista");
  const produto = unique("PA");
  const insumo = unique("IN");
  await estoquista.post("/v1/materiais", {
    codigo: produto, nome: `Paracetamol 500 mg ${produto}`, tipo: "produto", unidade: "un",
    prazo_validade_dias: 730, vida_util_minima_expedicao_dias: 90,
  });
  await estoquista.post("/v1/materiais", {
    codigo: insumo, nome: `Amido ${insumo}`, tipo: "insumo", unidade: "kg",
    prazo_validade_dias: 365, vida_util_minima_expedicao_dias: 30,
  });
  // A recipe with a gap in its steps is refused without being created; the refusal names the
  // materials Produção does not know yet.
  await expect
    .poll(async () => {
      const res = await raw(request, "gestor", "POST", "/v1/receitas", {
        produto, versao: 1, etapas: [{ ordem: 2, nome: "x", parametros: [] }],
        insumos: [{ material: insumo, quantidade_por_unidade: 1 }],
      });
      const body = (await res.json()) as { errors?: { campo: string }[] };
      return (body.errors ?? []).filter((e) => e.campo === "produto" || e.campo.startsWith("insumos")).length;
    }, { timeout: 30_000 })
    .toBe(0);
  return { produto, insumo };
}

// A released lot of the insumo: received, sampled, analysed and approved (four eyes).
async function releasedLot(request: APIRequestContext, insumo: string, quantidade: number, validade: string): Promise<string> {
  await expect
    .poll(async () => (await raw(request, "analista", "PUT", `/v1/especificacoes/${insumo}`, {
      ensaios: [{ codigo: "PUR", nome: "Pureza", unidade: "%", minimo: 98 }],
    })).status(), { timeout: 30_000 })
    .toBeLessThan(300);
  const estoquista = await apiAs(request, "estoquista");
  const lote = (await estoquista.post("/v1/recebimentos", {
    material: insumo, quantidade, validade, fornecedor: "Fornecedor de teste",
    lote_fornecedor: unique("LF"), nota_fiscal: unique("NF"),
  })) as { id: string; codigo: string };
  const analista = await apiAs(request, "analista");
  let amostraId = "";
  await expect
    .poll(async () => {
      const page = (await analista.get(`/v1/amostras?lote_id=${lote.id}`)) as { items: { id: string }[] };
      amostraId = page.items[0]?.id ?? "";
      return amostraId;
    }, { timeout: 30_000 })
    .not.toBe("");
  await analista.post(`/v1/amostras/${amostraId}/coleta`, { quantidade: 1 });
  await analista.post(`/v1/amostras/${amostraId}/resultados`, { ensaio: "PUR", valor: 99.5 });
  const analista2 = await apiAs(request, "analista2");
  const assinatura = await analista2.sign(`amostra:${amostraId}`, "aprovacao");
  await analista2.post("/v1/laudos", { amostra_id: amostraId, decisao: "aprovado", observacao: "Conforme" }, { "X-Assinatura": assinatura });
  await expect
    .poll(async () => {
      const saldos = (await estoquista.get(`/v1/estoque/saldos?material=${insumo}`)) as { items: { lote_id: string; disponivel: number }[] };
      return saldos.items.find((s) => s.lote_id === lote.id)?.disponivel ?? 0;
    }, { timeout: 30_000 })
    .toBeGreaterThan(0);
  return lote.codigo;
}

async function recipeViaApi(request: APIRequestContext, produto: string, insumo: string) {
  const gestor = await apiAs(request, "gestor");
  return (await gestor.post("/v1/receitas", {
    produto, versao: 1,
    etapas: [
      { ordem: 1, nome: "Mistura", parametros: [{ nome: "Temperatura", unidade: "°C", minimo: 5, maximo: 8 }] },
      { ordem: 2, nome: "Envase", parametros: [] },
    ],
    insumos: [{ material: insumo, quantidade_por_unidade: 0.25 }],
  })) as { id: string };
}

async function orderViaApi(request: APIRequestContext, produto: string, receitaId: string, start = false): Promise<Op> {
  const gestor = await apiAs(request, "gestor");
  const op = (await gestor.post("/v1/ordens-producao", { produto, quantidade: 100, receita_id: receitaId })) as Op;
  return start ? ((await gestor.post(`/v1/ordens-producao/${op.id}/iniciar`, {})) as Op) : op;
}

async function readOrder(request: APIRequestContext, id: string): Promise<Op> {
  return (await (await apiAs(request, "gestor")).get(`/v1/ordens-producao/${id}`)) as Op;
}

const main = (page: import("@playwright/test").Page) => page.locator("main");

test("Minhas tarefas of the production manager names each order's next act", async ({ page, request }) => {
  const { produto, insumo } = await catalogue(request);
  const receita = await recipeViaApi(request, produto, insumo);
  const planejada = await orderViaApi(request, produto, receita.id);
  const emCurso = await orderViaApi(request, produto, receita.id, true);
  const pronta = await orderViaApi(request, produto, receita.id, true);
  const gestor = await apiAs(request, "gestor");
  await gestor.post(`/v1/ordens-producao/${emCurso.id}/etapas/1/registros`, { parametros: { Temperatura: 6 } });
  await gestor.post(`/v1/ordens-producao/${pronta.id}/etapas/1/registros`, { parametros: { Temperatura: 6 } });
  await gestor.post(`/v1/ordens-producao/${pronta.id}/etapas/2/registros`, { parametros: {} });

  await loginAs(page, "gestor");
  const card = (title: string) => page.getByRole("region", { name: title });
  const item = (title: string, codigo: string) => card(title).getByRole("listitem").filter({ hasText: codigo });
  await expect(item("Ordens a executar", planejada.codigo).getByRole("link", { name: "Iniciar" })).toBeVisible();
  await expect(item("Ordens a executar", emCurso.codigo).getByRole("link", { name: "Registrar etapa 2: Envase" })).toBeVisible();
  await expect(item("Ordens prontas para concluir", pronta.codigo).getByRole("link", { name: "Concluir" })).toBeVisible();
  await expect(item("Ordens a executar", pronta.codigo)).toHaveCount(0);
  await screen(page, "producao-tarefas-gestor");

  // The card's act opens the order at the step it named.
  await item("Ordens a executar", emCurso.codigo).getByRole("link", { name: "Registrar etapa 2: Envase" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Ordem de produção ${emCurso.codigo}` })).toBeVisible();
  await expect(main(page).getByRole("form", { name: "Registrar etapa 2: Envase" })).toBeVisible();

  // Cancelling asks for the motivo, and the order leaves the manager's tasks.
  await flows.openOrder(page, planejada.codigo);
  await main(page).getByRole("button", { name: "Cancelar ordem" }).click();
  const dialog = page.getByRole("dialog", { name: `Cancelar a ordem ${planejada.codigo}` });
  await dialog.getByRole("button", { name: "Cancelar a ordem" }).click();
  await expect(dialog.getByText("Informe o motivo (ao menos 3 caracteres).")).toBeVisible();
  await screen(page, "producao-ordem-cancelar");
  await dialog.getByLabel("Motivo do cancelamento").fill("Pedido do cliente retirado");
  await dialog.getByRole("button", { name: "Cancelar a ordem" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Ordem ${planejada.codigo} cancelada` })).toBeVisible();
  await expect(main(page).getByText("Pedido do cliente retirado")).toBeVisible();
  await expect(main(page).locator("input, select, textarea")).toHaveCount(0);
  expect((await readOrder(request, planejada.id)).status).toBe("cancelada");
  await page.getByRole("link", { name: "Minhas tarefas" }).click();
  await expect(item("Ordens a executar", emCurso.codigo)).toBeVisible();
  await expect(item("Ordens a executar", planejada.codigo)).toHaveCount(0);
});

test("recipes: created by clicking, shown with steps, limits and insumos, immutable, and versioned", async ({ page, request }) => {
  const { produto, insumo } = await catalogue(request);
  await loginAs(page, "gestor");

  // An empty form says what is missing, field by field, before anything is sent.
  await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Receitas" }).click();
  await main(page).getByRole("link", { name: "Nova receita" }).click();
  await main(page).getByRole("button", { name: "Criar receita" }).click();
  await expect(main(page).getByText("Escolha o produto.")).toBeVisible();
  await expect(main(page).getByText("Informe o nome da etapa.")).toBeVisible();
  await expect(main(page).getByText("Escolha o insumo.")).toBeVisible();
  await expect(main(page).getByText(/imutável/).first()).toBeVisible();
  await screen(page, "producao-receita-nova");

  await flows.createRecipe(page, {
    produto,
    versao: "1",
    etapas: [
      {
        nome: "Mistura",
        parametros: [
          { nome: "Temperatura", unidade: "°C", minimo: "5", maximo: "8" },
          { nome: "Tempo", unidade: "min", minimo: "10" },
        ],
      },
      { nome: "Envase", parametros: [] },
    ],
    insumos: [{ material: insumo, quantidadePorUnidade: "0,25" }],
  });
  await expect(main(page).getByText("entre 5 e 8 °C")).toBeVisible();
  await expect(main(page).getByText("no mínimo 10 min")).toBeVisible();
  await expect(main(page).getByRole("heading", { level: 3, name: "Etapa 2: Envase" })).toBeVisible();
  await expect(main(page).getByRole("cell", { name: "0,25 kg" })).toBeVisible();
  await expect(main(page).getByText(/Esta versão é imutável/)).toBeVisible();
  await screen(page, "producao-receita");

  const gestor = await apiAs(request, "gestor");
  const saved = (await gestor.get(`/v1/receitas?produto=${produto}`)) as {
    items: { versao: number; etapas: { ordem: number; parametros: { nome: string; minimo?: number; maximo?: number }[] }[]; insumos: { quantidade_por_unidade: number }[] }[];
  };
  expect(saved.items).toHaveLength(1);
  expect(saved.items[0]!.etapas.map((e) => e.ordem)).toEqual([1, 2]);
  expect(saved.items[0]!.etapas[0]!.parametros).toEqual([
    { nome: "Temperatura", unidade: "°C", minimo: 5, maximo: 8 },
    { nome: "Tempo", unidade: "min", minimo: 10 },
  ]);
  expect(saved.items[0]!.insumos[0]!.quantidade_por_unidade).toBe(0.25);

  // The next version starts as a copy; a decimal that does not parse is refused next to its field.
  await main(page).getByRole("link", { name: "Criar versão 2 a partir desta" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nova versão de receita" })).toBeVisible();
  const etapa1 = main(page).getByRole("group", { name: "Etapa 1", exact: true });
  await expect(etapa1.getByLabel("Nome da etapa")).toHaveValue("Mistura");
  await expect(main(page).getByRole("textbox", { name: "Versão", exact: true })).toHaveValue("2");
  const maximo = etapa1.getByRole("group", { name: "Parâmetro 1", exact: true }).getByRole("textbox", { name: "Máximo", exact: true });
  await maximo.fill("8,5,1");
  await expect(etapa1.getByText("Use uma única vírgula para os decimais.")).toBeVisible();
  await screen(page, "producao-receita-nova-versao");
  await maximo.fill("8,5");
  await main(page).getByRole("button", { name: "Criar receita" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Receita ${produto} — versão 2` })).toBeVisible();
  await expect(main(page).getByText("entre 5 e 8,5 °C")).toBeVisible();
  await expect(main(page).getByRole("link", { name: "Versão 1" })).toBeVisible();

  // The list, filtered by product, newest first.
  await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Receitas" }).click();
  await main(page).getByLabel("Produto").selectOption(produto);
  const rows = main(page).locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await screen(page, "producao-receitas");
});

test("an order runs step by step: limits, motivo, FEFO consumption, a lot in quarantine, conclusion", { tag: ["@B1", "@B2", "@B8"] }, async ({ page, request }) => {
  test.setTimeout(180_000);
  const { produto, insumo } = await catalogue(request);
  const lateLot = await releasedLot(request, insumo, 100, isoDay(300));
  const earlyLot = await releasedLot(request, insumo, 10, isoDay(120));
  await recipeViaApi(request, produto, insumo);
  await loginAs(page, "gestor");

  await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Ordens de produção" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ordens de produção" })).toBeVisible();
  await screen(page, "producao-ordens-gestor");
  await main(page).getByRole("link", { name: "Nova ordem" }).click();
  await screen(page, "producao-ordem-nova");
  const codigo = await flows.createOrder(page, { produto, quantidade: "60", versao: "1" });
  await expect(main(page).getByRole("button", { name: /^Registrar etapa/ })).toHaveCount(0);
  await screen(page, "producao-ordem-planejada");
  await flows.startOrder(page, codigo);

  // Out of limits: said at once, next to the field; without the motivo nothing is sent.
  await flows.openOrder(page, codigo);
  const form = main(page).getByRole("form", { name: "Registrar etapa 1: Mistura" });
  await form.getByRole("textbox", { name: "Temperatura", exact: true }).fill("9,5");
  await expect(form.getByText("Fora dos limites: a faixa aceita é entre 5 e 8 °C.")).toBeVisible();
  const motivo = form.getByLabel("Motivo do valor fora dos limites");
  await expect(motivo).toBeVisible();
  await form.getByRole("button", { name: "Registrar etapa 1" }).click();
  await expect(form.getByText(/informe o motivo \(ao menos 3 caracteres\)/)).toBeVisible();
  await screen(page, "producao-ordem-fora-dos-limites");
  const url = page.url();
  const opId = url.slice(url.lastIndexOf("/") + 1);
  expect((await readOrder(request, opId)).etapas[0]!.registro).toBeNull();
  // Back within the limits, the motivo is no longer asked.
  await form.getByRole("textbox", { name: "Temperatura", exact: true }).fill("7,5");
  await expect(motivo).toHaveCount(0);

  await flows.recordStep(page, codigo, 1, { Temperatura: "9,5" }, "Sonda recalibrada; temperatura confirmada pelo supervisor");
  const step1 = flows.stepOf(page, 1);
  await expect(step1.getByRole("cell", { name: "9,5 °C" })).toBeVisible();
  await expect(step1.getByRole("cell", { name: "Fora dos limites" })).toBeVisible();
  await expect(step1).toContainText("Sonda recalibrada");
  const afterStep1 = await readOrder(request, opId);
  expect(afterStep1.etapas[0]!.registro).toMatchObject({ sinalizado: true, motivo: "Sonda recalibrada; temperatura confirmada pelo supervisor" });

  // Concluding is not offered while a step is missing, and the screen says which.
  await expect(main(page).getByRole("button", { name: "Concluir ordem" })).toBeDisabled();
  await expect(main(page).getByText("Falta registrar: etapa 2 (Envase).")).toBeVisible();

  // FEFO: the lot that expires first goes first.
  const alocacao = await flows.consume(page, codigo, insumo, "15");
  expect(alocacao).toEqual([
    { lote: earlyLot, quantidade: "10" },
    { lote: lateLot, quantidade: "5" },
  ]);
  await screen(page, "producao-ordem-consumo");

  await flows.recordStep(page, codigo, 2, {});
  const lote = await flows.produceLot(page, codigo, "60", isoDay(-1));
  expect(lote).toMatch(/^LP\d{6}-\d+$/);
  await expect(main(page).getByRole("row").filter({ hasText: lote })).toContainText("Quarentena");
  await screen(page, "producao-ordem-lote");

  await flows.concludeOrder(page, codigo);
  const concluded = await readOrder(request, opId);
  expect(concluded.status).toBe("concluida");
  expect(concluded.consumos[0]!.lotes.map((l) => l.lote_codigo)).toEqual([earlyLot, lateLot]);
  expect(concluded.lotes.map((l) => l.codigo)).toEqual([lote]);
  await expect(main(page).locator("input, select, textarea")).toHaveCount(0);
  await screen(page, "producao-ordem-concluida");

  // The same page as a tablet and a phone show it.
  await page.setViewportSize({ width: 800, height: 1280 });
  await screen(page, "producao-ordem-tablet");
  await page.setViewportSize({ width: 360, height: 740 });
  await screen(page, "producao-ordem-360");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});

test("a blocked order names the desvio before anything can be typed", { tag: ["@B3"] }, async ({ page, request }) => {
  const { produto, insumo } = await catalogue(request);
  const receita = await recipeViaApi(request, produto, insumo);
  const op = await orderViaApi(request, produto, receita.id, true);
  const descricao = `Temperatura da sala fora da faixa durante a mistura ${unique("")}`;
  const desvio = (await (await apiAs(request, "analista")).post("/v1/desvios", {
    op_id: op.id, classificacao: "menor", descricao,
  })) as { id: string; codigo: string };

  await loginAs(page, "gestor");
  await flows.expectBlocked(page, op.codigo, desvio.codigo);
  const alert = main(page).getByRole("alert").filter({ hasText: "Ordem bloqueada" });
  await expect(alert).toContainText(descricao);
  await expect(alert).toContainText("Menor");
  await expect(alert.getByRole("link", { name: desvio.codigo })).toHaveAttribute("href", `/desvios/${desvio.id}`);
  await expect(main(page).getByRole("link", { name: "Abrir desvio" })).toHaveAttribute("href", `/desvios/novo?op_id=${op.id}`);
  await expect(main(page).getByRole("link", { name: "Registro de lote" })).toHaveAttribute("href", `/relatorios/ordens/${op.id}`);
  await screen(page, "producao-ordem-bloqueada");

  await page.setViewportSize({ width: 360, height: 740 });
  await screen(page, "producao-ordem-bloqueada-360");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Minhas tarefas says which desvio blocks it.
  await page.getByRole("link", { name: "Minhas tarefas" }).click();
  const item = page.getByRole("region", { name: "Ordens bloqueadas por desvio" }).getByRole("listitem").filter({ hasText: op.codigo });
  await expect(item).toContainText(desvio.codigo);
  await expect(item).toContainText("menor");
});

test("other roles are not offered the manager's acts", async ({ page, request }) => {
  const { produto, insumo } = await catalogue(request);
  const receita = await recipeViaApi(request, produto, insumo);
  const planejada = await orderViaApi(request, produto, receita.id);
  const emCurso = await orderViaApi(request, produto, receita.id, true);

  await loginAs(page, "analista");
  await flows.openOrder(page, planejada.codigo);
  await expect(main(page).getByRole("button", { name: "Iniciar", exact: true })).toHaveCount(0);
  await expect(main(page).getByRole("button", { name: "Cancelar ordem" })).toHaveCount(0);
  await expect(main(page).getByText("entre 5 e 8 °C")).toBeVisible();
  await screen(page, "producao-ordem-analista");
  await flows.openOrder(page, emCurso.codigo);
  await expect(main(page).getByRole("heading", { level: 3, name: /^Etapa 1: Mistura/ })).toBeVisible();
  await expect(main(page).getByRole("button", { name: /^Registrar etapa/ })).toHaveCount(0);
  await expect(main(page).getByRole("button", { name: /^Consumir|^Registrar lote|^Concluir/ })).toHaveCount(0);
  await expect(main(page).locator("input, textarea")).toHaveCount(0);
  // The analyst may open a desvio on it.
  await expect(main(page).getByRole("link", { name: "Abrir desvio" })).toBeVisible();

  // Recipes are read, not created.
  await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Receitas" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Receitas" })).toBeVisible();
  await expect(main(page).getByRole("link", { name: "Nova receita" })).toHaveCount(0);
  await screen(page, "producao-receitas-analista");

  // The list with a status filter, as another role reads it.
  await page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Ordens de produção" }).click();
  await main(page).getByLabel("Status").selectOption("em_execucao");
  await expect(main(page).getByRole("link", { name: emCurso.codigo })).toBeVisible();
  await expect(main(page).getByRole("link", { name: planejada.codigo })).toHaveCount(0);
  await expect(main(page).getByRole("link", { name: "Nova ordem" })).toHaveCount(0);
  await screen(page, "producao-ordens");
});
