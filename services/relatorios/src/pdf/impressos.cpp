#include "impressos.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <set>

#include "pharmasys/json/json.hpp"
#include "pharmasys/pdf/document.hpp"

namespace pharmasys::relatorios {
namespace {

// A JSON value as printed: strings bare, null as "—", numbers and the rest as JSON.
std::string Shown(const boost::json::value* v) {
  if (v == nullptr || v->is_null()) return "—";
  if (v->is_string()) return std::string(v->as_string());
  return json::Serialize(*v);
}
std::string Field(const boost::json::object& o, const char* key) {
  return Shown(o.if_contains(key));
}
const boost::json::array& ArrayOf(const boost::json::object& o, const char* key) {
  static const boost::json::array kEmpty;
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? v->as_array() : kEmpty;
}

std::string Limits(const boost::json::object& parametro) {
  const auto* min = parametro.if_contains("minimo");
  const auto* max = parametro.if_contains("maximo");
  const bool has_min = min != nullptr && !min->is_null(), has_max = max != nullptr && !max->is_null();
  if (has_min && has_max) return Shown(min) + " a " + Shown(max);
  if (has_min) return "≥ " + Shown(min);
  if (has_max) return "≤ " + Shown(max);
  return "—";
}

std::string Meaning(const std::string& significado) {
  if (significado == "aprovacao") return "aprovação";
  if (significado == "reprovacao") return "reprovação";
  if (significado == "revisao") return "revisão";
  if (significado == "recolhimento") return "recolhimento";
  if (significado == "liberacao") return "liberação";
  if (significado == "execucao") return "execução";
  return significado;
}

// The manifestation of an electronic signature (21 CFR Part 11 §11.50): name, instant, meaning.
void Signature(pdf::Page& page, const boost::json::value* assinatura, const std::string& what) {
  if (assinatura == nullptr || !assinatura->is_object()) return;
  const auto& a = assinatura->as_object();
  page.Paragraph("Assinatura eletrônica (" + what + "):",
                 Field(a, "nome") + " — " + Field(a, "em") + " — significado: " + Meaning(Field(a, "significado")),
                 8.5);
}

void Heading(pdf::Page& page, const std::string& text) {
  page.Need(40);
  page.Down(8);
  page.Text(page.left(), text, 12, true);
  page.Down(6);
  page.Rule();
  page.Down(14);
}

void Pair(pdf::Page& page, const std::string& label, const std::string& value) {
  page.Need(14);
  page.Text(page.left(), label + ":", 9.5, true);
  page.Cell(page.left() + 120, page.width() - 120, value, 9.5);
  page.Down(13);
}

}  // namespace

std::string BatchRecordPdf(const boost::json::object& registro, const std::string& hash) {
  const auto& op = registro.at("ordem_producao").as_object();
  const std::string codigo = Field(op, "codigo");
  // Where the exceptions fall: the steps and parameters flagged, for highlighting.
  std::set<std::pair<std::int64_t, std::string>> flagged;
  for (const auto& e : ArrayOf(op, "etapas")) {
    const auto* r = e.as_object().if_contains("registro");
    if (r == nullptr || !r->is_object()) continue;
    for (const auto& f : ArrayOf(r->as_object(), "fora_dos_limites")) {
      flagged.emplace(e.at("ordem").to_number<std::int64_t>(), std::string(f.at("parametro").as_string()));
    }
  }
  return pdf::Render(
      {.title = "Registro de lote " + codigo,
       .creator = "PharmaSys Relatórios",
       .footer = "Registro de lote " + codigo + " — SHA-256 " + hash},
      [&](pdf::Page& page) {
        page.Text(page.left(), "PharmaSys — Registro de lote (batch record)", 9);
        page.Down(22);
        page.Text(page.left(), "REGISTRO DE LOTE — " + codigo, 16, true);
        page.Down(10);
        page.Rule(1.0);
        page.Down(18);
        Pair(page, "Produto", Field(op, "produto"));
        Pair(page, "Quantidade", Field(op, "quantidade"));
        Pair(page, "Receita", Field(op, "receita_id") + " (versão " + Field(op, "receita_versao") + ")");
        Pair(page, "Status", Field(op, "status"));
        Pair(page, "Criada", Field(op, "criado_em") + " por " + Field(op, "criado_por"));
        Pair(page, "Iniciada", Field(op, "iniciada_em"));
        Pair(page, "Concluída", Field(op, "concluida_em"));
        if (!op.at("cancelada_em").is_null()) {
          Pair(page, "Cancelada", Field(op, "cancelada_em") + " — motivo: " + Field(op, "motivo_cancelamento"));
        }
        Pair(page, "Impresso em", Field(registro, "gerado_em"));

        Heading(page, "Etapas e parâmetros");
        const double cols[] = {page.left(), page.left() + 150, page.left() + 220, page.left() + 300};
        for (const auto& e : ArrayOf(op, "etapas")) {
          const auto& etapa = e.as_object();
          const auto ordem = etapa.at("ordem").to_number<std::int64_t>();
          page.Need(40);
          page.Text(page.left(), "Etapa " + std::to_string(ordem) + " — " + Field(etapa, "nome"), 10.5, true);
          page.Down(14);
          const auto* r = etapa.if_contains("registro");
          if (r == nullptr || !r->is_object()) {
            page.Text(page.left() + 10, "Sem registro.", 9);
            page.Down(14);
            continue;
          }
          const auto& reg = r->as_object();
          page.Cell(cols[0], 145, "Parâmetro", 8.5, true);
          page.Cell(cols[1], 65, "Valor", 8.5, true);
          page.Cell(cols[2], 75, "Limites", 8.5, true);
          page.Cell(cols[3], page.width() - 250, "Situação", 8.5, true);
          page.Down(12);
          const auto& valores = reg.at("parametros").as_object();
          for (const auto& p : ArrayOf(etapa, "parametros")) {
            const auto& parametro = p.as_object();
            const std::string nome = Field(parametro, "nome");
            const bool fora = flagged.count({ordem, nome}) != 0;
            page.Need(13);
            if (fora) page.Highlight(12);
            std::string unidade = parametro.contains("unidade") ? " " + Field(parametro, "unidade") : "";
            page.Cell(cols[0], 145, nome, 9);
            page.Cell(cols[1], 65, Shown(valores.if_contains(nome)) + unidade, 9, fora);
            page.Cell(cols[2], 75, Limits(parametro), 9);
            page.Cell(cols[3], page.width() - 250, fora ? "EXCEÇÃO: fora dos limites" : "dentro dos limites", 9, fora);
            page.Down(13);
          }
          if (!reg.at("motivo").is_null()) page.Paragraph("Motivo:", Field(reg, "motivo"), 9);
          if (!reg.at("observacao").is_null()) page.Paragraph("Observação:", Field(reg, "observacao"), 9);
          page.Need(13);
          page.Text(page.left() + 10,
                    "Registrado por " + Field(reg, "registrado_por") + " em " + Field(reg, "registrado_em"), 8.5);
          page.Down(16);
        }

        Heading(page, "Consumo de insumos (FEFO)");
        if (ArrayOf(op, "consumos").empty()) {
          page.Text(page.left(), "Nenhum consumo registrado.", 9);
          page.Down(14);
        }
        for (const auto& c : ArrayOf(op, "consumos")) {
          const auto& consumo = c.as_object();
          page.Need(28);
          page.Text(page.left(),
                    Field(consumo, "material") + " — " + Field(consumo, "quantidade") + " — por " +
                        Field(consumo, "criado_por") + " em " + Field(consumo, "criado_em"),
                    9.5, true);
          page.Down(13);
          for (const auto& l : ArrayOf(consumo, "lotes")) {
            page.Need(13);
            page.Text(page.left() + 10,
                      "Lote " + Field(l.as_object(), "lote_codigo") + ": " + Field(l.as_object(), "quantidade") +
                          " (validade " + Field(l.as_object(), "validade") + ")",
                      9);
            page.Down(13);
          }
        }

        Heading(page, "Lotes produzidos");
        for (const auto& l : ArrayOf(op, "lotes")) {
          const auto& lote = l.as_object();
          page.Need(28);
          page.Text(page.left(),
                    "Lote " + Field(lote, "codigo") + " — " + Field(lote, "quantidade") + " " + Field(lote, "unidade") +
                        " — fabricação " + Field(lote, "data_fabricacao") + " — validade " + Field(lote, "validade"),
                    9.5, true);
          page.Down(13);
          page.Text(page.left() + 10,
                    "Situação: " + Field(lote, "status") + "; resultado do CQ: " + Field(lote, "resultado_cq"), 9);
          page.Down(13);
          for (const auto& laudo : ArrayOf(lote, "laudos")) {
            page.Need(13);
            page.Text(page.left() + 10,
                      "Laudo " + Field(laudo.as_object(), "decisao") + " por " +
                          Field(laudo.as_object(), "emitido_por") + " em " + Field(laudo.as_object(), "emitido_em"),
                      9);
            page.Down(13);
            Signature(page, laudo.as_object().if_contains("assinatura"), "laudo");
          }
        }

        Heading(page, "Desvios");
        if (ArrayOf(registro, "desvios").empty()) {
          page.Text(page.left(), "Nenhum desvio.", 9);
          page.Down(14);
        }
        for (const auto& d : ArrayOf(registro, "desvios")) {
          const auto& desvio = d.as_object();
          page.Need(14);
          page.Highlight(12);
          page.Cell(page.left(), page.width(),
                    "Desvio " + Field(desvio, "classificacao") + ": " + Field(desvio, "descricao"), 9, true);
          page.Down(13);
          page.Need(13);
          page.Text(page.left() + 10,
                    "Aberto em " + Field(desvio, "aberto_em") + "; " + Field(desvio, "status") +
                        (desvio.at("encerrado_em").is_null() ? "" : " em " + Field(desvio, "encerrado_em")),
                    8.5);
          page.Down(15);
        }

        Heading(page, "Exceções (revisão por exceção, RULES G1)");
        if (ArrayOf(registro, "excecoes").empty()) {
          page.Text(page.left(), "Nenhuma exceção: o registro segue a receita.", 9);
          page.Down(14);
        }
        for (const auto& x : ArrayOf(registro, "excecoes")) {
          const auto& e = x.as_object();
          page.Need(26);
          page.Highlight(12);
          page.Cell(page.left(), page.width(), Field(e, "descricao"), 9, true);
          page.Down(12);
          std::string who = Field(e, "registrado_por") + " em " + Field(e, "registrado_em");
          if (!e.at("motivo").is_null()) who += " — motivo: " + Field(e, "motivo");
          page.Cell(page.left() + 10, page.width() - 10, who, 8.5);
          page.Down(14);
        }

        Heading(page, "Revisão do registro de lote");
        const auto* revisao = registro.if_contains("revisao");
        if (revisao == nullptr || !revisao->is_object()) {
          page.Text(page.left(), "NÃO REVISADO: o lote não pode ser aprovado pelo CQ antes da revisão assinada.", 9.5,
                    true);
          page.Down(14);
        } else {
          const auto& r = revisao->as_object();
          page.Text(page.left(),
                    "Revisado por " + Field(r, "revisado_por") + " em " + Field(r, "revisado_em") + "; " +
                        Field(r, "excecoes") + " exceção(ões) avaliada(s).",
                    9.5);
          page.Down(14);
          Signature(page, r.if_contains("assinatura"), "revisão do registro de lote");
        }
        page.Down(10);
        page.Need(30);
        page.Text(page.left(),
                  "Assinaturas com reautenticação, vinculadas aos seus registros (21 CFR Part 11 §11.50, §11.70).",
                  7.5);
        page.Down(10);
        page.Text(page.left(), "SHA-256 do registro: " + hash, 7.5);
      });
}

std::string AuditHistoryPdf(const boost::json::object& historico, const std::string& hash) {
  const std::string alvo = Field(historico, "entidade") + " " + Field(historico, "entidade_id");
  return pdf::Render(
      {.title = "Histórico de auditoria — " + alvo,
       .creator = "PharmaSys Relatórios",
       .footer = "Histórico de " + alvo + " — SHA-256 " + hash},
      [&](pdf::Page& page) {
        page.Text(page.left(), "PharmaSys — Trilha de auditoria", 9);
        page.Down(22);
        page.Text(page.left(), "HISTÓRICO DE AUDITORIA", 16, true);
        page.Down(16);
        page.Cell(page.left(), page.width(), alvo, 10.5, true);
        page.Down(10);
        page.Rule(1.0);
        page.Down(16);
        Pair(page, "Registros", std::to_string(ArrayOf(historico, "items").size()));
        Pair(page, "Impresso em", Field(historico, "gerado_em"));
        for (const auto& i : ArrayOf(historico, "items")) {
          const auto& item = i.as_object();
          const auto& usuario = item.at("usuario").as_object();
          page.Need(44);
          page.Down(6);
          page.Text(page.left(), Field(item, "ocorrido_em") + " — " + Field(item, "acao"), 10, true);
          page.Down(13);
          page.Text(page.left() + 10,
                    "Por " + Field(usuario, "nome") + " (" + Field(usuario, "username") + "), " +
                        Field(item, "servico") + " nº " + Field(item, "sequencia"),
                    8.5);
          page.Down(12);
          if (!item.at("motivo").is_null()) page.Paragraph("Motivo:", Field(item, "motivo"), 9);
          for (const auto& a : ArrayOf(item, "alteracoes")) {
            const auto& alteracao = a.as_object();
            page.Need(13);
            page.Cell(page.left() + 10, 120, Field(alteracao, "campo"), 9, true);
            page.Cell(page.left() + 135, page.width() - 135,
                      Shown(alteracao.if_contains("antes")) + "  →  " + Shown(alteracao.if_contains("depois")), 9);
            page.Down(12);
          }
          Signature(page, item.if_contains("assinatura"), Field(item, "acao"));
          page.Down(4);
          page.Rule(0.25);
          page.Down(8);
        }
      });
}

std::string SignatureLogPdf(const boost::json::object& registro, const std::string& hash) {
  const auto* de = registro.if_contains("de");
  const auto* ate = registro.if_contains("ate");
  const bool from = de != nullptr && !de->is_null(), to = ate != nullptr && !ate->is_null();
  const std::string periodo = from && to ? "de " + Shown(de) + " até " + Shown(ate)
                              : from     ? "desde " + Shown(de)
                              : to       ? "até " + Shown(ate)
                                         : "todo o registro";
  return pdf::Render(
      {.title = "Registro de assinaturas eletrônicas",
       .creator = "PharmaSys Relatórios",
       .footer = "Assinaturas eletrônicas — SHA-256 " + hash},
      [&](pdf::Page& page) {
        page.Text(page.left(), "Registro de assinaturas eletrônicas", 16, true);
        page.Down(22);
        Pair(page, "Período", periodo);
        if (const auto* u = registro.if_contains("usuario"); u != nullptr && !u->is_null()) {
          Pair(page, "Usuário", Shown(u));
        }
        Pair(page, "Assinaturas", std::to_string(ArrayOf(registro, "items").size()));
        if (const auto* t = registro.if_contains("truncado"); t != nullptr && t->is_bool() && t->as_bool()) {
          Pair(page, "Atenção", "lista truncada no limite; restrinja o período");
        }
        Pair(page, "Gerado em", Field(registro, "gerado_em"));
        Heading(page, "Assinaturas, da mais antiga à mais recente");
        std::vector<std::vector<std::string>> rows;
        for (const auto& item : ArrayOf(registro, "items")) {
          const auto& a = item.as_object();
          rows.push_back({Field(a, "em"), Field(a, "nome") + " (" + Field(a, "usuario") + ")",
                          Meaning(Field(a, "significado")), Field(a, "servico") + " · " + Field(a, "acao")});
          std::string note = "Registro: " + Field(a, "entidade") + " " + Field(a, "entidade_id");
          if (!a.at("motivo").is_null()) note += " — motivo: " + Field(a, "motivo");
          rows.push_back({note});
        }
        if (rows.empty()) {
          page.Text(page.left(), "Nenhuma assinatura no período.", 9.5);
          page.Down(14);
          return;
        }
        page.Table({{"Assinada em", 110}, {"Assinante", 170}, {"Significado", 70}, {"Ato", 0}}, rows, 8);
      });
}

}  // namespace pharmasys::relatorios
