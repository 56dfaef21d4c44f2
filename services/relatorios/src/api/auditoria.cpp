// The consolidated audit trail of every service (RULES.md A3, A4): queried, exported as CSV,
// and verified — each service re-computes its own chain, and the consolidated copy is checked
// on its own, record by record.
#include <boost/json/array.hpp>

#include <charconv>

#include "context.hpp"
#include "csv.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::relatorios {
namespace {

constexpr std::int64_t kCsvLimit = 200000;

constexpr pg::Query kTrail{
    "rel_auditoria_list",
    "SELECT posicao, registro::text FROM auditoria_consolidada WHERE ($1::text IS NULL OR servico = $1)"
    " AND ($2::text IS NULL OR entidade = $2) AND ($3::text IS NULL OR entidade_id = $3)"
    " AND ($4::text IS NULL OR usuario_username = $4) AND ($5::timestamptz IS NULL OR ocorrido_em >= $5::timestamptz)"
    " AND ($6::timestamptz IS NULL OR ocorrido_em < $6::timestamptz) AND ($7::bigint IS NULL OR posicao > $7::bigint)"
    " ORDER BY posicao LIMIT $8"};
constexpr pg::Query kCopy{"rel_auditoria_copia",
                          "SELECT registro::text FROM auditoria_consolidada WHERE servico = $1 AND sequencia > $2"
                          " ORDER BY sequencia LIMIT $3"};

struct Filters {
  std::optional<std::string> servico, entidade, entidade_id, usuario, de, ate;
};

Filters ReadFilters(const http::Request& request) {
  Filters f{request.Query("servico"), request.Query("entidade"), request.Query("entidade_id"),
            request.Query("usuario"), request.Query("de"),       request.Query("ate")};
  std::vector<FieldError> errors;
  for (auto [name, value] : {std::pair{"de", &f.de}, std::pair{"ate", &f.ate}}) {
    if (!*value) continue;
    // A date — whole UTC days: `de` from its first instant, `ate` through its last — or an
    // RFC 3339 instant with its offset.
    if (auto date = json::ParseDate(**value)) {
      auto day = std::chrono::sys_days(*date);
      if (std::string_view(name) == "ate") day += std::chrono::days(1);
      **value = json::FormatDate(std::chrono::year_month_day(day)) + "T00:00:00Z";
      continue;
    }
    const auto& text = value->value();
    const bool has_offset =
        text.ends_with("Z") || (text.size() > 6 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-'));
    if (text.size() < 20 || text[10] != 'T' || !json::ParseDate(text.substr(0, 10)) || !has_offset) {
      errors.push_back({name, "use YYYY-MM-DD ou um instante RFC 3339 com fuso (…Z)"});
    }
  }
  if (!errors.empty()) throw ValidationError(std::move(errors));
  return f;
}

std::string Text(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_null()) return "";
  return json::Serialize(v);
}

std::string CsvOf(const boost::json::object& r, const CsvFormat& format) {
  const auto& usuario = r.at("usuario");
  const auto& assinatura = r.at("assinatura");
  auto sig = [&](const char* key) { return assinatura.is_object() ? Text(assinatura.at(key)) : std::string(); };
  return CsvLine(
      {Text(r.at("servico")), CsvNumberOf(r.at("sequencia")), Text(r.at("id")), Text(r.at("ocorrido_em")),
       Text(usuario.at("username")), Text(usuario.at("nome")), Text(r.at("acao")), Text(r.at("entidade")),
       Text(r.at("entidade_id")), Text(r.at("antes")), Text(r.at("depois")), Text(r.at("motivo")), sig("nome"),
       sig("significado"), sig("em"), Text(r.at("request_id")), Text(r.at("hash_anterior")), Text(r.at("hash"))},
      format);
}

boost::json::object ReportJson(const audit::ChainReport& report) {
  boost::json::object out{{"registros", report.registros}, {"integra", report.integra}};
  if (report.primeiro_registro_invalido) {
    out["primeiro_registro_invalido"] = *report.primeiro_registro_invalido;
    out["motivo"] = report.motivo;
  }
  return out;
}

// The consolidated copy of one service's trail, checked on its own.
audit::ChainReport CheckCopy(pg::Pool& db, const std::string& servico) {
  audit::ChainChecker checker;
  std::int64_t after = 0;
  constexpr std::int64_t kPage = 5000;
  for (;;) {
    auto rows = db.Exec(kCopy, pg::Params(servico, after, kPage));
    for (int i = 0; i < rows.size(); ++i) {
      auto record = json::Parse(rows[i].Text(0)).as_object();
      after = record.at("sequencia").to_number<std::int64_t>();
      if (!checker.Add(record)) return checker.report();
    }
    if (rows.size() < kPage) break;
  }
  return checker.report();
}

}  // namespace

void AddAuditRoutes(http::Router& router, RelatoriosContext& ctx) {
  router.Get("/v1/relatorios/auditoria", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"administrador", "auditor"});
    auto f = ReadFilters(request);
    if (auto format = RequestedCsv(request)) {
      auto rows = ctx.db.Exec(
          kTrail, pg::Params(f.servico, f.entidade, f.entidade_id, f.usuario, f.de, f.ate, std::nullopt, kCsvLimit));
      std::string csv = CsvLine({"servico", "sequencia", "id", "ocorrido_em", "usuario", "usuario_nome", "acao",
                                 "entidade", "entidade_id", "antes", "depois", "motivo", "assinatura_nome",
                                 "assinatura_significado", "assinatura_em", "request_id", "hash_anterior", "hash"},
                                *format);
      for (int i = 0; i < rows.size(); ++i) csv += CsvOf(json::Parse(rows[i].Text(1)).as_object(), *format);
      auto res = CsvResponse(std::move(csv), *format, "trilha-de-auditoria");
      if (rows.size() == kCsvLimit) res.headers.Set("X-Truncado", std::to_string(kCsvLimit));
      return res;
    }
    auto limit = http::ListLimit(request);
    std::optional<std::int64_t> cursor;
    if (auto text = request.Query("cursor")) {
      std::int64_t value = 0;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
      if (ec != std::errc() || end != text->data() + text->size() || value < 0) {
        throw ValidationError(std::vector<FieldError>{{"cursor", "cursor inválido"}});
      }
      cursor = value;
    }
    auto rows = ctx.db.Exec(
        kTrail, pg::Params(f.servico, f.entidade, f.entidade_id, f.usuario, f.de, f.ate, cursor, limit + 1));
    boost::json::array items;
    for (int i = 0; i < rows.size() && i < limit; ++i) items.push_back(json::Parse(rows[i].Text(1)));
    std::optional<std::string> next;
    if (rows.size() > limit) next = rows[static_cast<int>(limit) - 1].String(0);
    return http::ListPage(std::move(items), next);
  });

  router.Get("/v1/relatorios/auditoria/verificacao", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"administrador", "auditor"});
    boost::json::array servicos;
    bool integra = true;
    auto add = [&](const std::string& servico, boost::json::object own) {
      auto copy = CheckCopy(ctx.db, servico);
      own["copia_consolidada"] = ReportJson(copy);
      integra = integra && own.at("integra").as_bool() && copy.integra;
      servicos.push_back(std::move(own));
    };
    for (const auto& [servico, url] : ctx.audit_sources) {
      http::ClientRequest call{http::Method::Get, url + "/auditoria/verificacao", {}, ""};
      call.headers.Set("Authorization", std::string(request.headers.GetOr("Authorization", "")));
      boost::json::object own{{"servico", servico}, {"registros", 0}, {"integra", false}};
      try {
        auto answer = ctx.client->Send(call, std::chrono::seconds(20));
        if (answer.status == 200) {
          own = json::Parse(answer.body).as_object();
        } else {
          own["erro"] = "o serviço respondeu HTTP " + std::to_string(answer.status);
        }
      } catch (const http::UpstreamError& e) {
        own["erro"] = "o serviço não respondeu: " + std::string(e.what());
      }
      add(servico, std::move(own));
    }
    // Relatórios' own chain, here.
    auto mine = audit::VerifyChain(ctx.db);
    boost::json::object own = ReportJson(mine);
    own["servico"] = "relatorios";
    own["pendentes"] = mine.pendentes;
    add("relatorios", std::move(own));
    if (!integra) log::Warn("a verificação da trilha de auditoria encontrou uma quebra");
    return http::Response::Json(200, boost::json::object{{"integra", integra}, {"servicos", std::move(servicos)}});
  });
}

}  // namespace pharmasys::relatorios
