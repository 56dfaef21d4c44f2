// Estoque in the browser against the real plant: the materials catalogue, receipts ending in the
// lot's label, stock in FEFO order with expiry marked, shipments with their FEFO preview,
// confirmation and cancellation, returns, the clerk's "Minhas tarefas", and the lot page for
// every role — with what each role is not offered.
import type { APIRequestContext, Page } from "@playwright/test";
import { apiAs, expect, isoDay, loginAs, screen, test, tokenFor, unique } from "./support";
import * as flows from "./flows/estoque";

const main = (page: Page) => page.locator("main");

interface Lote {
  id: string;
  codigo: string;
  status: string;
  quantidade: number;
  disponivel: number;
  devolvida_em_avaliacao: number;
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

async function material(request: APIRequestContext, extra: { tipo?: string; unidade?: string; min?: number } = {}) {
  const codigo = unique("ME");
  const estoquista = await apiAs(request, "estoquista");
  await estoquista.post("/v1/materiais", {
    codigo, nome: `Dipirona gotas ${codigo}`, tipo: extra.tipo ?? "produto", unidade: extra.unidade ?? "un",
    prazo_validade_dias: 730, vida_util_minima_expedicao_dias: extra.min ?? 30,
  });
  return codigo;
}

async function receiveViaApi(request: APIRequestContext, codigo: string, quantidade: number, validade: string): Promise<Lote> {
  const estoquista = await apiAs(request, "estoquista");
  return (await estoquista.post("/v1/recebimentos", {
    material: codigo, quantidade, validade, fornecedor: "Fornecedor de teste",
    lote_fornecedor: unique("LF"), nota_fiscal: unique("NF"),
  })) as Lote;
}

// The lot sampled, analysed by one analyst and approved by another (four eyes), then released
// in Estoque when the laudo's event arrives.
async function release(request: APIRequestContext, materialCodigo: string, lote: Lote): Promise<void> {
  await expect
    .poll(async () => (await raw(request, "analista", "PUT", `/v1/especificacoes/${materialCodigo}`, {
      ensaios: [{ codigo: "PUR", nome: "Pureza", unidade: "%", minimo: 98 }],
    })).status(), { timeout: 30_000 })
    .toBeLessThan(300);
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
  const estoquista = await apiAs(request, "estoquista");
  await expect
    .poll(async () => ((await estoquista.get(`/v1/estoque/lotes/${lote.id}`)) as Lote).status, { timeout: 30_000 })
    .toBe("liberado");
}

async function releasedLot(request: APIRequestContext, codigo: string, quantidade: number, validade: string) {
  const lote = await receiveViaApi(request, codigo, quantidade, validade);
  await release(request, codigo, lote);
  return lote;
}

// Relatórios learns lots by event: the lot page resolves codes there.
async function knownToReports(request: APIRequestContext, codigo: string) {
  const { access_token } = await tokenFor(request, "auditor");
  await expect
    .poll(async () => (await request.get(`/v1/relatorios/rastreabilidade/${codigo}`, { headers: { Authorization: `Bearer ${access_token}` } })).status(), { timeout: 30_000 })
    .toBe(200);
}

// A CNPJ with correct check digits, different in every run.
function cnpj(): string {
  const base = String(Date.now()).slice(-8) + "0001";
  const dv = (digits: string, weights: number[]) => {
    const r = weights.reduce((s, w, i) => s + Number(digits[i]) * w, 0) % 11;
    return r < 2 ? 0 : 11 - r;
  };
  const d1 = dv(base, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const d2 = dv(base + d1, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const d = base + d1 + d2;
  return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
}

// The lot's ledger row of one kind of movement.
function ledgerRow(page: Page, tipo: string) {
  return main(page)
    .getByRole("table", { name: /Razão do estoque do lote/ })
    .getByRole("row")
    .filter({ has: page.locator('td[data-label="Movimentação"]', { hasText: new RegExp(`^${tipo}$`) }) });
}

async function noOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("materials: registered by clicking, checked before sending, listed, with their page", async ({ page }) => {
  // Early in the alphabet: the catalogue lists by code, and this one is on its first page.
  const codigo = unique("AAA");
  await loginAs(page, "admin");
  await flows.createMaterial(page, { codigo, nome: "Ácido acetilsalicílico", tipo: "insumo", unidade: "kg", prazoDias: 720, vidaUtilMinimaDias: 90 });
  await expect(main(page).getByText("Ácido acetilsalicílico")).toBeVisible();
  await expect(main(page).getByText("720 dias")).toBeVisible();
  await screen(page, "estoque-material");

  await flows.openFromMenu(page, "Materiais");
  await expect(main(page).getByRole("link", { name: codigo })).toBeVisible();
  await main(page).getByLabel(/^Tipo/).selectOption("produto");
  await expect(main(page).getByRole("link", { name: codigo })).toHaveCount(0);
  await main(page).getByLabel(/^Tipo/).selectOption("insumo");
  await expect(main(page).getByRole("link", { name: codigo })).toBeVisible();
  await screen(page, "estoque-materiais");

  // Checked before sending: the shelf life needed to ship must be below the shelf life.
  await main(page).getByRole("link", { name: "Cadastrar material" }).click();
  await main(page).getByLabel(/^Código/).fill(codigo);
  await main(page).getByLabel(/^Nome/).fill("Outro");
  await main(page).getByLabel(/^Tipo/).selectOption("insumo");
  await main(page).getByLabel(/^Unidade/).fill("kg");
  await main(page).getByLabel(/^Prazo de validade/).fill("30");
  await main(page).getByLabel(/^Vida útil mínima para expedição/).fill("30");
  await main(page).getByRole("button", { name: "Cadastrar material" }).click();
  await expect(main(page).getByLabel(/^Vida útil mínima para expedição/)).toHaveAccessibleDescription(/Deve ser menor que o prazo de validade/);
  // The server refuses a code already used, and the screen says so.
  await main(page).getByLabel(/^Vida útil mínima para expedição/).fill("10");
  await main(page).getByRole("button", { name: "Cadastrar material" }).click();
  await expect(main(page).getByRole("alert")).toContainText("já existe");
  await expect(main(page).getByLabel(/^Código/)).toHaveAccessibleDescription(/Já existe um material com este código/);
  await screen(page, "estoque-material-novo");
});

test("the auditor reads the catalogue and stock but is offered no act", async ({ page, request }) => {
  const codigo = await material(request);
  const lote = await receiveViaApi(request, codigo, 5, isoDay(200));
  await loginAs(page, "auditor");
  const nav = page.getByRole("navigation", { name: "Navegação principal" });
  await expect(nav.getByRole("link", { name: "Saldos em estoque" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Recebimento", exact: true })).toHaveCount(0);
  await flows.openFromMenu(page, "Materiais");
  await expect(main(page).getByRole("link", { name: "Cadastrar material" })).toHaveCount(0);
  await flows.openFromMenu(page, "Expedições");
  await expect(main(page).getByRole("link", { name: "Nova expedição" })).toHaveCount(0);
  await flows.openFromMenu(page, "Devoluções");
  await expect(main(page).getByRole("link", { name: "Registrar devolução" })).toHaveCount(0);
  await knownToReports(request, lote.codigo);
  await flows.openLot(page, lote.codigo);
  await expect(main(page).getByText("Em quarentena — aguardando laudo do CQ.")).toBeVisible();
  await screen(page, "estoque-lote-auditor");
});

test("a receipt: pt-BR decimals checked before sending, the lot in quarantine, its label, and the lot page", { tag: ["@B1"] }, async ({ page, request }) => {
  const codigo = await material(request, { tipo: "insumo", unidade: "kg" });
  await loginAs(page, "estoquista");
  await flows.openFromMenu(page, "Recebimento");
  const quantidade = main(page).getByLabel(/^Quantidade/);
  await main(page).getByLabel(/^Material/).selectOption(codigo);
  await quantidade.fill("7,5,3");
  await main(page).getByLabel(/^Validade/).fill(flows.brDate(isoDay(-3)));
  let sent = false;
  page.on("request", (r) => {
    if (r.url().includes("/v1/recebimentos")) sent = true;
  });
  await main(page).getByRole("button", { name: "Registrar recebimento" }).click();
  await expect(quantidade).toHaveAccessibleDescription(/Use uma única vírgula para os decimais/);
  await expect(main(page).getByLabel(/^Validade/)).toHaveAccessibleDescription(/O lote já está vencido/);
  await expect(main(page).getByLabel(/^Fornecedor/)).toHaveAccessibleDescription(/Informe o fornecedor/);
  expect(sent).toBe(false);
  await screen(page, "estoque-recebimento");

  const nf = unique("NF");
  const lot = await flows.receive(page, {
    material: codigo, quantidade: "1.000,5", validade: isoDay(400), fornecedor: "Química Paulista Ltda.",
    loteFornecedor: unique("QP"), notaFiscal: nf,
  });
  await expect(main(page).getByText("1.000,5")).toBeVisible();
  await screen(page, "estoque-recebimento-lote");
  const estoquista = await apiAs(request, "estoquista");
  const saldos = (await estoquista.get(`/v1/estoque/saldos?material=${codigo}`)) as { items: { lote_codigo: string; quantidade: number; status: string }[] };
  expect(saldos.items).toEqual([expect.objectContaining({ lote_codigo: lot, quantidade: 1000.5, status: "quarentena" })]);

  // Just received: the search box opens it without waiting for the reports to hear of it.
  await flows.openLot(page, lot);
  await expect(main(page).getByText("Em quarentena — aguardando laudo do CQ.")).toBeVisible();
  await expect(main(page).getByText("Química Paulista Ltda.")).toBeVisible();
  const entrada = ledgerRow(page, "Entrada");
  await expect(entrada).toContainText("+1.000,5 kg");
  await expect(entrada).toContainText(`Recebimento — NF ${nf}`);
  await expect(entrada).toContainText("estoquista");
  await expect(main(page).getByRole("link", { name: "Rastreabilidade" })).toHaveAttribute("href", `/rastreabilidade/${lot}`);
  // The label can be printed again from the lot page.
  const download = page.waitForEvent("download");
  await main(page).getByRole("button", { name: "Imprimir etiqueta" }).click();
  expect((await download).suggestedFilename()).toBe(`etiqueta-${lot}.pdf`);
  await screen(page, "estoque-lote-quarentena");

  // A scanner types the label's GS1 string: it opens the same lot, also in another tab that
  // never saw it (found through the reports).
  await knownToReports(request, lot);
  await page.evaluate(() => sessionStorage.removeItem("ps.lotes.vistos"));
  const validade = isoDay(400);
  const gs1 = `17${validade.slice(2, 4)}${validade.slice(5, 7)}${validade.slice(8, 10)}10${lot}`;
  await page.getByRole("searchbox", { name: /Buscar lote/ }).fill(gs1);
  await page.getByRole("searchbox", { name: /Buscar lote/ }).press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: `Lote ${lot}` })).toBeVisible();
});

test("stock: FEFO order, expiry marked in words, filters, and each lot opens its page", { tag: ["@B2"] }, async ({ page, request }) => {
  const codigo = await material(request);
  const late = await receiveViaApi(request, codigo, 3, isoDay(400));
  const soon = await receiveViaApi(request, codigo, 2, isoDay(10));
  const mid = await releasedLot(request, codigo, 4, isoDay(200));
  await loginAs(page, "estoquista");
  await flows.openFromMenu(page, "Saldos em estoque");
  await main(page).getByLabel(/^Material/).selectOption(codigo);
  const table = main(page).getByRole("table", { name: "Saldos por lote, ordem FEFO" });
  const rows = table.getByRole("row");
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText(soon.codigo);
  await expect(rows.nth(1)).toContainText("⚠ vence em 10 dias");
  await expect(rows.nth(2)).toContainText(mid.codigo);
  await expect(rows.nth(2)).toContainText("Liberado");
  await expect(rows.nth(2).getByRole("cell").nth(4)).toHaveText("4 un");
  await expect(rows.nth(3)).toContainText(late.codigo);
  await expect(rows.nth(3).getByRole("cell").nth(4)).toHaveText("0 un");
  await screen(page, "estoque-saldos");

  await main(page).getByLabel(/^Status/).selectOption("quarentena");
  await expect(rows).toHaveCount(3);
  await expect(table.getByRole("link", { name: mid.codigo })).toHaveCount(0);
  await expect(page).toHaveURL(/status=quarentena/);

  await page.setViewportSize({ width: 360, height: 740 });
  await screen(page, "estoque-saldos-360");
  await noOverflow(page);
  await page.setViewportSize({ width: 1280, height: 800 });

  await table.getByRole("link", { name: soon.codigo }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Lote ${soon.codigo}` })).toBeVisible();
  await expect(main(page).getByText("vence em 10 dias").first()).toBeVisible();
});

test("a shipment: the FEFO preview, a shortage explained, reservation, confirmation, the ledger and a return", { tag: ["@B2", "@B4"] }, async ({ page, request }) => {
  const codigo = await material(request, { min: 30 });
  const first = await releasedLot(request, codigo, 10, isoDay(100));
  const second = await releasedLot(request, codigo, 10, isoDay(300));
  const tooShort = await releasedLot(request, codigo, 10, isoDay(20));
  const documento = cnpj();
  await loginAs(page, "estoquista");
  await flows.openFromMenu(page, "Expedições");
  await main(page).getByRole("link", { name: "Nova expedição" }).click();
  await main(page).getByLabel(/^Nome do cliente/).fill("Drogaria São Jorge");
  await main(page).getByLabel(/^CPF ou CNPJ/).fill(documento.replace(/\D/g, ""));
  await expect(main(page).getByLabel(/^CPF ou CNPJ/)).toHaveAccessibleDescription(`CNPJ ${documento}`);
  const item = main(page).getByRole("group", { name: "Item 1" });
  await item.getByLabel(/^Material/).selectOption(codigo);
  await item.getByLabel(/^Quantidade/).fill("12");
  const preview = item.getByRole("table", { name: "Prévia FEFO do item 1: lotes que seriam reservados" });
  await expect(preview.getByRole("row")).toHaveCount(3);
  await expect(preview.getByRole("row").nth(1)).toContainText(first.codigo);
  await expect(preview.getByRole("row").nth(1)).toContainText("10 un");
  await expect(preview.getByRole("row").nth(2)).toContainText(second.codigo);
  await expect(preview.getByRole("row").nth(2).getByRole("cell").nth(3)).toHaveText("2 un");
  // The lot with too little shelf life left is neither previewed nor offered.
  await expect(preview).not.toContainText(tooShort.codigo);
  await expect(item.getByLabel(/^Lote/).locator("option", { hasText: tooShort.codigo })).toHaveCount(0);
  await screen(page, "estoque-expedicao-nova");
  await page.setViewportSize({ width: 800, height: 1280 });
  await screen(page, "estoque-expedicao-nova-tablet");
  await noOverflow(page);
  await page.setViewportSize({ width: 360, height: 740 });
  await screen(page, "estoque-expedicao-nova-360");
  await noOverflow(page);
  await page.setViewportSize({ width: 1280, height: 800 });

  // More than the shippable lots hold: the preview warns, and the server's refusal is explained.
  await item.getByLabel(/^Quantidade/).fill("25");
  await expect(item.getByText(/Estoque insuficiente: faltam 5 un/)).toBeVisible();
  await main(page).getByRole("button", { name: "Reservar lotes" }).click();
  await expect(main(page).getByRole("alert")).toContainText("Estoque insuficiente");
  await expect(main(page).getByText(/Não há quantidade disponível suficiente em lotes liberados/)).toBeVisible();
  await screen(page, "estoque-expedicao-insuficiente");

  const exp = await flows.ship(page, { cliente: "Drogaria São Jorge", documento, material: codigo, quantidade: "12" });
  const shipped = main(page).getByRole("table", { name: "Lotes expedidos do item 1" });
  await expect(shipped.getByRole("row").filter({ hasText: first.codigo })).toContainText("10");
  await expect(shipped.getByRole("row").filter({ hasText: second.codigo })).toContainText("2");
  await expect(main(page).getByText("Confirmada", { exact: true })).toBeVisible();
  await screen(page, "estoque-expedicao-confirmada");
  const estoquista = await apiAs(request, "estoquista");
  expect(((await estoquista.get(`/v1/estoque/lotes/${first.id}`)) as Lote).quantidade).toBe(0);

  // The ledger of the first lot: its entry, the reservation and the shipment.
  await flows.openLot(page, first.codigo);
  await expect(ledgerRow(page, "Reserva")).toContainText("+10 un");
  await expect(ledgerRow(page, "Expedição")).toContainText("−10 un");

  // The list shows it, found by the customer's document.
  await flows.openFromMenu(page, "Expedições");
  await main(page).getByLabel(/^CPF\/CNPJ do cliente/).fill(documento.replace(/\D/g, ""));
  await main(page).getByLabel(/^CPF\/CNPJ do cliente/).press("Enter");
  await expect(main(page).getByRole("table").getByRole("row")).toHaveCount(2);
  await expect(main(page).getByRole("link", { name: exp })).toBeVisible();
  await screen(page, "estoque-expedicoes");

  const dev = await flows.registerReturn(page, { expedicao: exp, lote: first.codigo, quantidade: "2,5", motivo: "Embalagem avariada no transporte" });
  await expect(main(page).getByText("Embalagem avariada no transporte")).toBeVisible();
  await screen(page, "estoque-devolucao");
  const back = (await estoquista.get(`/v1/estoque/lotes/${first.id}`)) as Lote;
  expect(back.devolvida_em_avaliacao).toBe(2.5);
  expect(back.disponivel).toBe(0);

  await flows.openFromMenu(page, "Devoluções");
  await expect(main(page).getByRole("link", { name: dev })).toBeVisible();
  await screen(page, "estoque-devolucoes");

  // More than was shipped of the lot, less what came back, is refused before sending.
  await main(page).getByRole("link", { name: "Registrar devolução" }).click();
  await main(page).getByRole("button", { name: "Limpar formulário" }).click();
  const shipments = main(page).getByLabel(/^Expedição confirmada/);
  const option = shipments.locator("option", { hasText: `${exp} — ` });
  await expect(option).toHaveCount(1);
  await shipments.selectOption((await option.getAttribute("value"))!);
  const lots = main(page).getByLabel(/^Lote devolvido/);
  await lots.selectOption((await lots.locator("option", { hasText: `${first.codigo} (` }).getAttribute("value"))!);
  await main(page).getByLabel(/^Quantidade devolvida/).fill("8");
  await main(page).getByLabel(/^Motivo da devolução/).fill("Sobra");
  await main(page).getByRole("button", { name: "Registrar devolução" }).click();
  await expect(main(page).getByLabel(/^Quantidade devolvida/)).toHaveAccessibleDescription(/No máximo 7,5/);
  await screen(page, "estoque-devolucao-nova");

  await flows.openLot(page, first.codigo);
  await expect(main(page).getByText("2,5 un devolvidos por cliente, em quarentena até a avaliação do CQ.")).toBeVisible();
});

test("a lot chosen out of FEFO order needs a reason, kept on the shipment", { tag: ["@B2"] }, async ({ page, request }) => {
  const codigo = await material(request, { min: 10 });
  const early = await releasedLot(request, codigo, 5, isoDay(60));
  const later = await releasedLot(request, codigo, 5, isoDay(90));
  await loginAs(page, "estoquista");
  await flows.openFromMenu(page, "Expedições");
  await main(page).getByRole("link", { name: "Nova expedição" }).click();
  await main(page).getByRole("button", { name: "Limpar formulário" }).click();
  await main(page).getByLabel(/^Nome do cliente/).fill("Hospital Santa Clara");
  await main(page).getByLabel(/^CPF ou CNPJ/).fill("529.982.247-25");
  const item = main(page).getByRole("group", { name: "Item 1" });
  await item.getByLabel(/^Material/).selectOption(codigo);
  await item.getByLabel(/^Quantidade/).fill("3");
  const lotChoice = item.getByLabel(/^Lote/);
  await lotChoice.selectOption((await lotChoice.locator("option", { hasText: later.codigo }).getAttribute("value"))!);
  const motivo = item.getByLabel(/^Motivo para sair da ordem FEFO/);
  await expect(motivo).toHaveAccessibleDescription(new RegExp(`O lote ${early.codigo} vence antes`));
  await main(page).getByRole("button", { name: "Reservar lotes" }).click();
  await expect(motivo).toHaveAccessibleDescription(/escreva o motivo/);
  await expect(item.getByRole("table", { name: "Prévia do item 1: reserva do lote escolhido" })).toContainText(later.codigo);
  await screen(page, "estoque-expedicao-fora-do-fefo");
  await motivo.fill("Cliente exige lote único com validade longa");
  await main(page).getByRole("button", { name: "Reservar lotes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Expedição EXP-/ })).toBeVisible();
  await expect(main(page).getByText("Lote escolhido fora da ordem FEFO. Motivo: Cliente exige lote único com validade longa")).toBeVisible();
  await expect(main(page).getByRole("table", { name: "Lotes reservados do item 1" })).toContainText(later.codigo);
  await expect(main(page).getByRole("table", { name: "Lotes reservados do item 1" })).not.toContainText(early.codigo);
});

test("Minhas tarefas of the clerk, and a shipment cancelled with a reason", async ({ page, request }) => {
  const codigo = await material(request, { min: 5 });
  const lote = await releasedLot(request, codigo, 6, isoDay(12));
  const estoquista = await apiAs(request, "estoquista");
  const exp = (await estoquista.post("/v1/expedicoes", {
    cliente: { nome: "Farmácia Central", documento: cnpj() },
    itens: [{ material: codigo, quantidade: 4 }],
  })) as { id: string; codigo: string };
  const auditor = await apiAs(request, "auditor");
  await expect
    .poll(async () => ((await auditor.get("/v1/relatorios/estoque/vencimentos?dias=30&limit=500")) as { items: { lote_id: string }[] }).items.some((v) => v.lote_id === lote.id), { timeout: 30_000 })
    .toBe(true);

  await loginAs(page, "estoquista");
  const card = (title: string | RegExp) => page.getByRole("region", { name: title });
  const waiting = card("Expedições aguardando confirmação").getByRole("listitem").filter({ hasText: exp.codigo });
  await expect(waiting.getByRole("link", { name: "Confirmar" })).toBeVisible();
  await expect(card("Lotes que vencem em até 30 dias").getByRole("listitem").filter({ hasText: lote.codigo })).toBeVisible();
  await expect(card("Devoluções em avaliação no CQ")).toBeVisible();
  await expect(card("Lotes em quarentena, aguardando laudo")).toBeVisible();
  await page.getByRole("button", { name: "90 dias" }).click();
  await expect(card("Lotes que vencem em até 90 dias").getByRole("listitem").filter({ hasText: lote.codigo })).toBeVisible();
  await screen(page, "estoque-tarefas");
  await page.setViewportSize({ width: 360, height: 740 });
  await screen(page, "estoque-tarefas-360");
  await noOverflow(page);
  await page.setViewportSize({ width: 1280, height: 800 });

  await waiting.getByRole("link", { name: "Confirmar" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Expedição ${exp.codigo}` })).toBeVisible();
  await expect(main(page).getByRole("table", { name: "Lotes reservados do item 1" })).toContainText(lote.codigo);
  await screen(page, "estoque-expedicao-reservada");

  await main(page).getByRole("button", { name: "Cancelar expedição" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/^Motivo do cancelamento/).fill("ok");
  await dialog.getByRole("button", { name: "Cancelar expedição" }).click();
  await expect(dialog.getByLabel(/^Motivo do cancelamento/)).toHaveAccessibleDescription(/pelo menos 3 caracteres/);
  await screen(page, "estoque-expedicao-cancelar");
  await dialog.getByLabel(/^Motivo do cancelamento/).fill("Cliente desistiu do pedido");
  await dialog.getByRole("button", { name: "Cancelar expedição" }).click();
  await expect(main(page).getByText("Expedição cancelada: as reservas foram desfeitas.")).toBeVisible();
  await expect(main(page).getByText("Cliente desistiu do pedido")).toBeVisible();
  await expect(main(page).getByRole("button", { name: "Confirmar expedição" })).toHaveCount(0);
  expect(((await estoquista.get(`/v1/expedicoes/${exp.id}`)) as { status: string }).status).toBe("cancelada");
  expect(((await estoquista.get(`/v1/estoque/lotes/${lote.id}`)) as Lote).disponivel).toBe(6);
});

test("the lot page for QC: the signed laudo, why it cannot ship, and a code that does not exist", async ({ page, request }) => {
  const codigo = await material(request, { min: 60 });
  const lote = await releasedLot(request, codigo, 8, isoDay(45));
  await knownToReports(request, lote.codigo);
  await loginAs(page, "analista");
  await flows.openLot(page, lote.codigo);
  await expect(main(page).getByText("✓ Pode ser consumido na produção.")).toBeVisible();
  await expect(main(page).getByText(/Não pode ser expedido\. Vida útil mínima para expedição insuficiente: a expedição exige 60 dias/)).toBeVisible();
  await expect(main(page).getByRole("list", { name: "Assinaturas" })).toContainText("Aprovação");
  await expect(main(page).getByRole("link", { name: /^AM-/ })).toBeVisible();
  await screen(page, "estoque-lote-liberado");

  await page.setViewportSize({ width: 360, height: 740 });
  await screen(page, "estoque-lote-360");
  await noOverflow(page);
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole("searchbox", { name: /Buscar lote/ }).fill("RX000000-99999");
  await page.getByRole("searchbox", { name: /Buscar lote/ }).press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Lote não encontrado" })).toBeVisible();
  await expect(main(page).getByText("RX000000-99999")).toBeVisible();
  await screen(page, "estoque-lote-nao-encontrado");
});
