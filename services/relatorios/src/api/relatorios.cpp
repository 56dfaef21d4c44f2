// The batch record of an OP, expiring lots and the dashboard (API.md Relatórios).
#include <boost/json/array.hpp>

#include <charconv>

#include "../storage/genealogia.hpp"
#include "context.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::relatorios {
namespace {

constexpr pg::Query kHistorico{
    "rel_op_historico_of",
    "SELECT status, status_anterior, usuario, " PHARMASYS_PG_INSTANT(
        "ocorrido_em") " FROM op_historico WHERE op_id = $1::uuid ORDER BY ocorrido_em, evento_id"};
constexpr pg::Query kOpDesvios{
    "rel_op_desvios", "SELECT id, lote_id, classificacao, descricao, status, " PHARMASYS_PG_INSTANT("aberto_em") ", " PHARMASYS_PG_INSTANT(
                          "encerrado_em") " FROM desvios WHERE op_id = $1::uuid ORDER BY aberto_em NULLS LAST"};
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
    "SELECT count(*) FILTER (WHERE validade <= hoje + 30), count(*) FROM lotes,"
    " LATERAL (SELECT (now() AT TIME ZONE $1)::date AS hoje) d"
    " WHERE status IN ('quarentena', 'liberado') AND validade >= hoje AND validade <= hoje + 90"};

boost::json::object Counts(pg::Transaction& tx, const pg::Query& query, std::initializer_list<const char*> keys) {
  boost::json::object out;
  for (const char* k : keys) out[k] = 0;
  auto rows = tx.Exec(query);
  for (int i = 0; i < rows.size(); ++i) out[rows[i].String(0)] = rows[i].Int(1);
  return out;
}

}  // namespace

void AddReportRoutes(http::Router& router, RelatoriosContext& ctx) {
  // The batch record: the OP as Produção holds it (steps with their parameters, who and when,
  // consumptions, lots), read with the caller's own token, joined with what the events told
  // Relatórios: the status history, the deviations and the QC outcome of every lot.
  router.Get("/v1/relatorios/ordens-producao/{op_id}", [&ctx](http::Request& request) {
    const std::string op_id(request.PathParam("op_id"));
    if (!json::IsUuid(op_id)) throw NotFound("Ordem de produção " + op_id + " não encontrada.");
    http::ClientRequest call{http::Method::Get, ctx.producao_url + "/v1/ordens-producao/" + op_id, {}, ""};
    call.headers.Set("Authorization", std::string(request.headers.GetOr("Authorization", "")));
    http::ClientResponse answer;
    try {
      answer = ctx.client->Send(call, std::chrono::seconds(10));
    } catch (const http::UpstreamError& e) {
      throw Unavailable("A produção não respondeu: " + std::string(e.what()) + ".");
    }
    if (answer.status == 404) throw NotFound("Ordem de produção " + op_id + " não encontrada.");
    if (answer.status != 200) {
      throw Unavailable("A produção respondeu HTTP " + std::to_string(answer.status) + " ao ler a OP.");
    }
    auto op = json::Parse(answer.body).as_object();
    return ctx.db.Transact([&](pg::Transaction& tx) {
      boost::json::array historico, desvios;
      auto rows = tx.Exec(kHistorico, pg::Params(op_id));
      for (int i = 0; i < rows.size(); ++i) {
        historico.push_back(boost::json::object{{"status", rows[i].String(0)},
                                                {"status_anterior", json::ToJson(rows[i].OptionalString(1))},
                                                {"usuario", json::ToJson(rows[i].OptionalString(2))},
                                                {"ocorrido_em", rows[i].String(3)}});
      }
      auto d = tx.Exec(kOpDesvios, pg::Params(op_id));
      for (int i = 0; i < d.size(); ++i) {
        desvios.push_back(boost::json::object{{"desvio_id", d[i].String(0)},
                                              {"lote_id", json::ToJson(d[i].OptionalString(1))},
                                              {"classificacao", json::ToJson(d[i].OptionalString(2))},
                                              {"descricao", json::ToJson(d[i].OptionalString(3))},
                                              {"status", d[i].String(4)},
                                              {"aberto_em", json::ToJson(d[i].OptionalString(5))},
                                              {"encerrado_em", json::ToJson(d[i].OptionalString(6))}});
      }
      boost::json::array lotes;
      for (auto lote : op.at("lotes").as_array()) {
        auto& l = lote.as_object();
        auto laudos = LaudosOf(tx, std::string(l.at("id").as_string()));
        l["laudos"] = laudos;
        l["resultado_cq"] = laudos.empty() ? boost::json::value("pendente") : laudos.back().at("decisao");
        lotes.push_back(std::move(l));
      }
      op["lotes"] = std::move(lotes);
      return http::Response::Json(200, boost::json::object{{"ordem_producao", std::move(op)},
                                                           {"historico_status", std::move(historico)},
                                                           {"desvios", std::move(desvios)},
                                                           {"gerado_em", clock::NowRfc3339()}});
    });
  });

  router.Get("/v1/relatorios/estoque/vencimentos", [&ctx](http::Request& request) {
    std::int64_t dias = 90;
    if (auto text = request.Query("dias")) {
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), dias);
      if (ec != std::errc() || end != text->data() + text->size() || dias < 0 || dias > 3650) {
        throw ValidationError(std::vector<FieldError>{{"dias", "deve ser um inteiro de 0 a 3650"}});
      }
    }
    auto limit = http::ListLimit(request);
    auto cursor = http::UuidCursor(request);
    auto rows = ctx.db.Exec(kExpiring, pg::Params(ctx.fuso, dias, cursor, limit + 1));
    boost::json::array items;
    for (int i = 0; i < rows.size() && i < limit; ++i) {
      auto r = rows[i];
      items.push_back(boost::json::object{{"lote_id", r.String(0)},
                                          {"lote_codigo", r.String(1)},
                                          {"material", r.String(2)},
                                          {"material_nome", json::ToJson(r.OptionalString(3))},
                                          {"status", r.String(4)},
                                          {"validade", r.String(5)},
                                          {"quantidade", json::ToJson(r.Numeric(6))},
                                          {"unidade", r.String(7)},
                                          {"dias_restantes", r.Int(8)}});
    }
    std::optional<std::string> next;
    if (rows.size() > limit) next = rows[static_cast<int>(limit) - 1].String(0);
    return http::ListPage(std::move(items), next);
  });

  router.Get("/v1/relatorios/painel", [&ctx](http::Request&) {
    return ctx.db.Transact(
        [&](pg::Transaction& tx) {
          auto vencendo = tx.Exec(kExpiringCount, pg::Params(ctx.fuso)).Single();
          return http::Response::Json(
              200,
              boost::json::object{
                  {"lotes_por_status", Counts(tx, kLotsByStatus, {"quarentena", "liberado", "reprovado", "recolhido"})},
                  {"ops_por_status",
                   Counts(tx, kOpsByStatus, {"planejada", "em_execucao", "bloqueada", "concluida", "cancelada"})},
                  {"desvios_abertos", tx.Exec(kOpenDeviations).Single().Int(0)},
                  {"lotes_vencendo_30_dias", vencendo.Int(0)},
                  {"lotes_vencendo_90_dias", vencendo.Int(1)},
                  {"gerado_em", clock::NowRfc3339()}});
        },
        pg::Isolation::RepeatableRead);
  });
}

}  // namespace pharmasys::relatorios
