// The whole life of a lot, done only by clicking, each step by the role that does it in a
// plant, each person signed in through Auth's page: receipt → sample → results → signed laudo
// (four eyes) → order → steps with an out-of-limit value → a desvio blocks the order → the
// desvio closed (signed) → consumption (FEFO) → produced lot → conclusion → the batch record
// reviewed by exception (signed, RULES G1) → the produced lot's laudo → shipment → return
// (evaluated, signed) → recall (signed) → traceability, recall report, audit trail and chain
// verification as the auditor.
import type { Browser, Page } from "@playwright/test";
import { expect, isoDay, screen, signInThroughPage, test, unique } from "./support";
import * as estoque from "./flows/estoque";
import * as producao from "./flows/producao";
import * as cq from "./flows/cq";
import * as auditoria from "./flows/auditoria";

test.describe.configure({ mode: "serial", timeout: 600_000 });

async function person(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughPage(page, username);
  return page;
}

// The lot's page as the warehouse sees it now (opened again, as a new scan of its label).
async function lotPage(page: Page, codigo: string): Promise<string> {
  await estoque.openLot(page, codigo);
  await expect(page.locator("main").getByText(/^Carregando|^Procurando/)).toHaveCount(0);
  return (await page.locator("main").textContent()) ?? "";
}

test("a lot's whole life, by clicking, as each role", { tag: ["@B1", "@S2", "@B3", "@G1"] }, async ({ browser }) => {
  const insumo = unique("MP");
  const produto = unique("PA");
  const cliente = `Farmácia ${unique("C")}`;

  const estoquista = await person(browser, "estoquista");
  const analista = await person(browser, "analista");
  const analista2 = await person(browser, "analista2");
  const gestor = await person(browser, "gestor");

  await test.step("the warehouse registers the materials; QC specifies them", async () => {
    await estoque.createMaterial(estoquista, { codigo: insumo, nome: "Ácido acetilsalicílico", tipo: "insumo", unidade: "kg", prazoDias: 720, vidaUtilMinimaDias: 30 });
    await estoque.createMaterial(estoquista, { codigo: produto, nome: "AAS 100 mg comprimidos", tipo: "produto", unidade: "un", prazoDias: 730, vidaUtilMinimaDias: 30 });
    const ensaios = [
      { codigo: "PH", nome: "pH", minimo: "5", maximo: "8" },
      { codigo: "ASP", nome: "Aspecto", esperado: "Conforme" },
    ];
    await cq.specify(analista, insumo, ensaios);
    await cq.specify(analista, produto, ensaios);
  });

  let loteInsumo = "";
  await test.step("receipt: the lot is born in quarantine", async () => {
    loteInsumo = await estoque.receive(estoquista, {
      material: insumo, quantidade: "1.000,5", validade: isoDay(400), fornecedor: "Química Brasil Ltda.",
      loteFornecedor: unique("F"), notaFiscal: unique("NF"),
    });
    expect(await lotPage(estoquista, loteInsumo)).toContain("Quarentena");
  });

  await test.step("QC: sample, results, the laudo signed by another analyst", async () => {
    await cq.collect(analista, loteInsumo, "0,5");
    const conforme = await cq.enterResults(analista, loteInsumo, { PH: "6,5", ASP: "Conforme" });
    expect(Object.values(conforme).every(Boolean)).toBe(true);
    await cq.expectFourEyesRefused(analista, loteInsumo);
    await cq.signLaudo(analista2, loteInsumo, "aprovado", undefined, "analista2");
    await expect
      .poll(() => lotPage(estoquista, loteInsumo), { timeout: 30_000 })
      .toContain("Liberado");
  });

  let op = "";
  await test.step("production: recipe, order, steps; an out-of-limit value asks for its reason", async () => {
    await producao.createRecipe(gestor, {
      produto, versao: "1",
      etapas: [
        { nome: "Mistura", parametros: [{ nome: "Temperatura", unidade: "°C", minimo: "20", maximo: "25" }] },
        { nome: "Compressão", parametros: [{ nome: "Dureza", unidade: "N", minimo: "40", maximo: "80" }] },
      ],
      insumos: [{ material: insumo, quantidadePorUnidade: "0,5" }],
    });
    op = await producao.createOrder(gestor, { produto, quantidade: "100", versao: "1" });
    await producao.startOrder(gestor, op);
    await producao.recordStep(gestor, op, 1, { Temperatura: "27,5" }, "Resfriador em manutenção; lote segue para avaliação");
  });

  let desvio = "";
  await test.step("a desvio blocks the order until QC closes it, signed", async () => {
    desvio = await cq.openDesvio(analista, op, { classificacao: "maior", descricao: "Temperatura de mistura acima do limite" });
    await producao.expectBlocked(gestor, op, desvio);
    await cq.closeDesvio(analista, desvio, "Sem impacto na qualidade após avaliação", "Manutenção preventiva do resfriador");
  });

  let loteProduto = "";
  await test.step("consumption by FEFO, the produced lot, conclusion", async () => {
    await expect.poll(async () => { await producao.openOrder(gestor, op); await expect(gestor.locator("main").getByText(/^Carregando/)).toHaveCount(0); return gestor.locator("main").textContent(); }, { timeout: 30_000 }).not.toContain("Bloqueada");
    await producao.recordStep(gestor, op, 2, { Dureza: "60" });
    const alocacao = await producao.consume(gestor, op, insumo, "50");
    expect(alocacao.map((a) => a.lote)).toContain(loteInsumo);
    loteProduto = await producao.produceLot(gestor, op, "100", isoDay(0));
    await producao.concludeOrder(gestor, op);
  });

  await test.step("QC reviews the batch record by exception, signed, before the lot's approval", async () => {
    const rows = await cq.reviewBatchRecord(analista, op, "Temperatura fora do limite avaliada no desvio; sem impacto", [
      { tipo: "Parâmetro fora dos limites", texto: "Resfriador em manutenção" },
      { tipo: "Desvio", texto: "Temperatura de mistura acima do limite" },
    ]);
    expect(rows[0]).toContain("Etapa 1");
    await screen(analista, "vida-revisao-registro-de-lote");
  });

  await test.step("the produced lot's laudo", async () => {
    await cq.collect(analista, loteProduto, "5");
    await cq.enterResults(analista, loteProduto, { PH: "7", ASP: "Conforme" });
    await cq.signLaudo(analista2, loteProduto, "aprovado", undefined, "analista2");
    await expect
      .poll(() => lotPage(estoquista, loteProduto), { timeout: 30_000 })
      .toContain("Liberado");
  });

  let expedicao = "";
  let devolucao = "";
  await test.step("shipment to a customer, a return, its evaluation signed", async () => {
    expedicao = await estoque.ship(estoquista, { cliente, documento: "12.345.678/0001-95", material: produto, quantidade: "40" });
    devolucao = await estoque.registerReturn(estoquista, { expedicao, lote: loteProduto, quantidade: "5", motivo: "Embalagem avariada no transporte" });
    await cq.evaluateReturn(analista, devolucao, "descartar", "Embalagem primária violada");
  });

  await test.step("a recall of the insumo lot, signed", async () => {
    await cq.recall(analista, loteInsumo, "Fornecedor comunicou contaminação do lote");
  });

  await test.step("the auditor: traceability to the customer, the recall report, the trail, the chain", async () => {
    const auditor = await person(browser, "auditor");
    await auditoria.traceability(auditor, loteInsumo);
    await auditoria.expectInGraph(auditor, [loteInsumo, loteProduto, cliente]);
    await screen(auditor, "vida-rastreabilidade");
    await auditoria.recallReport(auditor, loteInsumo, cliente);
    await auditoria.auditTrail(auditor, { entidade: "lote" });
    await auditoria.verifyChain(auditor);
  });
});
