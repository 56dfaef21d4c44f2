// Consumption into a production order (API.md Estoque): Produção's service client, and only
// it, asks for a quantity of a material and gets a FEFO allocation, all or nothing. People
// consume through the OP (POST /v1/ordens-producao/{id}/consumos), which enforces B3 and
// records the genealogy; a user token of any role is refused here. Produção derives the Idempotency-Key from its own
// consumption record, so a retry after a timeout returns the first allocation instead of consuming again.
#include <boost/json/array.hpp>

#include "../storage/lotes.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::estoque {
namespace {

constexpr pg::Query kInsert{
    "consumo_insert",
    "INSERT INTO consumos (id, op_id, material, quantidade, criado_por)"
    " VALUES ($1::uuid, $2::uuid, $3, $4::numeric, $5) RETURNING " PHARMASYS_PG_INSTANT("criado_em")};
constexpr pg::Query kInsertLot{"consumo_lote_insert",
                               "INSERT INTO consumo_lotes (consumo_id, ordem, lote_id, quantidade)"
                               " VALUES ($1::uuid, $2, $3::uuid, $4::numeric)"};
constexpr pg::Query kById{"consumo_by_id", "SELECT id, op_id, material, quantidade, criado_por, " PHARMASYS_PG_INSTANT(
                                               "criado_em") " FROM consumos WHERE id = $1::uuid"};
constexpr pg::Query kLots{"consumo_lotes",
                          "SELECT c.lote_id, l.codigo, l.validade::text, c.quantidade FROM consumo_lotes c"
                          " JOIN lotes l ON l.id = c.lote_id WHERE c.consumo_id = $1::uuid ORDER BY c.ordem"};

http::Response ConsumoResponse(pg::Transaction& tx, const std::string& id, int status) {
  auto rows = tx.Exec(kById, pg::Params(id));
  if (rows.empty()) throw NotFound("Consumo " + id + " não encontrado.");
  auto r = rows.Single();
  boost::json::array lotes;
  auto parts = tx.Exec(kLots, pg::Params(id));
  for (int i = 0; i < parts.size(); ++i) {
    lotes.push_back(boost::json::object{{"lote_id", parts[i].String(0)},
                                        {"lote_codigo", parts[i].String(1)},
                                        {"validade", parts[i].String(2)},
                                        {"quantidade", json::ToJson(parts[i].Numeric(3))}});
  }
  return http::Response::Json(status, boost::json::object{{"id", r.String(0)},
                                                          {"op_id", r.String(1)},
                                                          {"material", r.String(2)},
                                                          {"quantidade", json::ToJson(r.Numeric(3))},
                                                          {"lotes", std::move(lotes)},
                                                          {"criado_por", r.String(4)},
                                                          {"criado_em", r.String(5)}});
}

}  // namespace

void AddConsumoRoutes(http::Router& router, EstoqueContext& ctx) {
  router.Post(
      "/v1/estoque/consumos", http::Idempotent(ctx.db, [&ctx](http::Request& request, pg::Transaction& tx) {
        auth::RequireServiceClient(request, "producao");
        json::Fields body(request.Json());
        auto op_id = body.Uuid("op_id");
        auto material = body.String("material", {.max_length = 64});
        auto quantidade = body.Quantity("quantidade");
        body.Finish();

        // The hot path takes no extra round trip for the material: it is looked up only when
        // nothing could be allocated, to tell an unknown material (422) from a short one (409).
        FefoAllocation allocation;
        try {
          allocation = AllocateLocked(tx, material, {.quantidade = quantidade, .hoje = Today(tx, ctx.fuso)});
        } catch (const Error& e) {
          if (e.slug() == "estoque-insuficiente" && !FindMaterial(tx, material)) {
            throw ValidationError(std::vector<FieldError>{{"material", "material desconhecido"}});
          }
          throw;
        }
        const std::string id = ids::NewUuidV7();
        const auto actor = audit::Actor::From(request);
        auto created = tx.Exec(kInsert, pg::Params(id, op_id, material, quantidade, actor.username));
        boost::json::array lotes, audited;
        int ordem = 0;
        for (const auto& part : allocation.partes) {
          Move(tx, actor,
               {.lote_id = part.lote_id,
                .tipo = "consumo",
                .quantidade = -part.quantidade,
                .documento_tipo = "ordem_producao",
                .documento_id = op_id});
          tx.Exec(kInsertLot, pg::Params(id, ++ordem, part.lote_id, part.quantidade));
          audited.push_back(boost::json::object{
              {"lote_id", part.lote_id}, {"lote_codigo", part.codigo}, {"quantidade", json::ToJson(part.quantidade)}});
          lotes.push_back(boost::json::object{{"lote_id", part.lote_id},
                                              {"lote_codigo", part.codigo},
                                              {"validade", FormatDay(part.validade)},
                                              {"quantidade", json::ToJson(part.quantidade)}});
        }
        audit::Audit(tx, actor,
                     {.acao = "estoque.consumido",
                      .entidade = "consumo",
                      .entidade_id = id,
                      .depois = {{"op_id", op_id},
                                 {"material", material},
                                 {"quantidade", json::ToJson(quantidade)},
                                 {"lotes", std::move(audited)}}});
        // Built from what was just written: the same document GET /v1/estoque/consumos/{id} reads.
        auto res = http::Response::Json(201, boost::json::object{{"id", id},
                                                                 {"op_id", op_id},
                                                                 {"material", material},
                                                                 {"quantidade", json::ToJson(quantidade)},
                                                                 {"lotes", std::move(lotes)},
                                                                 {"criado_por", actor.username},
                                                                 {"criado_em", created.Single().String(0)}});
        res.headers.Set("Location", "/v1/estoque/consumos/" + id);
        return res;
      }));

  router.Get("/v1/estoque/consumos/{id}", [&ctx](http::Request& request) {
    std::string id(request.PathParam("id"));
    if (!json::IsUuid(id)) throw NotFound("Consumo " + id + " não encontrado.");
    return ctx.db.Transact([&](pg::Transaction& tx) { return ConsumoResponse(tx, id, 200); });
  });
}

}  // namespace pharmasys::estoque
