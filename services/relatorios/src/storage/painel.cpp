#include "painel.hpp"

#include <chrono>

#include "perdas.hpp"
#include "pharmasys/json/fields.hpp"

namespace pharmasys::relatorios {
namespace {

constexpr pg::Query kExpiring{
    "rel_vencimentos",
    "SELECT l.id, l.codigo, l.material, m.nome, l.status, l.validade::text, l.quantidade, l.unidade,"
    " l.validade - (now() AT TIME ZONE $1)::date FROM lotes l LEFT JOIN materiais m ON m.codigo = l.material"
    " WHERE l.status IN ('quarentena', 'liberado') AND l.validade >= (now() AT TIME ZONE $1)::date"
    " AND l.validade <= (now() AT TIME ZONE $1)::date + $2::integer"
    " AND ($3::uuid IS NULL OR (l.validade, l.id) > (SELECT validade, id FROM lotes WHERE id = $3::uuid))"
    " ORDER BY l.validade, l.id LIMIT $4"};
constexpr pg::Query kLotsByStatus{"rel_painel_lotes", "SELECT status, count(*) FROM lotes GROUP BY status"};
constexpr pg::Query kOpsByStatus{"rel_painel_ops", "SELECT status, count(*) FROM ops GROUP BY status"};
constexpr pg::Query kOpenDeviations{"rel_painel_desvios", "SELECT count(*) FROM desvios WHERE status = 'aberto'"};
constexpr pg::Query kExpiringCount{
    "rel_painel_vencendo",
    "SELECT count(*) FILTER (WHERE validade <= hoje + 30), count(validade), hoje::text"
    " FROM (SELECT (now() AT TIME ZONE $1)::date AS hoje) d LEFT JOIN lotes"
    " ON status IN ('quarentena', 'liberado') AND validade >= hoje AND validade <= hoje + 90 GROUP BY hoje"};

std::map<std::string, std::int64_t> Counts(pg::Transaction& tx, const pg::Query& query) {
  std::map<std::string, std::int64_t> out;
  auto rows = tx.Exec(query);
  for (int i = 0; i < rows.size(); ++i) out[rows[i].String(0)] = rows[i].Int(1);
  return out;
}

}  // namespace

std::vector<LoteVencendo> LotesVencendo(pg::Pool& db, const std::string& fuso, std::int64_t dias,
                                        const std::optional<std::string>& depois_de, std::int64_t limite) {
  auto rows = db.Exec(kExpiring, pg::Params(fuso, dias, depois_de, limite));
  std::vector<LoteVencendo> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back({.lote_id = r.String(0),
                   .lote_codigo = r.String(1),
                   .material = r.String(2),
                   .material_nome = r.OptionalString(3),
                   .status = r.String(4),
                   .validade = r.String(5),
                   .quantidade = r.Numeric(6),
                   .unidade = r.String(7),
                   .dias_restantes = r.Int(8)});
  }
  return out;
}

Painel LerPainel(pg::Transaction& tx, const std::string& fuso) {
  auto vencendo = tx.Exec(kExpiringCount, pg::Params(fuso)).Single();
  const auto hoje = *json::ParseDate(vencendo.String(2));
  FiltroDePerdas ultimos_30{
      .de = json::FormatDate(std::chrono::year_month_day(std::chrono::sys_days(hoje) - std::chrono::days(29))),
      .ate = json::FormatDate(hoje)};
  std::int64_t perdas = 0;
  for (const auto& p : LerPerdas(tx, fuso, ultimos_30)) perdas += p.lotes;
  return {.lotes_por_status = Counts(tx, kLotsByStatus),
          .ops_por_status = Counts(tx, kOpsByStatus),
          .desvios_abertos = tx.Exec(kOpenDeviations).Single().Int(0),
          .lotes_vencendo_30_dias = vencendo.Int(0),
          .lotes_vencendo_90_dias = vencendo.Int(1),
          .perdas_30_dias = perdas,
          .perdas_evitaveis = static_cast<std::int64_t>(LerPerdasEvitaveis(tx, fuso, std::nullopt).size())};
}

}  // namespace pharmasys::relatorios
