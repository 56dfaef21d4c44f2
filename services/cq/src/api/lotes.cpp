// A lot's quality status (API.md CQ) with everything QC holds about it, and the returns
// registered in Estoque (their evaluation happens there).
#include <boost/json/array.hpp>

#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::cq {

void AddLotRoutes(http::Router& router, CqContext& ctx) {
  router.Get("/v1/cq/lotes/{lote_id}", [&ctx](http::Request& request) {
    const std::string id(request.PathParam("lote_id"));
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto lot = FindLot(tx, id);
      if (!lot) throw NotFound("Lote " + id + " desconhecido no CQ.");
      boost::json::array amostras, laudos, desvios;
      if (auto sample = FindSampleOfLot(tx, lot->id)) {
        // The clerk sees where the lot stands, not the analytical results (API.md: amostras are
        // for everyone but the estoquista).
        if (IsQualityReader(request.principal)) {
          amostras.push_back(SampleJson(tx, *sample));
        } else {
          amostras.push_back(boost::json::object{{"id", sample->id},
                                                 {"codigo", sample->codigo},
                                                 {"status", sample->status},
                                                 {"criado_em", sample->criado_em}});
        }
      }
      for (const auto& l : LaudosOfLot(tx, lot->id)) laudos.push_back(l.ToJson());
      for (const auto& d :
           ListDesvios(tx, std::nullopt, std::nullopt, lot->id, std::nullopt, SortOrder::Ascending, 500)) {
        desvios.push_back(d.ToJson());
      }
      if (lot->op_id) {
        for (const auto& d :
             ListDesvios(tx, std::nullopt, lot->op_id, std::nullopt, std::nullopt, SortOrder::Ascending, 500)) {
          if (d.lote_id != lot->id) desvios.push_back(d.ToJson());
        }
      }
      boost::json::value recolhimento = nullptr;
      if (auto r = FindRecallOfLot(tx, lot->id)) recolhimento = r->ToJson();
      boost::json::object out = lot->ToJson();
      out["lote_id"] = lot->id;
      out["desvios_abertos"] = OpenDesvios(tx, lot->id, lot->op_id);
      out["amostras"] = std::move(amostras);
      out["laudos"] = std::move(laudos);
      out["desvios"] = std::move(desvios);
      out["recolhimento"] = recolhimento;
      out["devolucoes"] = ReturnsOfLot(tx, lot->id);
      return http::Response::Json(200, out);
    });
  });

  router.Get("/v1/cq/devolucoes", [&ctx](http::Request& request) {
    RequireQualityReader(request);
    auto limit = http::ListLimit(request);
    auto lote_id = request.Query("lote_id");
    if (lote_id && !json::IsUuid(*lote_id)) {
      throw ValidationError(std::vector<FieldError>{{"lote_id", "deve ser um UUID"}});
    }
    auto cursor = http::UuidCursor(request);
    auto order = http::ListOrder(request);
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto items = ListReturns(tx, lote_id, cursor, order, limit + 1);
      std::optional<std::string> next;
      if (static_cast<std::int64_t>(items.size()) > limit) {
        items.resize(static_cast<std::size_t>(limit));
        next = std::string(items.back().at("devolucao_id").as_string());
      }
      return http::ListPage(std::move(items), next);
    });
  });
}

}  // namespace pharmasys::cq
