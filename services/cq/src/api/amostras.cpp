// Samples (API.md CQ): created for every lot (see consumers/), collected, analysed. The
// request parsed, the act (app/amostras.hpp) called on the sample of the path under its row
// lock, the sample or the result answered.
#include <boost/json/array.hpp>

#include "../app/amostras.hpp"
#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::cq {
namespace {

Sample LoadSample(pg::Transaction& tx, const http::Request& request, bool for_update) {
  return CarregarAmostra(tx, std::string(request.PathParam("id")), for_update);
}

http::Response SampleResponse(pg::Transaction& tx, int status, const Sample& sample) {
  auto res = http::Response::Json(status, SampleJson(tx, sample));
  http::SetVersionTag(res, sample.versao);
  return res;
}

// The result's body: the ensaio, its value (a number with up to three decimals, or a text)
// and the motivo of a correction. 422 for what does not parse.
PedidoDeResultado ResultadoOf(const http::Request& request) {
  json::Fields body(request.Json());
  PedidoDeResultado pedido{.ensaio = body.String("ensaio", {.max_length = 40})};
  const auto* raw = body.Raw("valor");
  if (raw == nullptr || raw->is_null()) {
    body.Fail("valor", "é obrigatório");
  } else if (raw->is_string()) {
    pedido.valor = std::string(raw->as_string());
  } else if (auto number = json::DecimalFrom(*raw)) {
    pedido.valor = *number;
  } else {
    body.Fail("valor", "deve ser um número com até 3 casas decimais, ou um texto");
  }
  pedido.motivo = body.OptionalMotivo();
  body.Finish();
  return pedido;
}

http::Response ResultadoResponse(const Sample& sample, const ResultadoRegistrado& r) {
  boost::json::object out = r.resultado.ToJson();
  out["amostra_id"] = sample.id;
  out["especificacao_versao"] = r.especificacao_versao;
  out["especificacao"] = ToJson(r.ensaio);
  out["fora_de_especificacao"] = !r.resultado.conforme;
  auto res = http::Response::Json(201, out);
  res.headers.Set("Location", "/v1/amostras/" + sample.id);
  return res;
}

}  // namespace

void AddSampleRoutes(http::Router& router, CqContext& ctx) {
  router.Get("/v1/amostras", [&ctx](http::Request& request) {
    RequireQualityReader(request);
    auto limit = http::ListLimit(request);
    auto status = request.Query("status");
    if (status && !ParseAmostraStatus(*status)) {
      throw ValidationError(
          std::vector<FieldError>{{"status", "deve ser aguardando_coleta, coletada, em_analise ou concluida"}});
    }
    auto lote_id = request.Query("lote_id");
    if (lote_id && !json::IsUuid(*lote_id)) {
      throw ValidationError(std::vector<FieldError>{{"lote_id", "deve ser um UUID"}});
    }
    auto cursor = http::UuidCursor(request);
    auto order = http::ListOrder(request);
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto samples = ListSamples(tx, status, lote_id, cursor, order, limit + 1);
      return http::ListPage(
          samples, limit, [&](const auto& x) { return SampleJson(tx, x); }, [](const auto& x) { return x.id; });
    });
  });

  router.Get("/v1/amostras/{id}", AtTheEdge([&ctx](http::Request& request) {
               RequireQualityReader(request);
               return ctx.db.Transact(
                   [&](pg::Transaction& tx) { return SampleResponse(tx, 200, LoadSample(tx, request, false)); });
             }));

  router.Post("/v1/amostras/{id}/coleta",
              http::Idempotent(
                  ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                    auth::RequireRole(request, {"analista_cq"});
                    Sample sample = LoadSample(tx, request, true);
                    http::CheckIfMatch(request, sample.versao);
                    json::Fields body(request.Json());
                    PedidoDeColeta pedido{.quantidade = body.Quantity("quantidade")};
                    pedido.observacao = body.OptionalString("observacao", {.min_length = 0, .max_length = 2000});
                    body.Finish();
                    return SampleResponse(tx, 200, ColetarAmostra(tx, audit::Actor::From(request), sample, pedido));
                  })));

  router.Post("/v1/amostras/{id}/resultados",
              http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"analista_cq"});
                                 Sample sample = LoadSample(tx, request, true);
                                 const auto pedido = ResultadoOf(request);
                                 auto registrado = RegistrarResultado(tx, audit::Actor::From(request), sample, pedido);
                                 return ResultadoResponse(sample, registrado);
                               })));
}

}  // namespace pharmasys::cq
