// Receipts of insumo lots (born in quarantine, announced as `lote.criado`), balances in FEFO
// order, one lot's stock, and the ledger.
#include <boost/json/array.hpp>

#include <charconv>

#include "../storage/lotes.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
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

constexpr pg::ListQuery kLedger = PHARMASYS_PG_LIST(
    "movimentacoes_list",
    "SELECT m.id, m.lote_id, l.codigo, m.material, m.tipo, m.quantidade, m.reservada, m.devolvida, m.saldo_apos,"
    " m.reservada_apos, m.devolvida_apos, m.documento_tipo, m.documento_id, m.usuario_sub, m.usuario_username,"
    " m.request_id, " PHARMASYS_PG_INSTANT("m.ocorrido_em") " FROM movimentacoes m JOIN lotes l ON l.id = m.lote_id ",
    " AND ($1::uuid IS NULL OR m.lote_id = $1::uuid) AND ($2::text IS NULL OR m.material = $2)", "m.id", "$3::bigint",
    "$4");

boost::json::object SaldoJson(const Lote& lot, Day hoje) {
  return {{"lote_id", lot.id},
          {"lote_codigo", lot.codigo},
          {"material", lot.material},
          {"unidade", lot.unidade},
          {"quantidade", json::ToJson(lot.quantidade)},
          {"reservada", json::ToJson(lot.reservada)},
          {"devolvida_em_avaliacao", json::ToJson(lot.devolvida)},
          {"disponivel", json::ToJson(lot.Disponivel(hoje))},
          {"validade", FormatDay(lot.validade)},
          {"vencido", !UsableOn(lot.validade, hoje)},
          {"status", ToString(lot.status)}};
}

boost::json::object MovementJson(const pg::Row& r) {
  boost::json::value request_id = nullptr;
  if (!r.IsNull(15)) request_id = boost::json::string(r.Text(15));
  return {{"id", r.Int(0)},
          {"lote_id", r.String(1)},
          {"lote_codigo", r.String(2)},
          {"material", r.String(3)},
          {"tipo", r.String(4)},
          {"quantidade", json::ToJson(r.Numeric(5))},
          {"reservada", json::ToJson(r.Numeric(6))},
          {"devolvida", json::ToJson(r.Numeric(7))},
          {"saldo_apos", json::ToJson(r.Numeric(8))},
          {"reservada_apos", json::ToJson(r.Numeric(9))},
          {"devolvida_apos", json::ToJson(r.Numeric(10))},
          {"documento", boost::json::object{{"tipo", r.String(11)}, {"id", r.String(12)}}},
          {"usuario", boost::json::object{{"sub", r.String(13)}, {"username", r.String(14)}}},
          {"request_id", request_id},
          {"ocorrido_em", r.String(16)}};
}

std::optional<std::string> UuidFilter(const http::Request& request, std::string_view name) {
  auto value = request.Query(name);
  if (!value || value->empty()) return std::nullopt;
  if (!json::IsUuid(*value)) throw ValidationError(std::vector<FieldError>{{std::string(name), "deve ser um UUID"}});
  return value;
}

}  // namespace

void AddLoteRoutes(http::Router& router, EstoqueContext& ctx) {
  router.Post("/v1/recebimentos",
              http::Idempotent(
                  ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                    auth::RequireRole(request, {"estoquista"});
                    json::Fields body(request.Json());
                    auto material_codigo = body.String("material", {.max_length = 64});
                    auto quantidade = body.Quantity("quantidade");
                    auto validade = body.Date("validade");
                    auto fabricacao = body.OptionalDate("data_fabricacao");
                    auto fornecedor = body.String("fornecedor", {.max_length = 200});
                    auto lote_fornecedor = body.String("lote_fornecedor", {.max_length = 100});
                    auto nota_fiscal = body.String("nota_fiscal", {.max_length = 60});
                    const Day hoje = Today(tx, ctx.fuso);
                    auto material = material_codigo.empty() ? std::nullopt : FindMaterial(tx, material_codigo);
                    if (!material_codigo.empty() && !material) body.Fail("material", "material desconhecido");
                    if (body.ok() && !UsableOn(Day(validade), hoje)) body.Fail("validade", "o lote já está vencido");
                    if (fabricacao && Day(*fabricacao) > hoje) body.Fail("data_fabricacao", "não pode ser futura");
                    body.Finish();

                    NovoLote lot{.id = ids::NewUuidV7(),
                                 .codigo = {},
                                 .material = material->codigo,
                                 .unidade = material->unidade,
                                 .origem = "recebimento",
                                 .validade = Day(validade),
                                 .fornecedor = fornecedor,
                                 .lote_fornecedor = lote_fornecedor,
                                 .nota_fiscal = nota_fiscal};
                    if (fabricacao) lot.data_fabricacao = json::FormatDate(*fabricacao);
                    InsertLote(tx, lot);
                    const auto actor = audit::Actor::From(request);
                    Move(tx, actor,
                         {.lote_id = lot.id,
                          .tipo = "entrada",
                          .quantidade = quantidade,
                          .documento_tipo = "recebimento",
                          .documento_id = nota_fiscal});
                    Lote created = LoadLote(tx, lot.id);
                    audit::Audit(tx, actor,
                                 {.acao = "lote.recebido",
                                  .entidade = "lote",
                                  .entidade_id = lot.id,
                                  .depois = {{"codigo", created.codigo},
                                             {"material", created.material},
                                             {"quantidade", json::ToJson(quantidade)},
                                             {"validade", FormatDay(created.validade)},
                                             {"status", "quarentena"},
                                             {"fornecedor", fornecedor},
                                             {"lote_fornecedor", lote_fornecedor},
                                             {"nota_fiscal", nota_fiscal}}});
                    events::Publish(tx, events::NewEvent("estoque",
                                                         events::LoteCriado{.lote_id = lot.id,
                                                                            .codigo = created.codigo,
                                                                            .material = created.material,
                                                                            .quantidade = quantidade,
                                                                            .unidade = created.unidade,
                                                                            .validade = FormatDay(created.validade),
                                                                            .data_fabricacao = lot.data_fabricacao,
                                                                            .origem = "recebimento",
                                                                            .fornecedor = fornecedor,
                                                                            .lote_fornecedor = lote_fornecedor},
                                                         {request.principal.sub, request.principal.username}));
                    // No event can be waiting for this lot: its id was made just now.
                    auto res = http::Response::Json(201, created.ToJson(hoje));
                    res.headers.Set("Location", "/v1/estoque/lotes/" + lot.id);
                    http::SetVersionTag(res, created.versao);
                    return res;
                  })));

  router.Get("/v1/estoque/saldos", AtTheEdge([&ctx](http::Request& request) {
               auto limit = http::ListLimit(request);
               auto status = request.Query("status");
               if (status && !domain::ParseLoteStatus(*status)) {
                 throw ValidationError(
                     std::vector<FieldError>{{"status", "deve ser quarentena, liberado, reprovado ou recolhido"}});
               }
               auto cursor = http::UuidCursor(request);
               return ctx.db.Transact([&](pg::Transaction& tx) {
                 const Day hoje = Today(tx, ctx.fuso);
                 auto lots = ListLotesFefo(tx, request.Query("material"), status, cursor, limit + 1);
                 return http::ListPage(
                     lots, limit, [&](const auto& x) { return SaldoJson(x, hoje); },
                     [](const auto& x) { return x.id; });
               });
             }));

  router.Get("/v1/estoque/lotes/{lote_id}", AtTheEdge([&ctx](http::Request& request) {
               return ctx.db.Transact([&](pg::Transaction& tx) {
                 Lote lot = LoadLote(tx, std::string(request.PathParam("lote_id")));
                 auto res = http::Response::Json(200, lot.ToJson(Today(tx, ctx.fuso)));
                 http::SetVersionTag(res, lot.versao);
                 return res;
               });
             }));

  router.Get("/v1/estoque/movimentacoes", AtTheEdge([&ctx](http::Request& request) {
               auto limit = http::ListLimit(request);
               auto lote_id = UuidFilter(request, "lote_id");
               std::optional<std::int64_t> cursor;
               if (const std::string text = request.Query("cursor").value_or(""); !text.empty()) {
                 std::int64_t value = 0;
                 auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
                 if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
                   throw ValidationError(std::vector<FieldError>{{"cursor", "cursor inválido"}});
                 }
                 cursor = value;
               }
               auto order = http::ListOrder(request);
               auto rows =
                   ctx.db.Exec(kLedger[order], pg::Params(lote_id, request.Query("material"), cursor, limit + 1));
               boost::json::array items;
               for (int i = 0; i < rows.size() && i < limit; ++i) items.push_back(MovementJson(rows[i]));
               std::optional<std::string> next;
               if (rows.size() > limit) next = rows[static_cast<int>(limit) - 1].String(0);
               return http::ListPage(std::move(items), next);
             }));
}

}  // namespace pharmasys::estoque
