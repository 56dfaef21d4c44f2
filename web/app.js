// PharmaSys web: a thin client of the public API through the gateway. Tokens live in this
// tab's sessionStorage; every call carries them, every answer is rendered as text (never as
// HTML), and problems (RFC 9457) are shown as they come.
"use strict";

const session = {
  get token() { return sessionStorage.getItem("token"); },
  set token(v) { v ? sessionStorage.setItem("token", v) : sessionStorage.removeItem("token"); },
  me: null,
};

// ---- the API ----------------------------------------------------------------------------

async function api(path, { accept = "application/json" } = {}) {
  const res = await fetch(path, { headers: { Authorization: "Bearer " + session.token, Accept: accept } });
  if (res.status === 401) { logout(); throw new Error("Sessão expirada: entre de novo."); }
  if (!res.ok) {
    let detail = res.status + " " + res.statusText;
    try { const p = await res.json(); detail = p.detail || p.title || detail; } catch (_) {}
    throw new Error(detail);
  }
  return accept === "application/json" ? res.json() : res.blob();
}

// A write: a fresh Idempotency-Key per action (a retried click is the same action only when
// the same key is sent again, which the browser never does by itself).
async function send(method, path, body, headers = {}) {
  const res = await fetch(path, {
    method,
    headers: { Authorization: "Bearer " + session.token, "Content-Type": "application/json",
               "Idempotency-Key": crypto.randomUUID(), ...headers },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) {
    const fields = (answer.errors || []).map((e) => `${e.campo}: ${e.mensagem}`).join("; ");
    throw new Error((answer.detail || answer.title || res.statusText) + (fields ? " — " + fields : ""));
  }
  return answer;
}

// An electronic signature (21 CFR Part 11 §11.200): the password again, for this record and
// this meaning only; the token is spent by the act it signs.
async function sign(recurso, significado, senha) {
  const answer = await send("POST", "/v1/auth/assinaturas", { senha, recurso, significado });
  return answer.assinatura_token;
}

async function download(path, accept, filename) {
  const blob = await api(path, { accept });
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: filename });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function login(username, password) {
  const body = new URLSearchParams({ grant_type: "password", username, password, client_id: "pharmasys-web" });
  const res = await fetch("/v1/auth/token", { method: "POST", body });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(answer.error_description || "Usuário ou senha inválidos.");
  session.token = answer.access_token;
}

function logout() { session.token = null; session.me = null; show(); }

// ---- building the page (text only) --------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "onclick" || k === "onsubmit" || k === "onchange") node[k] = v;
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}
const tag = (text) => el("span", { class: "tag " + text }, text);
const fmt = (v) => (v === null || v === undefined ? "—" : String(v));
const date = (iso) => (iso ? new Date(iso).toLocaleString("pt-BR") : "—");

function table(headers, rows) {
  if (!rows.length) return el("p", { class: "muted" }, "Nada a mostrar.");
  return el("table", {}, el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", {}, c))))));
}

function render(...nodes) {
  const view = document.getElementById("view");
  view.replaceChildren(...nodes);
}

async function guarded(work) {
  try { await work(); } catch (e) { render(el("div", { class: "card error" }, e.message)); }
}

// ---- views ---------------------------------------------------------------------------------

const views = {
  async painel() {
    const p = await api("/v1/relatorios/painel");
    const counter = (label, value) => el("div", { class: "counter" }, el("b", {}, String(value)), label);
    render(el("h1", {}, "Painel"),
      el("h2", {}, "Lotes"), el("div", { class: "counters" },
        Object.entries(p.lotes_por_status).map(([s, n]) => counter(s, n))),
      el("h2", {}, "Ordens de produção"), el("div", { class: "counters" },
        Object.entries(p.ops_por_status).map(([s, n]) => counter(s, n))),
      el("h2", {}, "Alertas"), el("div", { class: "counters" },
        counter("desvios abertos", p.desvios_abertos), counter("lotes vencendo em 30 dias", p.lotes_vencendo_30_dias),
        counter("lotes vencendo em 90 dias", p.lotes_vencendo_90_dias)),
      el("p", { class: "muted" }, "Atualizado em " + date(p.gerado_em)));
  },

  async estoque() {
    const s = await api("/v1/estoque/saldos?limit=200");
    render(el("h1", {}, "Estoque (ordem FEFO)"),
      table(["Lote", "Material", "Quantidade", "Reservada", "Disponível", "Validade", "Situação"],
        s.items.map((l) => [l.lote_codigo, l.material, `${l.quantidade} ${l.unidade}`, fmt(l.reservada),
          fmt(l.disponivel), l.validade + (l.vencido ? " (vencido)" : ""), tag(l.status)])));
  },

  async amostras() {
    const s = await api("/v1/amostras?limit=200");
    const panel = el("div");
    const act = (label, a, form) => el("button", { class: "link", onclick: () => panel.replaceChildren(form(a)) }, label);
    const actions = (a) => {
      if (a.status === "aguardando_coleta") return act("registrar coleta", a, collectForm);
      if (a.status === "coletada" || a.status === "em_analise") {
        return el("span", {}, act("resultado", a, resultForm), " · ", act("emitir laudo", a, laudoForm));
      }
      return "";
    };
    render(el("h1", {}, "Amostras"), panel,
      table(["Amostra", "Lote", "Material", "Situação", "Resultados", "Laudo", ""],
        s.items.map((a) => [a.codigo, a.lote ? a.lote.codigo : a.lote_id, a.lote ? a.lote.material : "—",
          tag(a.status),
          a.resultados.map((r) => `${r.ensaio}: ${r.valor}${r.conforme ? "" : " (fora)"}`).join("; ") || "—",
          a.laudo
            ? el("span", {}, tag(a.laudo.decisao), " ",
                el("button", { class: "link", onclick: () => guarded(() => download(`/v1/laudos/${a.laudo.id}`,
                  "application/pdf", `laudo-${a.lote ? a.lote.codigo : a.codigo}.pdf`)) }, "certificado (PDF)"))
            : "—",
          actions(a)])));
  },

  async ordens() {
    const s = await api("/v1/ordens-producao?limit=200");
    render(el("h1", {}, "Ordens de produção"),
      table(["OP", "Produto", "Quantidade", "Situação", "Etapas registradas", "Desvios abertos", "Lotes"],
        s.items.map((o) => [o.codigo, o.produto, fmt(o.quantidade), tag(o.status),
          `${o.etapas.filter((e) => e.registro).length} de ${o.etapas.length}`, fmt(o.desvios_abertos),
          o.lotes.map((l) => `${l.codigo} (${l.status})`).join(", ") || "—"])));
  },

  async rastreabilidade() {
    const result = el("div");
    const form = el("form", { class: "card inline", onsubmit: (e) => {
      e.preventDefault();
      const codigo = form.codigo.value.trim();
      guardedInto(result, () => trace(codigo, form.direcao.value, result));
    } },
      el("label", {}, "Código do lote ", el("input", { name: "codigo", required: "" })), " ",
      el("select", { name: "direcao" }, ["ambos", "ascendente", "descendente"].map((d) => el("option", {}, d))), " ",
      el("button", { type: "submit" }, "Rastrear"));
    render(el("h1", {}, "Rastreabilidade"), form, result);
  },

  async auditoria() {
    const v = await api("/v1/relatorios/auditoria/verificacao");
    const trail = await api("/v1/relatorios/auditoria?limit=100");
    render(el("h1", {}, "Auditoria"),
      el("div", { class: "card" }, el("h2", {}, "Verificação das cadeias de hash: ", tag(v.integra ? "ok" : "falha")),
        table(["Serviço", "Registros", "Íntegra", "Cópia consolidada", "Primeiro registro inválido"],
          v.servicos.map((s) => [s.servico, fmt(s.registros), tag(s.integra ? "ok" : "falha"),
            tag(s.copia_consolidada.integra ? "ok" : "falha"),
            fmt(s.primeiro_registro_invalido ?? s.copia_consolidada.primeiro_registro_invalido ?? s.erro)]))),
      el("div", { class: "card" }, el("h2", {}, "Registros mais antigos primeiro"),
        el("button", { onclick: () => guarded(() => download("/v1/relatorios/auditoria", "text/csv",
          "trilha-de-auditoria.csv")) }, "Exportar a trilha (CSV)"),
        table(["Quando", "Serviço", "Usuário", "Ação", "Entidade", "Motivo", "Assinatura"],
          trail.items.map((r) => [date(r.ocorrido_em), r.servico, r.usuario.username, r.acao,
            `${r.entidade} ${r.entidade_id}`, fmt(r.motivo),
            r.assinatura ? `${r.assinatura.nome} — ${r.assinatura.significado}, ${date(r.assinatura.em)}` : "—"]))));
  },
};

async function guardedInto(container, work) {
  try { await work(); } catch (e) { container.replaceChildren(el("div", { class: "card error" }, e.message)); }
}

async function trace(codigo, direcao, container) {
  const t = await api(`/v1/relatorios/rastreabilidade/${encodeURIComponent(codigo)}?direcao=${direcao}`);
  const l = t.lote;
  const parts = [el("div", { class: "card" },
    el("h2", {}, `Lote ${l.codigo} `, tag(l.status)),
    el("p", {}, `${l.material}${l.material_nome ? " — " + l.material_nome : ""} · ${l.quantidade} ${l.unidade} · ` +
      `validade ${l.validade} · origem ${l.origem}${l.op_codigo ? " (" + l.op_codigo + ")" : ""}` +
      `${l.fornecedor ? " · fornecedor " + l.fornecedor : ""}`),
    table(["Laudo", "Emitido por", "Assinatura"], t.laudos.map((x) => [tag(x.decisao), x.emitido_por,
      `${x.assinatura.nome} — ${x.assinatura.significado}, ${date(x.assinatura.em)}`])),
    el("button", { onclick: () => guarded(() => download(`/v1/relatorios/recolhimento/${encodeURIComponent(l.codigo)}`,
      "text/csv", `recolhimento-${l.codigo}.csv`)) }, "Relatório de recolhimento (CSV)"))];
  if (t.ascendente) {
    parts.push(el("div", { class: "card" }, el("h2", {}, "De onde veio (insumos)"),
      table(["Nível", "Lote", "Material", "Quantidade", "OP"],
        t.ascendente.map((a) => [fmt(a.nivel), a.lote_codigo, a.material, fmt(a.quantidade), fmt(a.op_codigo)]))));
  }
  if (t.descendente) {
    parts.push(el("div", { class: "card" }, el("h2", {}, "Para onde foi"),
      table(["Nível", "Lote", "Material", "Situação", "OP"],
        t.descendente.lotes.map((d) => [fmt(d.nivel), d.lote_codigo, d.material, tag(d.status), fmt(d.op_codigo)])),
      el("h2", {}, "Expedições e clientes"),
      table(["Confirmada em", "Cliente", "Documento", "Lote", "Quantidade"],
        t.descendente.expedicoes.map((e) => [date(e.confirmada_em), e.cliente.nome, e.cliente.documento,
          e.lote_codigo, fmt(e.quantidade)]))));
  }
  parts.push(el("div", { class: "card" }, el("h2", {}, "Linha do tempo"),
    table(["Quando", "Evento", "Usuário"], t.linha_do_tempo.map((e) => [date(e.ocorrido_em), e.tipo, fmt(e.usuario)]))));
  container.replaceChildren(...parts);
}

// ---- QC actions -----------------------------------------------------------------------------

// A small form: `fields` are [name, label, attributes]; `submit` gets the values.
function actionForm(title, fields, submitLabel, submit) {
  const message = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card", onsubmit: async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    try { await submit(values); await show(); } catch (err) { message.textContent = err.message; }
  } },
    el("h2", {}, title),
    fields.map(([name, label, attrs = {}]) =>
      attrs.options
        ? el("label", {}, label + " ", el("select", { name }, attrs.options.map((o) => el("option", { value: o }, o))))
        : el("label", {}, label, el("input", { name, ...attrs }))),
    el("button", { type: "submit" }, submitLabel), message);
  return form;
}

// A JSON number when the text is one (quantities and measurements), the text otherwise.
const numberOrText = (text) => (/^-?\d+([.,]\d+)?$/.test(text.trim()) ? Number(text.trim().replace(",", ".")) : text);

function collectForm(a) {
  return actionForm(`Coleta da amostra ${a.codigo}`,
    [["quantidade", "Quantidade coletada", { required: "", inputmode: "decimal" }], ["observacao", "Observação"]],
    "Registrar coleta",
    (v) => send("POST", `/v1/amostras/${a.id}/coleta`, { quantidade: numberOrText(v.quantidade), observacao: v.observacao }));
}

function resultForm(a) {
  const ensaios = a.especificacao ? a.especificacao.ensaios.map((e) => e.codigo) : null;
  return actionForm(`Resultado da amostra ${a.codigo}`,
    [ensaios ? ["ensaio", "Ensaio", { options: ensaios }] : ["ensaio", "Ensaio (código)", { required: "" }],
     ["valor", "Valor (número, ou o texto observado)", { required: "" }],
     ["motivo", "Motivo (só para corrigir um resultado já registrado)"]],
    "Registrar resultado",
    (v) => send("POST", `/v1/amostras/${a.id}/resultados`,
      { ensaio: v.ensaio, valor: numberOrText(v.valor), ...(v.motivo ? { motivo: v.motivo } : {}) }));
}

function laudoForm(a) {
  return actionForm(`Laudo da amostra ${a.codigo} — assinatura eletrônica`,
    [["decisao", "Decisão", { options: ["aprovado", "reprovado"] }], ["observacao", "Observação"],
     ["motivo", "Motivo (obrigatório para reprovar)"],
     ["senha", "Sua senha (assina este laudo, e só este)", { type: "password", required: "", autocomplete: "current-password" }]],
    "Assinar e emitir",
    async (v) => {
      const token = await sign(`amostra:${a.id}`, v.decisao === "aprovado" ? "aprovacao" : "reprovacao", v.senha);
      await send("POST", "/v1/laudos",
        { amostra_id: a.id, decisao: v.decisao, observacao: v.observacao, ...(v.motivo ? { motivo: v.motivo } : {}) },
        { "X-Assinatura": token });
    });
}

// ---- navigation ----------------------------------------------------------------------------

async function show() {
  const logged = Boolean(session.token);
  document.getElementById("login").hidden = logged;
  document.getElementById("view").hidden = !logged;
  document.getElementById("nav").hidden = !logged;
  const who = document.getElementById("who");
  if (!logged) { who.replaceChildren(); return; }
  if (!session.me) session.me = await api("/v1/auth/me").catch(() => null);
  who.replaceChildren(session.me ? `${session.me.nome || session.me.username} (${(session.me.roles || []).join(", ")}) ` : "",
    el("button", { class: "link", onclick: logout }, "sair"));
  const name = (location.hash || "#painel").slice(1);
  for (const a of document.querySelectorAll("header nav a")) a.classList.toggle("active", a.hash === "#" + name);
  await guarded(() => (views[name] || views.painel)());
}

document.getElementById("login-form").onsubmit = async (e) => {
  e.preventDefault();
  const f = e.target;
  try {
    await login(f.username.value, f.password.value);
    f.password.value = "";
    document.getElementById("login-error").textContent = "";
    await show();
  } catch (err) {
    document.getElementById("login-error").textContent = err.message;
  }
};
window.addEventListener("hashchange", show);
show();
