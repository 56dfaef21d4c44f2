// Loss control (API.md Relatórios, `GET /v1/relatorios/perdas`): what the plant lost by
// material, cause and month, as JSON or CSV, and the lots it is about to lose (`evitaveis`).
#include <boost/json/array.hpp>

#include <chrono>

#include "../storage/perdas.hpp"
#include "context.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/csv.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::relatorios {
namespace {

constexpr pg::Query kHoje{"rel_hoje", "SELECT (now() AT TIME ZONE $1)::date::text"};

// `de` and `ate` as dates of the plant, both inclusive; by default the last twelve months:
// from the first day of the month eleven months back through today.
FiltroDePerdas ReadFilter(const http::Request& request, const std::string& hoje) {
  std::vector<FieldError> errors;
  auto date = [&](const char* name) -> std::optional<std::chrono::year_month_day> {
    auto text = request.Query(name);
    if (!text) return std::nullopt;
    auto parsed = json::ParseDate(*text);
    if (!parsed) errors.push_back({name, "use uma data YYYY-MM-DD"});
    return parsed;
  };
  auto de = date("de");
  auto ate = date("ate");
  std::optional<std::string> material = request.Query("material");
  if (material && material->empty()) errors.push_back({"material", "não pode ser vazio"});
  if (!errors.empty()) throw ValidationError(std::move(errors));
  const auto fim = ate.value_or(*json::ParseDate(hoje));
  const auto inicio = de.value_or(std::chrono::year_month_day{fim.year() / fim.month() / 1} - std::chrono::months{11});
  if (std::chrono::sys_days(inicio) > std::chrono::sys_days(fim)) {
    throw ValidationError(std::vector<FieldError>{{"de", "deve ser anterior ou igual a ate"}});
  }
  return {.de = json::FormatDate(inicio), .ate = json::FormatDate(fim), .material = material};
}

boost::json::value NomeOu(const std::optional<std::string>& nome) {
  return json::ToJson(nome);
}

}  // namespace

void AddLossRoutes(http::Router& router, RelatoriosContext& ctx) {
  router.Get("/v1/relatorios/perdas", [&ctx](http::Request& request) {
    const auto csv = RequestedCsv(request);
    return ctx.db.Transact(
        [&](pg::Transaction& tx) {
          const auto filtro = ReadFilter(request, tx.Exec(kHoje, pg::Params(ctx.fuso)).Single().String(0));
          const auto perdas = LerPerdas(tx, ctx.fuso, filtro);
          const auto evitaveis = LerPerdasEvitaveis(tx, ctx.fuso, filtro.material);
          if (csv) {
            // One table: each loss of a month, then each lot at risk as `evitavel` in the
            // month it expires.
            std::string body = CsvLine({"material", "material_nome", "unidade", "causa", "mes", "quantidade", "lotes",
                                        "lote_codigo", "validade"},
                                       *csv);
            for (const auto& p : perdas) {
              body += CsvLine({p.material, p.material_nome.value_or(""), p.unidade, p.causa, p.mes,
                               CsvNumber(p.quantidade.ToString()), CsvNumber(std::to_string(p.lotes)), "", ""},
                              *csv);
            }
            for (const auto& e : evitaveis) {
              body += CsvLine({e.material, e.material_nome.value_or(""), e.unidade, "evitavel", e.validade.substr(0, 7),
                               CsvNumber(e.em_risco.ToString()), CsvNumber("1"), e.lote_codigo, e.validade},
                              *csv);
            }
            return CsvResponse(std::move(body), *csv, "perdas-" + filtro.de + "-" + filtro.ate);
          }
          boost::json::array linhas, totais, em_risco;
          std::vector<PerdaDoMes> por_material;  // the lines summed per material and unit
          for (const auto& p : perdas) {
            linhas.push_back(boost::json::object{{"material", p.material},
                                                 {"material_nome", NomeOu(p.material_nome)},
                                                 {"unidade", p.unidade},
                                                 {"causa", p.causa},
                                                 {"mes", p.mes},
                                                 {"quantidade", json::ToJson(p.quantidade)},
                                                 {"lotes", p.lotes}});
            // The lines come by material: a material's lines are consecutive.
            if (por_material.empty() || por_material.back().material != p.material ||
                por_material.back().unidade != p.unidade) {
              por_material.push_back(p);
            } else {
              por_material.back().quantidade += p.quantidade;
            }
          }
          for (const auto& t : por_material) {
            totais.push_back(boost::json::object{{"material", t.material},
                                                 {"material_nome", NomeOu(t.material_nome)},
                                                 {"unidade", t.unidade},
                                                 {"quantidade", json::ToJson(t.quantidade)}});
          }
          for (const auto& e : evitaveis) {
            em_risco.push_back(boost::json::object{{"lote_id", e.lote_id},
                                                   {"lote_codigo", e.lote_codigo},
                                                   {"material", e.material},
                                                   {"material_nome", NomeOu(e.material_nome)},
                                                   {"unidade", e.unidade},
                                                   {"validade", e.validade},
                                                   {"saldo", json::ToJson(e.saldo)},
                                                   {"quantidade_em_risco", json::ToJson(e.em_risco)},
                                                   {"uso_por_dia", json::ToJson(e.uso_por_dia)},
                                                   {"alcancado_em", json::ToJson(e.alcancado_em)}});
          }
          return http::Response::Json(200, boost::json::object{{"de", filtro.de},
                                                               {"ate", filtro.ate},
                                                               {"material", json::ToJson(filtro.material)},
                                                               {"perdas", std::move(linhas)},
                                                               {"totais", std::move(totais)},
                                                               {"evitaveis", std::move(em_risco)},
                                                               {"dias_do_uso_recente", kDiasDoUsoRecente},
                                                               {"gerado_em", clock::NowRfc3339()}});
        },
        pg::Isolation::RepeatableRead);
  });
}

}  // namespace pharmasys::relatorios
