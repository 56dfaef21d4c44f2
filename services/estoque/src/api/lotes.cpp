// Receipts of insumo lots (born in quarantine, announced as `lote.criado`), balances in FEFO
// order, one lot's stock, and the ledger.
#include <boost/json/array.hpp>

#include <charconv>

#include "../app/recebimentos.hpp"
#include "context.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::estoque {
namespace {

// The lot as API.md shows it on `hoje` (what is available, whether it expired).
boost::json::object LoteJson(const Lote& lot, Day hoje) {
  boost::json::value laudo = nullptr;
  if (lot.laudo_id) {
    laudo = boost::json::object{{"laudo_id", *lot.laudo_id},
                                {"decisao", json::ToJson(lot.laudo_decisao)},
                                {"emitido_em", json::ToJson(lot.laudo_emitido_em)}};
  }
  return {{"id", lot.id},
          {"codigo", lot.codigo},
          {"material", lot.material},
          {"unidade", lot.unidade},
          {"origem", lot.origem},
          {"status", ToString(lot.status)},
          {"quantidade", json::ToJson(lot.quantidade)},
          {"reservada", json::ToJson(lot.reservada)},
          {"devolvida_em_avaliacao", json::ToJson(lot.devolvida)},
          {"disponivel", json::ToJson(lot.Disponivel(hoje))},
          {"validade", FormatDay(lot.validade)},
          {"vencido", !UsableOn(lot.validade, hoje)},
          {"data_fabricacao", json::ToJson(lot.data_fabricacao)},
          {"op_id", json::ToJson(lot.op_id)},
          {"fornecedor", json::ToJson(lot.fornecedor)},
          {"lote_fornecedor", json::ToJson(lot.lote_fornecedor)},
          {"nota_fiscal", json::ToJson(lot.nota_fiscal)},
          {"laudo", laudo},
          {"recolhido_motivo", json::ToJson(lot.recolhido_motivo)},
          {"recebido_em", lot.recebido_em},
          {"versao", lot.versao}};
}

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

boost::json::object MovementJson(const MovimentacaoLida& m) {
  boost::json::value request_id = nullptr;
  if (m.request_id) request_id = boost::json::string(*m.request_id);
  return {{"id", m.id},
          {"lote_id", m.lote_id},
          {"lote_codigo", m.lote_codigo},
          {"material", m.material},
          {"tipo", m.tipo},
          {"quantidade", json::ToJson(m.quantidade)},
          {"reservada", json::ToJson(m.reservada)},
          {"devolvida", json::ToJson(m.devolvida)},
          {"saldo_apos", json::ToJson(m.saldo_apos)},
          {"reservada_apos", json::ToJson(m.reservada_apos)},
          {"devolvida_apos", json::ToJson(m.devolvida_apos)},
          {"documento", boost::json::object{{"tipo", m.documento_tipo}, {"id", m.documento_id}}},
          {"usuario", boost::json::object{{"sub", m.usuario_sub}, {"username", m.usuario_username}}},
          {"request_id", request_id},
          {"ocorrido_em", m.ocorrido_em}};
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
              http::Idempotent(ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
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
                                 auto material =
                                     material_codigo.empty() ? std::nullopt : FindMaterial(tx, material_codigo);
                                 if (!material_codigo.empty() && !material)
                                   body.Fail("material", "material desconhecido");
                                 if (body.ok() && !UsableOn(Day(validade), hoje))
                                   body.Fail("validade", "o lote já está vencido");
                                 if (fabricacao && Day(*fabricacao) > hoje)
                                   body.Fail("data_fabricacao", "não pode ser futura");
                                 body.Finish();
                                 Lote created = ReceberLote(tx, audit::Actor::From(request),
                                                            {.material = *material,
                                                             .quantidade = quantidade,
                                                             .validade = Day(validade),
                                                             .data_fabricacao = fabricacao,
                                                             .fornecedor = fornecedor,
                                                             .lote_fornecedor = lote_fornecedor,
                                                             .nota_fiscal = nota_fiscal});
                                 auto res = http::Response::Json(201, LoteJson(created, hoje));
                                 res.headers.Set("Location", "/v1/estoque/lotes/" + created.id);
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
                 auto res = http::Response::Json(200, LoteJson(lot, Today(tx, ctx.fuso)));
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
               return ctx.db.Transact([&](pg::Transaction& tx) {
                 return http::ListPage(
                     ListMovimentacoes(tx, lote_id, request.Query("material"), cursor, order, limit + 1), limit,
                     MovementJson, [](const MovimentacaoLida& m) { return std::to_string(m.id); });
               });
             }));
}

}  // namespace pharmasys::estoque
