#include "perdas.hpp"

#include <chrono>
#include <map>

#include "../domain/perdas.hpp"
#include "pharmasys/json/fields.hpp"

namespace pharmasys::relatorios {
namespace {

// $1 fuso, $2 de, $3 ate, $4 material (or null).
constexpr pg::Query kPerdas{
    "rel_perdas",
    "WITH hoje AS (SELECT (now() AT TIME ZONE $1)::date AS d),"
    " perdas AS ("
    "  SELECT l.id, l.material, l.unidade, 'recolhido' AS causa, (r.ocorrido_em AT TIME ZONE $1)::date AS dia,"
    "         l.saldo AS quantidade"
    "  FROM recolhimentos r JOIN lotes l ON l.id = r.lote_id WHERE l.status = 'recolhido'"
    "  UNION ALL"
    "  SELECT l.id, l.material, l.unidade, 'reprovado', (la.emitido_em AT TIME ZONE $1)::date, l.saldo"
    "  FROM lotes l CROSS JOIN LATERAL (SELECT min(emitido_em) AS emitido_em FROM laudos"
    "       WHERE lote_id = l.id AND decisao = 'reprovado') la"
    "  WHERE l.status = 'reprovado' AND la.emitido_em IS NOT NULL"
    "  UNION ALL"
    "  SELECT l.id, l.material, l.unidade, 'vencido', l.validade + 1, l.saldo"
    "  FROM lotes l, hoje WHERE l.status IN ('quarentena', 'liberado') AND l.validade < hoje.d"
    "  AND l.validade >= $2::date - 1 AND l.validade <= $3::date - 1"
    "  UNION ALL"
    "  SELECT l.id, l.material, l.unidade, 'descartado', (a.avaliado_em AT TIME ZONE $1)::date, a.quantidade"
    "  FROM devolucao_avaliacoes a JOIN lotes l ON l.id = a.lote_id WHERE a.decisao = 'descartar')"
    " SELECT p.material, m.nome, p.unidade, p.causa, to_char(p.dia, 'YYYY-MM'), sum(p.quantidade),"
    "        count(DISTINCT p.id)"
    " FROM perdas p LEFT JOIN materiais m ON m.codigo = p.material"
    " WHERE p.quantidade > 0 AND p.dia BETWEEN $2::date AND $3::date AND ($4::text IS NULL OR p.material = $4)"
    " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 5, 4"};

// $1 fuso, $2 material (or null): released lots with stock, FEFO order (Estoque's: expiry, then
// receipt, then code), with the days each can still be used.
constexpr pg::Query kUsaveis{
    "rel_perdas_usaveis",
    "WITH hoje AS (SELECT (now() AT TIME ZONE $1)::date AS d)"
    " SELECT l.id, l.codigo, l.material, m.nome, l.unidade, l.validade::text, l.validade - hoje.d + 1, l.saldo,"
    "        hoje.d::text"
    " FROM lotes l CROSS JOIN hoje LEFT JOIN materiais m ON m.codigo = l.material"
    " WHERE l.status = 'liberado' AND l.saldo > 0 AND l.validade >= hoje.d AND ($2::text IS NULL OR l.material = $2)"
    " ORDER BY l.material, l.validade, l.criado_em, l.codigo"};

// $1 days, $2 material (or null): what each material used (consumed or shipped) lately.
constexpr pg::Query kUsoRecente{
    "rel_perdas_uso",
    "SELECT material, sum(quantidade) FROM ("
    "  SELECT material, quantidade FROM consumos WHERE ocorrido_em >= now() - make_interval(days => $1::integer)"
    "  UNION ALL SELECT i.material, i.quantidade FROM expedicao_itens i JOIN expedicoes e ON e.id = i.expedicao_id"
    "  WHERE e.confirmada_em >= now() - make_interval(days => $1::integer)) u"
    " WHERE ($2::text IS NULL OR material = $2) GROUP BY material"};

// yyyy-mm-dd plus `dias`.
std::string DiaMais(const std::string& dia, std::int64_t dias) {
  auto date = json::ParseDate(dia);
  if (!date) return dia;
  return json::FormatDate(std::chrono::year_month_day(std::chrono::sys_days(*date) + std::chrono::days(dias)));
}

}  // namespace

std::vector<PerdaDoMes> LerPerdas(pg::Transaction& tx, const std::string& fuso, const FiltroDePerdas& filtro) {
  auto rows = tx.Exec(kPerdas, pg::Params(fuso, filtro.de, filtro.ate, filtro.material));
  std::vector<PerdaDoMes> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back({.material = r.String(0),
                   .material_nome = r.OptionalString(1),
                   .unidade = r.String(2),
                   .causa = r.String(3),
                   .mes = r.String(4),
                   .quantidade = r.Numeric(5),
                   .lotes = r.Int(6)});
  }
  return out;
}

std::vector<LoteEmRisco> LerPerdasEvitaveis(pg::Transaction& tx, const std::string& fuso,
                                            const std::optional<std::string>& material) {
  std::map<std::string, Decimal> uso;  // per day
  auto used = tx.Exec(kUsoRecente, pg::Params(kDiasDoUsoRecente, material));
  for (int i = 0; i < used.size(); ++i) {
    uso[used[i].String(0)] = Decimal::FromUnits(used[i].Numeric(1).units() / kDiasDoUsoRecente);
  }
  auto rows = tx.Exec(kUsaveis, pg::Params(fuso, material));
  std::vector<LoteEmRisco> out;
  // One material at a time: its lots are consecutive, in FEFO order.
  for (int first = 0; first < rows.size();) {
    const std::string mat = rows[first].String(2);
    int end = first;
    std::vector<LoteUsavel> lotes;
    while (end < rows.size() && rows[end].String(2) == mat) {
      lotes.push_back({.lote_id = rows[end].String(0), .dias_de_uso = rows[end].Int(6), .saldo = rows[end].Numeric(7)});
      ++end;
    }
    const Decimal rate = uso.contains(mat) ? uso[mat] : Decimal{};
    std::map<std::string, int> row_of;
    for (int i = first; i < end; ++i) row_of[rows[i].String(0)] = i;
    for (const auto& p : PerdasEvitaveis(lotes, rate)) {
      auto r = rows[row_of[p.lote_id]];
      std::optional<std::string> reached;
      if (p.alcancado_em_dias) reached = DiaMais(r.String(8), *p.alcancado_em_dias);
      out.push_back({.lote_id = r.String(0),
                     .lote_codigo = r.String(1),
                     .material = mat,
                     .material_nome = r.OptionalString(3),
                     .unidade = r.String(4),
                     .validade = r.String(5),
                     .saldo = r.Numeric(7),
                     .em_risco = p.em_risco,
                     .uso_por_dia = rate,
                     .alcancado_em = reached});
    }
    first = end;
  }
  return out;
}

}  // namespace pharmasys::relatorios
