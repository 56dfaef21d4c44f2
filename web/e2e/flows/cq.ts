// Qualidade's acts, done by clicking as an analyst does them. Each starts from the navigation
// (or the home page), so they compose into the life of a lot in any order; each answers what
// a later step needs. The page is expected to be signed in as someone who may do the act
// (analista_cq; a desvio may also be opened by gestor_producao); signLaudo signs in as the
// second analyst when the page is someone else's, since the first one entered the results.
import { expect, type Locator, type Page } from "@playwright/test";
import { PASSWORD, tokenFor } from "../support";
import { openOrder } from "./producao";

export interface EnsaioSpec {
  codigo: string;
  nome: string;
  unidade?: string;
  minimo?: string; // pt-BR text: "6,5"
  maximo?: string;
  esperado?: string;
}

export const FOUR_EYES = "Quatro olhos: quem registrou os resultados não pode assinar o laudo";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// The user this tab is signed in as (the access token's preferred_username).
export async function currentUser(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const stored = sessionStorage.getItem("ps.tokens");
    if (!stored) return null;
    const payload = (JSON.parse(stored) as { access: string }).access.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    return (JSON.parse(json) as { preferred_username?: string }).preferred_username ?? null;
  });
}

// Signs this tab in as another person (as signing out and in again would), landing on home.
export async function signInAs(page: Page, username: string): Promise<void> {
  if ((await currentUser(page)) === username) return;
  const t = await tokenFor(page.request, username);
  await page.evaluate((tokens) => {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith("ps.draft.")) sessionStorage.removeItem(key);
    sessionStorage.setItem("ps.tokens", tokens);
  }, JSON.stringify({ access: t.access_token, refresh: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000 }));
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Minhas tarefas" })).toBeVisible();
}

// Opens a screen from the navigation (behind the Menu button on narrow screens).
export async function navigate(page: Page, label: string, title: string | RegExp = label): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Navegação principal" });
  const menu = page.getByRole("button", { name: /menu/i });
  if ((await menu.isVisible()) && (await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
  await nav.getByRole("link", { name: label, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

async function settled(page: Page): Promise<void> {
  await expect(page.getByRole("status").filter({ hasText: /^Carregando/ })).toHaveCount(0);
}

// The table row that holds `text`, following "Carregar mais" while the list has more.
async function rowWith(page: Page, text: string): Promise<Locator> {
  await settled(page);
  const row = page.locator("tbody tr").filter({ hasText: text });
  for (;;) {
    if ((await row.count()) > 0) return row.first();
    const more = page.getByRole("button", { name: "Carregar mais" });
    if (!(await more.isVisible())) return row.first();
    await more.click();
    await settled(page);
  }
}

// Signs in the open signature dialog.
export async function sign(page: Page, password = PASSWORD): Promise<void> {
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Sua senha").fill(password);
  await dialog.getByRole("button", { name: "Assinar" }).click();
  await expect(dialog).toBeHidden();
}

// The lot's sample in the worklist. A sample appears a moment after its lot is created, so
// the list is refreshed (once a second, for up to 30 s) until it shows.
export async function findSample(page: Page, loteCodigo: string): Promise<Locator> {
  await navigate(page, "Amostras");
  await page.getByLabel("Lote", { exact: true }).fill(loteCodigo);
  await page.getByRole("button", { name: "Filtrar" }).click();
  const row = page.locator("tbody tr").filter({ hasText: loteCodigo });
  for (let i = 0; i < 30; i++) {
    await settled(page);
    if ((await row.count()) > 0) break;
    await page.waitForTimeout(1000);
    await page.getByRole("button", { name: "Atualizar" }).click();
  }
  await expect(row).toHaveCount(1);
  return row;
}

// Opens the lot's sample page; answers the sample's code.
export async function openSample(page: Page, loteCodigo: string): Promise<string> {
  const row = await findSample(page, loteCodigo);
  const link = row.getByRole("link", { name: /^AM-/ });
  const codigo = (await link.textContent())!.trim();
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: `Amostra ${codigo}` })).toBeVisible();
  await settled(page);
  return codigo;
}

// Publishes a new version of the material's specification with exactly these ensaios;
// answers the version number.
export async function specify(page: Page, material: string, ensaios: EnsaioSpec[]): Promise<number> {
  await navigate(page, "Especificações");
  await page.getByLabel("Código do material").fill(material);
  await page.getByRole("button", { name: "Abrir", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Especificação de ${material}` })).toBeVisible();
  await settled(page);
  await page.getByRole("button", { name: /^(Nova versão|Criar especificação)$/ }).click();
  const editor = page.locator("form.spec-editor");
  const remove = editor.getByRole("button", { name: /^Remover/ });
  while ((await remove.count()) > 0) await remove.first().click();
  for (const [i, e] of ensaios.entries()) {
    const n = i + 1;
    await editor.getByRole("button", { name: "Adicionar ensaio" }).click();
    await editor.getByLabel(`Código do ensaio ${n}`, { exact: true }).fill(e.codigo);
    await editor.getByLabel(`Nome do ensaio ${n}`, { exact: true }).fill(e.nome);
    if (e.esperado !== undefined) {
      await editor.getByLabel(`Tipo do ensaio ${n}`, { exact: true }).selectOption({ label: "Qualitativo" });
      await editor.getByLabel(`Resultado esperado do ensaio ${n}`, { exact: true }).fill(e.esperado);
    } else {
      if (e.unidade) await editor.getByLabel(`Unidade do ensaio ${n}`, { exact: true }).fill(e.unidade);
      if (e.minimo) await editor.getByLabel(`Mínimo do ensaio ${n}`, { exact: true }).fill(e.minimo);
      if (e.maximo) await editor.getByLabel(`Máximo do ensaio ${n}`, { exact: true }).fill(e.maximo);
    }
  }
  const publish = editor.getByRole("button", { name: /^Publicar versão \d+$/ });
  const versao = Number((await publish.textContent())!.replace(/\D/g, ""));
  await publish.click();
  await expect(page.getByText(`Versão ${versao} publicada.`)).toBeVisible();
  return versao;
}

// Collects the lot's sample; answers the sample's code.
export async function collect(page: Page, loteCodigo: string, quantidade: string): Promise<string> {
  const row = await findSample(page, loteCodigo);
  const codigo = (await row.getByRole("link", { name: /^AM-/ }).textContent())!.trim();
  await row.getByRole("link", { name: /^Coletar/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Amostra ${codigo}` })).toBeVisible();
  await page.getByLabel("Quantidade coletada").fill(quantidade);
  await page.getByRole("button", { name: "Registrar coleta" }).click();
  await expect(page.getByText("Coleta registrada.")).toBeVisible();
  return codigo;
}

// Enters the results in one go ("6,5" for a numeric ensaio; the expected text, "Não conforme"
// or any observed text for a qualitative one); answers each ensaio's conformity as the
// screen shows it after saving.
export async function enterResults(page: Page, loteCodigo: string,
                                   valores: Record<string, string>): Promise<Record<string, boolean>> {
  await openSample(page, loteCodigo);
  const table = page.locator(".results-table");
  for (const [codigo, valor] of Object.entries(valores)) {
    const field = table.getByLabel(new RegExp(`^Valor de .* \\(${escape(codigo)}\\)`));
    if ((await field.evaluate((el) => el.tagName)) === "SELECT") {
      const options = (await field.locator("option").allTextContents()).map((t) => t.trim());
      if (options.includes(valor)) {
        await field.selectOption({ label: valor });
      } else {
        await field.selectOption({ label: "Outro (descrever)…" });
        await table.getByLabel(new RegExp(`^Valor observado de .* \\(${escape(codigo)}\\)`)).fill(valor);
      }
    } else {
      await field.fill(valor);
    }
  }
  await page.getByRole("button", { name: "Salvar resultados" }).click();
  await expect(page.getByText(/resultados? salvos?:/)).toBeVisible();
  await settled(page);
  const out: Record<string, boolean> = {};
  for (const codigo of Object.keys(valores)) {
    const row = table.locator("tbody tr").filter({ hasText: `(${codigo})` });
    const current = row.locator(".current-result");
    await expect(current).toBeVisible();
    out[codigo] = !(await current.textContent())!.includes("Não conforme");
  }
  return out;
}

// Opens the lot's sample at its laudo section.
async function openLaudo(page: Page, loteCodigo: string): Promise<{ section: Locator; codigo: string }> {
  const codigo = await openSample(page, loteCodigo);
  const section = page.locator("#laudo");
  await expect(section.getByRole("heading", { level: 2, name: "Laudo" })).toBeVisible();
  return { section, codigo };
}

// Issues the signed laudo as a second analyst (four eyes); answers the sample's code.
export async function signLaudo(page: Page, loteCodigo: string, decisao: "aprovado" | "reprovado", motivo?: string,
                                signer = "analista2"): Promise<string> {
  if ((await currentUser(page)) !== signer) await signInAs(page, signer);
  const { section, codigo } = await openLaudo(page, loteCodigo);
  await section.getByRole("radio", { name: decisao === "aprovado" ? /^Aprovado/ : /^Reprovado/ }).check();
  if (motivo) await section.getByLabel(/^Motivo/).fill(motivo);
  await section.getByRole("button", { name: "Assinar laudo…" }).click();
  await sign(page);
  await expect(page.getByText(`Laudo emitido: ${decisao === "aprovado" ? "Aprovado" : "Reprovado"}.`)).toBeVisible();
  await expect(section.getByRole("list", { name: "Assinaturas" })).toContainText(
    decisao === "aprovado" ? "Aprovação" : "Reprovação",
  );
  return codigo;
}

// As the analyst who entered the results: the laudo is refused, in words, before any
// password is asked.
export async function expectFourEyesRefused(page: Page, loteCodigo: string): Promise<void> {
  const { section } = await openLaudo(page, loteCodigo);
  await expect(section.getByText(FOUR_EYES)).toBeVisible();
  await expect(section.getByRole("button", { name: "Assinar laudo…" })).toHaveCount(0);
}

// Opens a desvio on the OP (and optionally one of its lots); answers the desvio's code.
export async function openDesvio(page: Page, opCodigo: string,
                                 d: { classificacao: "menor" | "maior" | "critico"; descricao: string; lote?: string }): Promise<string> {
  await navigate(page, "Desvios");
  await page.getByRole("link", { name: "Abrir desvio" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Abrir desvio" })).toBeVisible();
  await settled(page);
  const op = page.getByLabel("Ordem de produção");
  await op.selectOption((await op.locator("option", { hasText: opCodigo }).getAttribute("value"))!);
  if (d.lote) {
    const lote = page.getByLabel("Lote", { exact: true });
    await lote.selectOption((await lote.locator("option", { hasText: d.lote }).getAttribute("value"))!);
  }
  const label = { menor: "Menor", maior: "Maior", critico: "Crítico" }[d.classificacao];
  await page.getByRole("radio", { name: label, exact: true }).check();
  await page.getByLabel("Descrição").fill(d.descricao);
  await page.getByRole("button", { name: "Abrir desvio" }).click();
  const heading = page.getByRole("heading", { level: 1, name: /^Desvio DSV-/ });
  await expect(heading).toBeVisible();
  return (await heading.textContent())!.replace("Desvio ", "").trim();
}

export interface ExcecaoVista {
  tipo: string; // as the screen names it: "Parâmetro fora dos limites", "Desvio"
  texto: string; // something its row shows (the step, the motivo, the desvio's description)
}

// Reviews the concluded order's batch record by exception: opens the order from the list,
// checks that each expected exception is listed, writes the observação and signs the review.
// Answers the exceptions' rows as the screen shows them.
export async function reviewBatchRecord(page: Page, opCodigo: string, observacao: string,
                                        excecoes: ExcecaoVista[] = []): Promise<string[]> {
  await openOrder(page, opCodigo);
  const section = page.locator("#revisao");
  await expect(section.getByRole("heading", { level: 2, name: "Revisão do registro de lote" })).toBeVisible();
  const table = section.getByRole("table", { name: "Exceções do registro de lote" });
  if (excecoes.length) {
    for (const e of excecoes) {
      await expect(table.getByRole("row").filter({ hasText: e.tipo }).filter({ hasText: e.texto })).toHaveCount(1);
    }
    await expect(table.locator("tbody tr")).toHaveCount(excecoes.length);
  } else {
    await expect(section.getByText("Nenhuma exceção: o registro está como a receita exige.")).toBeVisible();
  }
  await section.getByLabel("Observação").fill(observacao);
  await section.getByRole("button", { name: "Assinar revisão…" }).click();
  await expect(page.getByRole("dialog")).toContainText("Revisão");
  await sign(page);
  await expect(page.getByRole("status").filter({ hasText: `Registro de lote da ordem ${opCodigo} revisado e assinado.` })).toBeVisible();
  await expect(section.getByRole("list", { name: "Assinaturas" })).toContainText("Revisão");
  await expect(section.getByRole("button", { name: "Assinar revisão…" })).toHaveCount(0);
  return excecoes.length ? (await table.locator("tbody tr").allTextContents()).map((t) => t.trim()) : [];
}

// Closes the desvio with its signed review.
export async function closeDesvio(page: Page, desvioCodigo: string, conclusao: string, acaoCorretiva: string): Promise<void> {
  await navigate(page, "Desvios");
  await page.getByLabel("Status").selectOption({ label: "Aberto" });
  const row = await rowWith(page, desvioCodigo);
  await row.getByRole("link", { name: desvioCodigo }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Desvio ${desvioCodigo}` })).toBeVisible();
  await page.getByLabel("Conclusão").fill(conclusao);
  await page.getByLabel("Ação corretiva").fill(acaoCorretiva);
  await page.getByRole("button", { name: "Encerrar desvio…" }).click();
  await sign(page);
  await expect(page.getByText(`Desvio ${desvioCodigo} encerrado.`)).toBeVisible();
}

// Recalls the lot with a signed decision; answers the path of the recall report.
export async function recall(page: Page, loteCodigo: string, motivo: string): Promise<string> {
  await navigate(page, "Recolher lote");
  const lote = page.getByLabel("Lote", { exact: true });
  await lote.fill(loteCodigo);
  const found = page.getByRole("heading", { level: 2, name: `Lote ${loteCodigo}` });
  for (let i = 0; i < 30; i++) {
    await page.getByRole("button", { name: "Buscar" }).click();
    await settled(page);
    if (await found.isVisible()) break;
    await page.waitForTimeout(1000);
  }
  await expect(found).toBeVisible();
  await page.getByLabel("Motivo do recolhimento").fill(motivo);
  await page.getByRole("button", { name: "Recolher lote…" }).click();
  await sign(page);
  await expect(page.getByText(`Lote ${loteCodigo} recolhido`)).toBeVisible();
  const report = page.getByRole("link", { name: "Relatório de recolhimento" });
  return (await report.getAttribute("href"))!;
}

// Evaluates a pending return with a signed decision; answers its new status as shown.
export async function evaluateReturn(page: Page, devolucaoCodigo: string, decisao: "reintegrar" | "descartar",
                                     motivo: string): Promise<string> {
  await navigate(page, "Avaliar devoluções", "Avaliação de devoluções");
  const row = await rowWith(page, devolucaoCodigo);
  await row.getByRole("link", { name: /^Avaliar/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Devolução ${devolucaoCodigo}` })).toBeVisible();
  await settled(page);
  await page.getByRole("radio", { name: decisao === "reintegrar" ? /^Reintegrar/ : /^Descartar/ }).check();
  await page.getByLabel(/^Motivo/).fill(motivo);
  await page.getByRole("button", { name: "Assinar avaliação…" }).click();
  await sign(page);
  const notice = page.getByText(new RegExp(`Devolução ${escape(devolucaoCodigo)} avaliada: `));
  await expect(notice).toBeVisible();
  return (await notice.textContent())!.replace(/.*avaliada: /, "").replace(/\.$/, "");
}
