// Qualidade in the browser, against the real plant: specifications, the worklist, collection,
// bulk results (pt-BR decimals, conformity as the server computes it), the four-eyes rule,
// signed laudos with their certificate, desvios, recalls and returns — and each screen passes
// the accessibility check at the sizes the plant uses.
import type { APIRequestContext, Page } from "@playwright/test";
import { apiAs, expect, isoDay, loginAs, PASSWORD, screen, test, tokenFor, unique } from "./support";
import {
  closeDesvio,
  collect,
  enterResults,
  evaluateReturn,
  expectFourEyesRefused,
  findSample,
  navigate,
  openDesvio,
  openSample,
  recall,
  sign,
  signInAs,
  signLaudo,
  specify,
} from "./flows/cq";

type Api = Awaited<ReturnType<typeof apiAs>>;

const ENSAIOS = [
  { codigo: "PH", nome: "pH", minimo: 6, maximo: 8 },
  { codigo: "UMI", nome: "Umidade", unidade: "%", maximo: 12.5 },
  { codigo: "ASP", nome: "Aspecto", esperado: "Conforme" },
];

async function newMaterial(request: APIRequestContext, tipo: "insumo" | "produto" = "insumo"): Promise<string> {
  const codigo = unique(tipo === "insumo" ? "CQI" : "CQP");
  await (await apiAs(request, "estoquista")).post("/v1/materiais", {
    codigo,
    nome: `${tipo === "insumo" ? "Excipiente" : "Comprimido"} ${codigo}`,
    tipo,
    unidade: tipo === "insumo" ? "kg" : "un",
    prazo_validade_dias: 720,
    vida_util_minima_expedicao_dias: 30,
  });
  return codigo;
}

async function receive(request: APIRequestContext, material: string): Promise<{ id: string; codigo: string }> {
  return (await apiAs(request, "estoquista")).post("/v1/recebimentos", {
    material,
    quantidade: 120,
    validade: isoDay(600),
    fornecedor: "Fornecedora Teste Ltda.",
    lote_fornecedor: unique("LF"),
    nota_fiscal: unique("NF"),
  });
}

// A write that waits for the other services to learn what it names (a material just
// registered reaches CQ and Produção by event).
async function eventually(request: APIRequestContext, username: string, method: "post" | "put", path: string, data: unknown) {
  const { access_token } = await tokenFor(request, username);
  let body: unknown;
  await expect
    .poll(
      async () => {
        const res = await request[method](path, {
          headers: { Authorization: `Bearer ${access_token}`, "Idempotency-Key": crypto.randomUUID() },
          data,
        });
        if (res.ok()) body = await res.json();
        return res.status();
      },
      { timeout: 20_000 },
    )
    .toBeLessThan(300);
  return body as Record<string, unknown> & { id: string; codigo: string };
}

async function sampleOf(api: Api, loteId: string): Promise<{ id: string; status: string; resultados: { ensaio: string; valor: unknown; conforme: boolean }[] }> {
  let sample: { id: string; status: string; resultados: { ensaio: string; valor: unknown; conforme: boolean }[] } | undefined;
  await expect
    .poll(async () => {
      sample = (await api.get(`/v1/amostras?lote_id=${loteId}`)).items[0];
      return sample !== undefined;
    }, { timeout: 20_000 })
    .toBe(true);
  return sample!;
}

// A received lot whose sample has every result in (entered by analista), waiting for a laudo.
async function analysedLot(request: APIRequestContext, valores: Record<string, unknown> = { PH: 7, UMI: 10, ASP: "Conforme" }) {
  const material = await newMaterial(request);
  await eventually(request, "analista", "put", `/v1/especificacoes/${material}`, { ensaios: ENSAIOS });
  const lot = await receive(request, material);
  const analista = await apiAs(request, "analista");
  const sample = await sampleOf(analista, lot.id);
  await analista.post(`/v1/amostras/${sample.id}/coleta`, { quantidade: 0.5 });
  for (const [ensaio, valor] of Object.entries(valores)) await analista.post(`/v1/amostras/${sample.id}/resultados`, { ensaio, valor });
  return { material, lot, sample };
}

async function expectNoOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("an analyst specifies, collects and enters every result at once; the laudo goes to a second analyst", { tag: ["@S2"] }, async ({ page }) => {
  const material = await newMaterial(page.request);
  const lot = await receive(page.request, material);
  await loginAs(page, "analista");
  await screen(page, "cq-inicio-analista");

  const versao = await specify(page, material, [
    { codigo: "PH", nome: "pH", minimo: "6", maximo: "8" },
    { codigo: "UMI", nome: "Umidade", unidade: "%", maximo: "12,5" },
    { codigo: "ASP", nome: "Aspecto", esperado: "Conforme" },
  ]);
  expect(versao).toBe(1);
  await expect(page.getByRole("table", { name: "Ensaios" })).toContainText("≤ 12,5 %");
  await screen(page, "cq-especificacao");
  const analista = await apiAs(page.request, "analista");
  const spec = await analista.get(`/v1/especificacoes/${material}`);
  expect(spec.ensaios).toEqual([
    { codigo: "PH", nome: "pH", minimo: 6, maximo: 8 },
    { codigo: "UMI", nome: "Umidade", unidade: "%", maximo: 12.5 },
    { codigo: "ASP", nome: "Aspecto", esperado: "Conforme" },
  ]);

  await findSample(page, lot.codigo);
  await screen(page, "cq-amostras-lote");
  const codigo = await collect(page, lot.codigo, "0,25");
  await expect(page.locator("#coletar")).toContainText("0,25 kg");

  // A value that is not a number is shown next to its field, and nothing is sent.
  const ph = page.getByLabel("Valor de pH (PH)");
  await ph.fill("7,5x");
  await page.getByRole("button", { name: "Salvar resultados" }).click();
  await expect(page.locator(".results-table .field-error")).toHaveText(/Número inválido/);
  await expect(ph).toHaveAttribute("aria-invalid", "true");
  expect((await sampleOf(analista, lot.id)).resultados).toEqual([]);
  await ph.fill("");

  // Tab goes from row to row.
  await page.getByLabel("Valor de pH (PH)").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Valor de Umidade (UMI), em %")).toBeFocused();
  await screen(page, "cq-resultados-entrada");

  const conforme = await enterResults(page, lot.codigo, { PH: "7,5", UMI: "13", ASP: "Conforme" });
  expect(conforme).toEqual({ PH: true, UMI: false, ASP: true });
  const umi = page.locator(".results-table tbody tr").filter({ hasText: "(UMI)" });
  await expect(umi).toContainText("13 %");
  await expect(umi).toContainText("Não conforme");
  await expect(page.getByText("3 resultados salvos: 2 conformes, 1 não conforme.")).toBeVisible();
  await screen(page, "cq-resultados-salvos");

  // 7,5 typed is 7.5 stored; the server computed the conformity the screen shows.
  const stored = await sampleOf(analista, lot.id);
  expect(stored.status).toBe("em_analise");
  const byEnsaio = Object.fromEntries(stored.resultados.map((r) => [r.ensaio, r]));
  expect(byEnsaio.PH).toMatchObject({ valor: 7.5, conforme: true });
  expect(byEnsaio.UMI).toMatchObject({ valor: 13, conforme: false });
  expect(byEnsaio.ASP).toMatchObject({ valor: "Conforme", conforme: true });

  // Four eyes: the analyst who entered the results is refused, in words, before any password.
  await expectFourEyesRefused(page, lot.codigo);
  await screen(page, "cq-quatro-olhos");

  // Approval is not offered with a non-conforming result; the second analyst rejects.
  await signInAs(page, "analista2");
  await openSample(page, lot.codigo);
  await expect(page.getByRole("radio", { name: /^Aprovado/ })).toBeDisabled();
  await expect(page.locator("#laudo")).toContainText("não conforme: UMI");
  expect(await signLaudo(page, lot.codigo, "reprovado", "Umidade acima do limite")).toBe(codigo);
  const laudo = page.locator("#laudo");
  await expect(laudo).toContainText("Reprovado");
  await expect(laudo).toContainText("Umidade acima do limite");
  await expect(laudo.getByRole("list", { name: "Assinaturas" })).toContainText("Segunda Analista de CQ Demo");
  await screen(page, "cq-laudo-reprovado");

  const download = page.waitForEvent("download");
  await laudo.getByRole("button", { name: "Certificado (PDF)" }).click();
  expect((await download).suggestedFilename()).toBe(`laudo-${lot.codigo}.pdf`);
  const cq = await analista.get(`/v1/cq/lotes/${lot.id}`);
  expect(cq.status).toBe("reprovado");
  expect(cq.laudos[0].assinatura).toMatchObject({ significado: "reprovacao", nome: "Segunda Analista de CQ Demo" });
});

test("the second analyst finds the laudo in Minhas tarefas; a wrong password is refused in the dialog", { tag: ["@S1"] }, async ({ page }) => {
  const { lot } = await analysedLot(page.request);
  await loginAs(page, "analista2");
  const card = page.getByRole("region", { name: "Laudos a assinar" });
  const item = card.getByRole("listitem").filter({ hasText: lot.codigo });
  await expect(item).toBeVisible();
  await screen(page, "cq-inicio-analista2");
  await item.getByRole("link", { name: "Emitir laudo" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Amostra AM-/ })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Laudo" })).toBeFocused();

  const laudo = page.locator("#laudo");
  await laudo.getByRole("radio", { name: /^Aprovado/ }).check();
  await laudo.getByLabel("Observação").fill("Lote conforme em todos os ensaios.");
  await laudo.getByRole("button", { name: "Assinar laudo…" }).click();
  const dialog = page.getByRole("dialog", { name: "Assinar laudo" });
  await expect(dialog).toContainText("Aprovação");
  await expect(dialog).toContainText(lot.codigo);
  await screen(page, "cq-assinatura");
  await dialog.getByLabel("Sua senha").fill("senha-errada");
  await dialog.getByRole("button", { name: "Assinar" }).click();
  await expect(dialog.getByRole("alert")).toContainText("senha incorreta");
  await expect(dialog).toBeVisible();
  const cqApi = await apiAs(page.request, "analista");
  expect((await cqApi.get(`/v1/cq/lotes/${lot.id}`)).laudos).toEqual([]);
  await sign(page, PASSWORD);
  await expect(page.getByText("Laudo emitido: Aprovado.")).toBeVisible();
  await expect(laudo.getByRole("list", { name: "Assinaturas" })).toContainText("Aprovação");
  await screen(page, "cq-laudo-aprovado");
  expect((await cqApi.get(`/v1/cq/lotes/${lot.id}`)).status).toBe("liberado");
});

test("the worklist filters by status and shows each sample's next act; other roles only read", async ({ page }) => {
  const material = await newMaterial(page.request);
  const waiting = await receive(page.request, material);
  const { lot: analysed } = await analysedLot(page.request);
  await sampleOf(await apiAs(page.request, "analista"), waiting.id);

  await loginAs(page, "analista");
  await navigate(page, "Amostras");
  await page.getByLabel("Status").selectOption({ label: "Aguardando coleta" });
  await page.getByRole("button", { name: "Filtrar" }).click();
  await expect(page).toHaveURL(/status=aguardando_coleta/);
  const row = page.locator("tbody tr").filter({ hasText: waiting.codigo });
  await expect(row.getByRole("link", { name: /^Coletar/ })).toBeVisible();
  await expect(page.locator("tbody tr").filter({ hasText: analysed.codigo })).toHaveCount(0);
  await screen(page, "cq-amostras");
  const laudo = await findSample(page, analysed.codigo);
  await expect(laudo.getByRole("link", { name: /^Emitir laudo/ })).toBeVisible();
  await expect(laudo).toContainText("Em análise");

  // The auditor reads samples but is offered no act; the clerk has no worklist at all.
  await signInAs(page, "auditor");
  const audited = await findSample(page, analysed.codigo);
  await expect(audited.getByRole("link", { name: /^Emitir laudo/ })).toHaveCount(0);
  await audited.getByRole("link", { name: /^Abrir/ }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Resultados" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Salvar resultados" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Assinar laudo…" })).toHaveCount(0);
  await screen(page, "cq-amostra-auditor");
  await signInAs(page, "estoquista");
  await expect(page.getByRole("navigation", { name: "Navegação principal" }).getByRole("link", { name: "Amostras" })).toHaveCount(0);
});

test("a desvio opened on an OP blocks it until the analyst closes it with a signed review", { tag: ["@B3", "@S3"] }, async ({ page }) => {
  const insumo = await newMaterial(page.request);
  const produto = await newMaterial(page.request, "produto");
  const receita = await eventually(page.request, "gestor", "post", "/v1/receitas", {
    produto,
    versao: 1,
    etapas: [{ ordem: 1, nome: "Mistura", parametros: [{ nome: "tempo", unidade: "min", minimo: 10, maximo: 20 }] }],
    insumos: [{ material: insumo, quantidade_por_unidade: 0.01 }],
  });
  const gestor = await apiAs(page.request, "gestor");
  const op = await gestor.post("/v1/ordens-producao", { produto, quantidade: 1000, receita_id: receita.id });
  await gestor.post(`/v1/ordens-producao/${op.id}/iniciar`, {});
  const lote = await gestor.post(`/v1/ordens-producao/${op.id}/lotes`, { quantidade: 500, data_fabricacao: isoDay(0) });

  await loginAs(page, "gestor");
  await navigate(page, "Desvios");
  await page.getByRole("link", { name: "Abrir desvio" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Abrir desvio" })).toBeVisible();
  // Nothing chosen: each field says what it needs.
  await page.getByRole("button", { name: "Abrir desvio" }).click();
  await expect(page.getByText("Escolha a ordem de produção.")).toBeVisible();
  await expect(page.getByText("Escolha a classificação.")).toBeVisible();
  await screen(page, "cq-desvio-novo");

  // From the OP's page the form comes with the OP chosen (?op_id=).
  await page.goto(`/desvios/novo?op_id=${op.id}`);
  await expect(page.getByLabel("Ordem de produção")).toHaveValue(op.id);
  await expect(page.getByLabel("Lote", { exact: true }).locator("option", { hasText: lote.codigo })).toHaveCount(1);

  const codigo = await openDesvio(page, op.codigo, { classificacao: "critico", descricao: "Temperatura da mistura acima do limite.", lote: lote.codigo });
  await expect(page.getByText(`Desvio ${codigo} aberto.`)).toBeVisible();
  await expect(page.locator(".facts")).toContainText(lote.codigo);
  await expect(page.locator(".facts")).toContainText("Crítico");
  await expect(page.getByRole("button", { name: "Encerrar desvio…" })).toHaveCount(0);
  await screen(page, "cq-desvio-aberto");
  await expect.poll(async () => (await gestor.get(`/v1/ordens-producao/${op.id}`)).status, { timeout: 15_000 }).toBe("bloqueada");

  await signInAs(page, "analista");
  await expect(page.getByRole("region", { name: "Desvios abertos" }).getByText(codigo)).toBeVisible();
  await navigate(page, "Desvios");
  await page.getByLabel("Ordem de produção").selectOption({ label: `${op.codigo} — ${produto} (Bloqueada)` });
  await expect(page).toHaveURL(new RegExp(`op_id=${op.id}`));
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await expect(page.locator("tbody tr")).toContainText(op.codigo);
  await screen(page, "cq-desvios");

  await closeDesvio(page, codigo, "Sensor descalibrado; lote reanalisado.", "Calibração semanal do sensor.");
  await expect(page.getByRole("list", { name: "Assinaturas" })).toContainText("Revisão");
  await expect(page.getByRole("list", { name: "Assinaturas" })).toContainText("Analista de CQ Demo");
  await screen(page, "cq-desvio-encerrado");
  await expect.poll(async () => (await gestor.get(`/v1/ordens-producao/${op.id}`)).status, { timeout: 15_000 }).toBe("em_execucao");
});

test("a recall is signed and leads to the recall report", { tag: ["@B5", "@S3"] }, async ({ page }) => {
  const material = await newMaterial(page.request);
  const lot = await receive(page.request, material);
  await loginAs(page, "analista");
  await navigate(page, "Recolher lote");
  await screen(page, "cq-recolhimento-vazio");
  const report = await recall(page, lot.codigo, "Contaminação relatada pelo fornecedor.");
  expect(report).toBe(`/recolhimento/${lot.codigo}`);
  await expect(page.getByRole("list", { name: "Assinaturas" })).toContainText("Recolhimento");
  await screen(page, "cq-recolhimento");
  const cq = await (await apiAs(page.request, "analista")).get(`/v1/cq/lotes/${lot.id}`);
  expect(cq.status).toBe("recolhido");
  expect(cq.recolhimento).toMatchObject({ motivo: "Contaminação relatada pelo fornecedor." });

  // Opened from the lot's page (?lote=), the lot is shown as recalled and takes no second recall.
  await page.goto(`/cq/recolhimentos/novo?lote=${lot.codigo}`);
  await expect(page.getByLabel("Lote", { exact: true })).toHaveValue(lot.codigo);
  await expect(page.getByText("Este lote já foi recolhido.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Recolher lote…" })).toHaveCount(0);
});

test("a returned quantity is evaluated with a signature and re-enters the lot's stock", { tag: ["@B6"] }, async ({ page }) => {
  const { lot, sample } = await analysedLot(page.request);
  const analista2 = await apiAs(page.request, "analista2");
  const token = await analista2.sign(`amostra:${sample.id}`, "aprovacao");
  await analista2.post("/v1/laudos", { amostra_id: sample.id, decisao: "aprovado" }, { "X-Assinatura": token });
  const estoquista = await apiAs(page.request, "estoquista");
  await expect.poll(async () => (await estoquista.get(`/v1/estoque/lotes/${lot.id}`)).status, { timeout: 15_000 }).toBe("liberado");
  const lotData = await estoquista.get(`/v1/estoque/lotes/${lot.id}`);
  const exp = await estoquista.post("/v1/expedicoes", {
    cliente: { nome: "Farmácia Central", documento: "12345678000199" },
    itens: [{ material: lotData.material, quantidade: 10, lote_id: lot.id }],
  });
  await estoquista.post(`/v1/expedicoes/${exp.id}/confirmar`, {});
  const dev = await estoquista.post("/v1/devolucoes", { expedicao_id: exp.id, lote_id: lot.id, quantidade: 2.5, motivo: "Embalagem externa amassada." });

  await loginAs(page, "analista");
  await expect(page.getByRole("region", { name: "Devoluções a avaliar" }).getByText(dev.codigo)).toBeVisible();
  await navigate(page, "Avaliar devoluções", "Avaliação de devoluções");
  await expect(page.locator("tbody tr").filter({ hasText: dev.codigo })).toContainText("2,5");
  await screen(page, "cq-devolucoes");
  const status = await evaluateReturn(page, dev.codigo, "reintegrar", "Produto íntegro; só a caixa externa foi danificada.");
  expect(status).toBe("Reintegrada");
  await expect(page.getByRole("list", { name: "Assinaturas" })).toContainText("Liberação");
  await screen(page, "cq-devolucao-avaliada");
  expect((await estoquista.get(`/v1/devolucoes/${dev.id}`)).status).toBe("reintegrada");
  expect((await estoquista.get(`/v1/estoque/lotes/${lot.id}`)).devolvida_em_avaliacao).toBe(0);
});

test("the results grid and the worklist hold on a tablet and at 360 px", async ({ page }) => {
  const material = await newMaterial(page.request);
  await eventually(page.request, "analista", "put", `/v1/especificacoes/${material}`, { ensaios: ENSAIOS });
  const lot = await receive(page.request, material);
  const analista = await apiAs(page.request, "analista");
  const sample = await sampleOf(analista, lot.id);
  await analista.post(`/v1/amostras/${sample.id}/coleta`, { quantidade: 1 });

  await page.setViewportSize({ width: 800, height: 1280 });
  await loginAs(page, "analista");
  await openSample(page, lot.codigo);
  await screen(page, "cq-amostra-tablet");
  await expectNoOverflow(page);

  await page.setViewportSize({ width: 360, height: 740 });
  await openSample(page, lot.codigo);
  await page.getByLabel("Valor de pH (PH)").fill("6,8");
  await page.getByLabel("Valor de Aspecto (ASP)").selectOption({ label: "Não conforme" });
  await screen(page, "cq-amostra-360");
  await expectNoOverflow(page);
  await page.getByRole("button", { name: "Salvar resultados" }).click();
  await expect(page.getByText("2 resultados salvos: 1 conforme, 1 não conforme.")).toBeVisible();
  await expect(page.locator(".results-table tbody tr").filter({ hasText: "(ASP)" })).toContainText("Não conforme");
  await navigate(page, "Especificações");
  await screen(page, "cq-especificacoes-360");
  await expectNoOverflow(page);
  await page.getByLabel("Código do material").fill(material);
  await page.getByRole("button", { name: "Abrir", exact: true }).click();
  await page.getByRole("button", { name: "Nova versão" }).click();
  await expect(page.getByLabel("Código do ensaio 3", { exact: true })).toHaveValue("ASP");
  await expect(page.getByLabel("Máximo do ensaio 2", { exact: true })).toHaveValue("12,5");
  await page.getByLabel("Mínimo do ensaio 1", { exact: true }).fill("9");
  await page.getByRole("button", { name: "Publicar versão 2" }).click();
  await expect(page.getByText("O máximo não pode ser menor que o mínimo.")).toBeVisible();
  await screen(page, "cq-especificacao-editor-360");
  await expectNoOverflow(page);
  await page.getByRole("button", { name: "Cancelar" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Ensaios da versão 1" })).toBeVisible();
});

test("a concluded order's batch record is reviewed by exception, signed; its lot is approved only after", { tag: ["@G1"] }, async ({ page }) => {
  test.setTimeout(180_000);
  const insumo = await newMaterial(page.request);
  const produto = await newMaterial(page.request, "produto");
  await eventually(page.request, "analista", "put", `/v1/especificacoes/${produto}`, { ensaios: ENSAIOS });
  const receita = await eventually(page.request, "gestor", "post", "/v1/receitas", {
    produto,
    versao: 1,
    etapas: [{ ordem: 1, nome: "Mistura", parametros: [{ nome: "tempo", unidade: "min", minimo: 10, maximo: 20 }] }],
    insumos: [{ material: insumo, quantidade_por_unidade: 0.01 }],
  });
  const gestor = await apiAs(page.request, "gestor");
  const op = await gestor.post("/v1/ordens-producao", { produto, quantidade: 100, receita_id: receita.id });
  await gestor.post(`/v1/ordens-producao/${op.id}/iniciar`, {});
  const motivo = `Misturador lento; tempo estendido ${unique("")}`;
  await gestor.post(`/v1/ordens-producao/${op.id}/etapas/1/registros`, { parametros: { tempo: 25 }, motivo });
  const lote = await gestor.post(`/v1/ordens-producao/${op.id}/lotes`, { quantidade: 100, data_fabricacao: isoDay(0) });
  const analista = await apiAs(page.request, "analista");
  const sample = await sampleOf(analista, lote.id);
  await analista.post(`/v1/amostras/${sample.id}/coleta`, { quantidade: 0.5 });
  for (const [ensaio, valor] of Object.entries({ PH: 7, UMI: 10, ASP: "Conforme" })) {
    await analista.post(`/v1/amostras/${sample.id}/resultados`, { ensaio, valor });
  }

  // Before the review, the laudo form says so, and the approval is refused in words, with the
  // way to the order.
  await loginAs(page, "analista2");
  await openSample(page, lote.codigo);
  const laudo = page.locator("#laudo");
  await expect(laudo.getByText(`O registro de lote da ordem de produção ${op.codigo} ainda não foi revisado`)).toBeVisible();
  await laudo.getByRole("radio", { name: /^Aprovado/ }).check();
  await laudo.getByRole("button", { name: "Assinar laudo…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Sua senha").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Assinar" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Registro de lote não revisado");
  await expect(dialog.getByRole("alert")).toContainText("depois o lote pode ser aprovado");
  await expect(dialog.getByRole("link", { name: `Abrir a ordem de produção ${op.codigo} para a revisão` })).toHaveAttribute(
    "href",
    `/ordens/${op.id}#revisao`,
  );
  await screen(page, "cq-laudo-registro-nao-revisado");
  await dialog.getByRole("button", { name: "Cancelar" }).click();
  await expect(dialog).toBeHidden();

  // Concluded, the order waits in the analyst's "Minhas tarefas"; its exceptions are listed.
  await (await apiAs(page.request, "gestor")).post(`/v1/ordens-producao/${op.id}/concluir`, {});
  await signInAs(page, "analista");
  const item = page.getByRole("region", { name: "Registros de lote a revisar" }).getByRole("listitem").filter({ hasText: op.codigo });
  await expect(item).toBeVisible();
  // A second tab of the same analyst, open on the order before the review is signed.
  const other = await page.context().newPage();
  await loginAs(other, "analista", `/ordens/${op.id}`);
  await expect(other.locator("#revisao").getByRole("button", { name: "Assinar revisão…" })).toBeVisible();

  await item.getByRole("link", { name: "Revisar" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Ordem de produção ${op.codigo}` })).toBeVisible();
  const section = page.locator("#revisao");
  await expect(section.getByRole("heading", { level: 2, name: "Revisão do registro de lote" })).toBeFocused();
  const rows = section.getByRole("table", { name: "Exceções do registro de lote" }).locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("Parâmetro fora dos limites");
  await expect(rows).toContainText("Etapa 1");
  await expect(rows).toContainText(motivo);
  await expect(rows).toContainText("gestor");
  await screen(page, "producao-ordem-revisao");
  await section.getByLabel("Observação").fill("Tempo estendido avaliado: sem impacto na qualidade.");
  await section.getByRole("button", { name: "Assinar revisão…" }).click();
  await expect(page.getByRole("dialog")).toContainText(`Revisão do registro de lote da ordem ${op.codigo}, com 1 exceção`);
  await sign(page);
  await expect(page.getByRole("status").filter({ hasText: `Registro de lote da ordem ${op.codigo} revisado e assinado.` })).toBeVisible();
  await expect(section).toContainText("Analista de CQ Demo");
  await expect(section.getByRole("definition").filter({ hasText: "1 exceção" })).toBeVisible();
  await expect(section).toContainText("Tempo estendido avaliado: sem impacto na qualidade.");
  await expect(section.getByRole("list", { name: "Assinaturas" })).toContainText("Revisão");
  await expect(section.getByRole("button", { name: "Assinar revisão…" })).toHaveCount(0);
  await screen(page, "producao-ordem-revisada");

  // The other tab signs too: the second review is refused, said in words; closed, the order is
  // read again and shows the review.
  const otherSection = other.locator("#revisao");
  await otherSection.getByRole("button", { name: "Assinar revisão…" }).click();
  const otherDialog = other.getByRole("dialog");
  await otherDialog.getByLabel("Sua senha").fill(PASSWORD);
  await otherDialog.getByRole("button", { name: "Assinar" }).click();
  await expect(otherDialog.getByRole("alert")).toContainText("A revisão não foi aceita");
  await expect(otherDialog.getByRole("alert")).toContainText("já foi revisado");
  await otherDialog.getByRole("button", { name: "Cancelar" }).click();
  await expect(otherSection.getByRole("list", { name: "Assinaturas" })).toContainText("Revisão");
  await expect(otherSection.getByRole("button", { name: "Assinar revisão…" })).toHaveCount(0);
  await other.close();

  // Reviewed, the order leaves the analyst's tasks, and the lot's approval goes through.
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Registros de lote a revisar" })).not.toContainText(op.codigo);
  await signLaudo(page, lote.codigo, "aprovado");
});
