// Returns (API.md Estoque; RULES.md B6): a returned quantity comes back into its lot as
// quarantined stock (`devolvida`, never available) and leaves quarantine only through a QC
// evaluation signed by an analyst: reintegrated into usable stock, or discarded.
#include <boost/json/array.hpp>

#include "../storage/expedicoes.hpp"
#include "../storage/lotes.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/list_page.hpp"
#include "problema.hpp"

namespace pharmasys::estoque {
namespace {

#define RETURN_SELECT                                                                                                 \
  "SELECT d.id, d.codigo, d.expedicao_id, d.lote_id, l.codigo, d.quantidade, d.motivo, d.status, "                    \
  "d.criado_por, " PHARMASYS_PG_INSTANT("d.criado_em") ", d.avaliacao_motivo, d.avaliado_por, " PHARMASYS_PG_INSTANT( \
      "d.avaliado_em") ", d.assinatura::text, d.versao FROM devolucoes d JOIN lotes l ON l.id = d.lote_id "

constexpr pg::Query kById{"devolucao_by_id", RETURN_SELECT "WHERE d.id = $1::uuid"};
constexpr pg::Query kByIdForUpdate{"devolucao_by_id_lock", RETURN_SELECT "WHERE d.id = $1::uuid FOR UPDATE OF d"};
constexpr pg::ListQuery kList = PHARMASYS_PG_LIST("devolucao_list", RETURN_SELECT,
                                                  " AND ($1::text IS NULL OR d.status = $1)", "d.id", "$2::uuid", "$3");
constexpr pg::Query kInsert{"devolucao_insert",
                            "INSERT INTO devolucoes (id, codigo, expedicao_id, lote_id, quantidade, motivo, status,"
                            " criado_por) VALUES ($1::uuid, 'DEV-' || " PHARMASYS_PG_CODE_NUMBER("devolucao_seq", "6") ","
                            " $2::uuid, $3::uuid, $4::numeric, $5, 'pendente', $6)"};
constexpr pg::Query kEvaluate{"devolucao_avaliar",
                              "UPDATE devolucoes SET status = $2, avaliacao_motivo = $3, avaliado_por = $4,"
                              " avaliado_em = now(), assinatura = $5::jsonb, versao = versao + 1 WHERE id = $1::uuid"};

struct Devolucao {
  boost::json::object json;
  std::string id, lote_id, status;
  Decimal quantidade;
  std::int64_t versao;
};

Devolucao FromRow(const pg::Row& r) {
  boost::json::value avaliacao = nullptr;
  if (!r.IsNull(12)) {
    avaliacao = boost::json::object{{"decisao", r.Text(7) == "reintegrada" ? "reintegrar" : "descartar"},
                                    {"motivo", r.String(10)},
                                    {"avaliado_por", r.String(11)},
                                    {"avaliado_em", r.String(12)},
                                    {"assinatura", json::Parse(r.Text(13))}};
  }
  boost::json::object o{
      {"id", r.String(0)},        {"codigo", r.String(1)},      {"expedicao_id", r.String(2)},
      {"lote_id", r.String(3)},   {"lote_codigo", r.String(4)}, {"quantidade", json::ToJson(r.Numeric(5))},
      {"motivo", r.String(6)},    {"status", r.String(7)},      {"criado_por", r.String(8)},
      {"criado_em", r.String(9)}, {"avaliacao", avaliacao},     {"versao", r.Int(14)}};
  return {std::move(o), r.String(0), r.String(3), r.String(7), r.Numeric(5), r.Int(14)};
}

Devolucao Load(pg::Transaction& tx, const std::string& id, bool for_update) {
  if (!json::IsUuid(id)) throw NotFound("Devolução " + id + " não encontrada.");
  auto rows = tx.Exec(for_update ? kByIdForUpdate : kById, pg::Params(id));
  if (rows.empty()) throw NotFound("Devolução " + id + " não encontrada.");
  return FromRow(rows.Single());
}

http::Response DevolucaoResponse(int status, const Devolucao& r) {
  auto res = http::Response::Json(status, r.json);
  http::SetVersionTag(res, r.versao);
  return res;
}

}  // namespace

void AddDevolucaoRoutes(http::Router& router, EstoqueContext& ctx) {
  router.Post(
      "/v1/devolucoes",
      http::Idempotent(
          ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
            auth::RequireRole(request, {"estoquista"});
            json::Fields body(request.Json());
            auto expedicao_id = body.Uuid("expedicao_id");
            auto lote_id = body.Uuid("lote_id");
            auto quantidade = body.Quantity("quantidade");
            auto motivo = body.Motivo();
            body.Finish();
            auto shipment = FindExpedicao(tx, expedicao_id, true);
            if (!shipment) {
              throw ValidationError(std::vector<FieldError>{{"expedicao_id", "expedição desconhecida"}});
            }
            if (shipment->status != "confirmada") {
              throw Conflict("Só volta o que foi expedido: a expedição " + shipment->codigo + " está " +
                             shipment->status + ".");
            }
            if (!AddReturned(tx, expedicao_id, lote_id, quantidade)) {
              throw ValidationError(std::vector<FieldError>{
                  {"quantidade", "maior que o expedido deste lote nesta expedição, descontadas as devoluções"}});
            }
            const std::string id = ids::NewUuidV7();
            const auto actor = audit::Actor::From(request);
            tx.Exec(kInsert, pg::Params(id, expedicao_id, lote_id, quantidade, motivo, actor.username));
            Move(tx, actor,
                 {.lote_id = lote_id,
                  .tipo = "devolucao",
                  .quantidade = quantidade,
                  .devolvida = quantidade,
                  .documento_tipo = "devolucao",
                  .documento_id = id});
            Devolucao created = Load(tx, id, false);
            audit::Audit(tx, actor,
                         {.acao = "devolucao.registrada",
                          .entidade = "devolucao",
                          .entidade_id = id,
                          .depois = {{"expedicao_id", expedicao_id},
                                     {"lote_id", lote_id},
                                     {"quantidade", json::ToJson(quantidade)},
                                     {"status", "pendente"}},
                          .motivo = motivo});
            events::Publish(tx, events::NewEvent("estoque",
                                                 events::DevolucaoRegistrada{.devolucao_id = id,
                                                                             .expedicao_id = expedicao_id,
                                                                             .lote_id = lote_id,
                                                                             .quantidade = quantidade,
                                                                             .motivo = motivo},
                                                 {request.principal.sub, request.principal.username}));
            auto res = DevolucaoResponse(201, created);
            res.headers.Set("Location", "/v1/devolucoes/" + id);
            return res;
          })));

  router.Post("/v1/devolucoes/{id}/avaliar",
              http::Idempotent(
                  ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                    auth::RequireRole(request, {"analista_cq"});
                    Devolucao devolucao = Load(tx, std::string(request.PathParam("id")), true);
                    http::CheckIfMatch(request, devolucao.versao);
                    json::Fields body(request.Json());
                    auto decisao = body.Enum("decisao", {"reintegrar", "descartar"});
                    auto motivo = body.Motivo();
                    body.Finish();
                    const bool reintegrar = decisao == "reintegrar";
                    auto assinatura = auth::ConsumeSignature(tx, *ctx.verifier, request, "devolucao:" + devolucao.id,
                                                             {reintegrar ? "liberacao" : "reprovacao"});
                    if (devolucao.status != "pendente")
                      throw Conflict("A devolução já foi avaliada (" + devolucao.status + ").");
                    const auto actor = audit::Actor::From(request);
                    Lote lot = LoadLote(tx, devolucao.lote_id, true);
                    if (reintegrar) {
                      if (lot.status != domain::LoteStatus::Liberado) {
                        ThrowNotReleased("Lote " + lot.codigo + " está " + std::string(ToString(lot.status)) +
                                         ": a devolução só pode ser descartada.");
                      }
                      Move(tx, actor,
                           {.lote_id = lot.id,
                            .tipo = "reintegracao",
                            .devolvida = -devolucao.quantidade,
                            .documento_tipo = "devolucao",
                            .documento_id = devolucao.id});
                    } else {
                      Move(tx, actor,
                           {.lote_id = lot.id,
                            .tipo = "descarte",
                            .quantidade = -devolucao.quantidade,
                            .devolvida = -devolucao.quantidade,
                            .documento_tipo = "devolucao",
                            .documento_id = devolucao.id});
                    }
                    const std::string status = reintegrar ? "reintegrada" : "descartada";
                    boost::json::object signature{
                        {"nome", assinatura.nome}, {"significado", assinatura.significado}, {"em", assinatura.em}};
                    tx.Exec(kEvaluate,
                            pg::Params(devolucao.id, status, motivo, actor.username, json::Serialize(signature)));
                    audit::Audit(tx, actor,
                                 {.acao = "devolucao.avaliada",
                                  .entidade = "devolucao",
                                  .entidade_id = devolucao.id,
                                  .antes = {{"status", "pendente"}},
                                  .depois = {{"status", status}, {"decisao", decisao}},
                                  .motivo = motivo,
                                  .assinatura = assinatura});
                    return DevolucaoResponse(200, Load(tx, devolucao.id, false));
                  })));

  router.Get("/v1/devolucoes/{id}", AtTheEdge([&ctx](http::Request& request) {
               return ctx.db.Transact([&](pg::Transaction& tx) {
                 return DevolucaoResponse(200, Load(tx, std::string(request.PathParam("id")), false));
               });
             }));

  router.Get(
      "/v1/devolucoes", AtTheEdge([&ctx](http::Request& request) {
        auto limit = http::ListLimit(request);
        auto status = request.Query("status");
        if (status && *status != "pendente" && *status != "reintegrada" && *status != "descartada") {
          throw ValidationError(std::vector<FieldError>{{"status", "deve ser pendente, reintegrada ou descartada"}});
        }
        auto order = http::ListOrder(request);
        auto rows = ctx.db.Exec(kList[order], pg::Params(status, http::UuidCursor(request), limit + 1));
        boost::json::array items;
        for (int i = 0; i < rows.size() && i < limit; ++i) items.push_back(FromRow(rows[i]).json);
        std::optional<std::string> next;
        if (rows.size() > limit) next = rows[static_cast<int>(limit) - 1].String(0);
        return http::ListPage(std::move(items), next);
      }));
}

}  // namespace pharmasys::estoque
