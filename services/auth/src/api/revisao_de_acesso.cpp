// The user access review for the periodic review (administrador, auditor): every account, its
// roles, its last sign-in, and who granted or withdrew what and when — JSON, CSV or printed.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "../storage/revisao_de_acesso.hpp"
#include "context.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/csv.hpp"
#include "pharmasys/http/printout.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/pdf/document.hpp"

namespace pharmasys::auth_service {
namespace {

// Of an audit record's fields, the ones that are access: roles and whether the account is active.
boost::json::value Access(const std::optional<std::string>& fields) {
  if (!fields) return nullptr;
  const auto parsed = json::Parse(*fields);
  if (!parsed.is_object()) return nullptr;
  boost::json::object out;
  for (const char* key : {"roles", "ativo"}) {
    if (const auto* v = parsed.as_object().if_contains(key)) out[key] = *v;
  }
  return out;
}

std::string Roles(const boost::json::value& roles) {
  if (!roles.is_array()) return "";
  std::string out;
  for (const auto& r : roles.as_array()) out += (out.empty() ? "" : ", ") + std::string(r.as_string());
  return out;
}

// "roles: a, b; ativo: sim" of an access object, or "" for none.
std::string Shown(const boost::json::value& access) {
  if (!access.is_object()) return "";
  std::string out;
  if (const auto* r = access.as_object().if_contains("roles")) out = Roles(*r);
  if (const auto* a = access.as_object().if_contains("ativo"); a != nullptr && a->is_bool()) {
    out += std::string(out.empty() ? "" : "; ") + (a->as_bool() ? "ativo" : "inativo");
  }
  return out;
}

std::string Text(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : v.is_null() ? "" : json::Serialize(v);
}

boost::json::object ReviewDocument(const std::vector<ContaRevista>& contas) {
  boost::json::array items;
  for (const auto& c : contas) {
    boost::json::array roles, concessoes;
    for (const auto& r : c.usuario.roles) roles.push_back(boost::json::string(r));
    for (const auto& g : c.concessoes) {
      concessoes.push_back(boost::json::object{{"acao", g.acao},
                                               {"em", g.em},
                                               {"por", g.por},
                                               {"por_nome", g.por_nome},
                                               {"antes", Access(g.antes)},
                                               {"depois", Access(g.depois)},
                                               {"motivo", json::ToJson(g.motivo)}});
    }
    items.push_back(boost::json::object{{"id", c.usuario.id},
                                        {"username", c.usuario.username},
                                        {"nome", c.usuario.nome},
                                        {"email", c.usuario.email},
                                        {"roles", std::move(roles)},
                                        {"ativo", c.usuario.ativo},
                                        {"criado_em", c.usuario.criado_em},
                                        {"bloqueado_ate", json::ToJson(c.usuario.bloqueado_ate)},
                                        {"ultimo_acesso_em", json::ToJson(c.ultimo_acesso_em)},
                                        {"concessoes", std::move(concessoes)}});
  }
  return {{"contas", std::move(items)}, {"gerado_em", clock::NowRfc3339()}};
}

std::string ReviewCsv(const boost::json::object& doc, const CsvFormat& format) {
  // One line per change of each account's access, with the account's present state.
  std::string out = CsvLine({"username", "nome", "email", "papeis", "ativo", "ultimo_acesso_em", "acao", "em", "por",
                             "antes", "depois", "motivo"},
                            format);
  for (const auto& item : doc.at("contas").as_array()) {
    const auto& c = item.as_object();
    std::vector<CsvCell> account{Text(c.at("username")),
                                 Text(c.at("nome")),
                                 Text(c.at("email")),
                                 Roles(c.at("roles")),
                                 c.at("ativo").as_bool() ? "sim" : "nao",
                                 Text(c.at("ultimo_acesso_em"))};
    const auto& changes = c.at("concessoes").as_array();
    if (changes.empty()) {
      auto line = account;
      line.insert(line.end(), {"", "", "", "", "", ""});
      out += CsvLine(line, format);
    }
    for (const auto& g : changes) {
      auto line = account;
      line.insert(line.end(), {Text(g.at("acao")), Text(g.at("em")), Text(g.at("por")), Shown(g.at("antes")),
                               Shown(g.at("depois")), Text(g.at("motivo"))});
      out += CsvLine(line, format);
    }
  }
  return out;
}

std::string ReviewPdf(const boost::json::object& doc, const std::string& hash) {
  return pdf::Render(
      {.title = "Revisão de acessos", .creator = "PharmaSys Auth", .footer = "Revisão de acessos — SHA-256 " + hash},
      [&](pdf::Page& page) {
        page.Text(page.left(), "Revisão periódica de acessos", 16, true);
        page.Down(20);
        page.Text(page.left(),
                  "Gerada em " + Text(doc.at("gerado_em")) + " — " +
                      std::to_string(doc.at("contas").as_array().size()) + " contas",
                  9.5);
        page.Down(18);
        for (const auto& item : doc.at("contas").as_array()) {
          const auto& c = item.as_object();
          page.Need(70);
          page.Rule();
          page.Down(14);
          page.Text(page.left(), Text(c.at("nome")) + " (" + Text(c.at("username")) + ")", 11, true);
          page.Down(14);
          page.Cell(page.left(), page.width(),
                    "Papéis: " + Roles(c.at("roles")) + " — " + (c.at("ativo").as_bool() ? "ativa" : "inativa") +
                        " — último acesso: " +
                        (c.at("ultimo_acesso_em").is_null() ? "nunca" : Text(c.at("ultimo_acesso_em"))),
                    9);
          page.Down(16);
          std::vector<std::vector<std::string>> rows;
          for (const auto& g : c.at("concessoes").as_array()) {
            const std::string por = Text(g.at("por_nome")).empty() ? Text(g.at("por")) : Text(g.at("por_nome"));
            rows.push_back({Text(g.at("em")), Text(g.at("acao")), por,
                            Shown(g.at("antes")).empty() ? Shown(g.at("depois"))
                                                         : Shown(g.at("antes")) + " → " + Shown(g.at("depois"))});
            if (!g.at("motivo").is_null()) rows.push_back({"Motivo: " + Text(g.at("motivo"))});
          }
          page.Table({{"Em", 105}, {"Ato", 115}, {"Por", 95}, {"Acesso", 0}}, rows, 7.5);
          page.Down(6);
        }
      });
}

}  // namespace

void AddAccessReviewRoutes(http::Router& router, AuthContext& ctx) {
  router.Get("/v1/usuarios/revisao-de-acesso", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"administrador", "auditor"});
    const auto csv = RequestedCsv(request);
    auto doc = ctx.db.Transact([&](pg::Transaction& tx) { return ReviewDocument(LerRevisaoDeAcesso(tx)); },
                               pg::Isolation::RepeatableRead);
    if (csv) return CsvResponse(ReviewCsv(doc, *csv), *csv, "revisao-de-acesso");
    const std::string hash = http::DocumentHash(doc);
    if (http::WantsPdf(request)) return http::PdfResponse(ReviewPdf(doc, hash), "revisao-de-acesso", hash);
    doc["hash"] = hash;
    return http::Response::Json(200, std::move(doc));
  });
}

}  // namespace pharmasys::auth_service
