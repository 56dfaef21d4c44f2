// Samples (API.md CQ): created for every lot (see consumers/), collected, analysed. A result
// is checked against the specification when it is entered (domain/conformidade.hpp), so an
// out-of-specification value is flagged at once; a correction is a new result with a motivo.
#include <boost/json/array.hpp>

#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/http/list_page.hpp"

namespace pharmasys::cq {
namespace {

Sample LoadSample(pg::Transaction& tx, const http::Request& request, bool for_update) {
  const std::string id(request.PathParam("id"));
  auto sample = FindSample(tx, id, for_update);
  if (!sample) throw NotFound("Amostra " + id + " não encontrada.");
  return std::move(*sample);
}

http::Response SampleResponse(pg::Transaction& tx, int status, const Sample& sample) {
  auto res = http::Response::Json(status, SampleJson(tx, sample));
  http::SetVersionTag(res, sample.versao);
  return res;
}

AmostraStatus Advance(const Sample& sample, AmostraAto ato, std::string_view what) {
  auto next = Next(*ParseAmostraStatus(sample.status), ato);
  if (!next) {
    throw Conflict("A amostra " + sample.codigo + " está " + sample.status + ": não aceita " + std::string(what) + ".");
  }
  return *next;
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

  router.Get("/v1/amostras/{id}", [&ctx](http::Request& request) {
    RequireQualityReader(request);
    return ctx.db.Transact(
        [&](pg::Transaction& tx) { return SampleResponse(tx, 200, LoadSample(tx, request, false)); });
  });

  router.Post("/v1/amostras/{id}/coleta", http::Idempotent(ctx.db, [](http::Request& request, pg::Transaction& tx) {
                auth::RequireRole(request, {"analista_cq"});
                Sample sample = LoadSample(tx, request, true);
                http::CheckIfMatch(request, sample.versao);
                json::Fields body(request.Json());
                auto quantidade = body.Quantity("quantidade");
                auto observacao = body.OptionalString("observacao", {.min_length = 0, .max_length = 2000});
                body.Finish();
                Advance(sample, AmostraAto::Coleta, "coleta");
                const auto actor = audit::Actor::From(request);
                SetSampleCollected(tx, sample.id, quantidade, observacao, actor.username);
                boost::json::object depois{{"status", "coletada"}, {"quantidade", json::ToJson(quantidade)}};
                if (observacao) depois["observacao"] = *observacao;
                audit::Audit(tx, actor,
                             {.acao = "amostra.coletada",
                              .entidade = "amostra",
                              .entidade_id = sample.id,
                              .antes = {{"status", sample.status}},
                              .depois = depois});
                return SampleResponse(tx, 200, *FindSample(tx, sample.id));
              }));

  router.Post("/v1/amostras/{id}/resultados", http::Idempotent(ctx.db, [](http::Request& request, pg::Transaction& tx) {
                auth::RequireRole(request, {"analista_cq"});
                Sample sample = LoadSample(tx, request, true);
                json::Fields body(request.Json());
                auto ensaio_codigo = body.String("ensaio", {.max_length = 40});
                const auto* raw = body.Raw("valor");
                std::optional<Valor> valor;
                if (raw == nullptr || raw->is_null()) {
                  body.Fail("valor", "é obrigatório");
                } else if (raw->is_string()) {
                  valor = std::string(raw->as_string());
                } else if (auto number = json::DecimalFrom(*raw)) {
                  valor = *number;
                } else {
                  body.Fail("valor", "deve ser um número com até 3 casas decimais, ou um texto");
                }
                auto motivo = body.OptionalMotivo();
                body.Finish();
                const AmostraStatus next = Advance(sample, AmostraAto::Resultado, "resultados");
                auto lot = FindLot(tx, sample.lote_id);
                // The sample keeps the version current when its first result is entered.
                auto spec = FindSpecification(tx, lot->material, sample.especificacao_versao);
                if (!spec) throw Conflict("O material " + lot->material + " não tem especificação: cadastre-a antes.");
                auto ensaio = std::find_if(spec->ensaios.begin(), spec->ensaios.end(),
                                           [&](const Ensaio& e) { return e.codigo == ensaio_codigo; });
                if (ensaio == spec->ensaios.end()) {
                  throw ValidationError(std::vector<FieldError>{
                      {"ensaio", "não existe na especificação versão " + std::to_string(spec->versao)}});
                }
                auto check = Check(*ensaio, *valor);
                if (!check.recusa.empty()) throw ValidationError(std::vector<FieldError>{{"valor", check.recusa}});
                auto previous = CurrentResults(ResultsOf(tx, sample.id));
                auto replaced = std::find_if(previous.begin(), previous.end(),
                                             [&](const Result& r) { return r.ensaio == ensaio_codigo; });
                if (replaced != previous.end() && !motivo) {
                  throw ValidationError(std::vector<FieldError>{
                      {"motivo", "o ensaio já tem resultado: corrigi-lo exige um motivo (≥ 3 caracteres)"}});
                }
                const auto actor = audit::Actor::From(request);
                Result result = InsertResult(tx, sample.id, ensaio_codigo, *valor, check.conforme, motivo, actor);
                SetSampleStatus(tx, sample.id, next, spec->versao);
                boost::json::object antes;
                if (replaced != previous.end()) {
                  antes = {{"valor", replaced->ToJson().at("valor")}, {"conforme", replaced->conforme}};
                }
                audit::Audit(tx, actor,
                             {.acao = replaced == previous.end() ? "resultado.registrado" : "resultado.corrigido",
                              .entidade = "amostra",
                              .entidade_id = sample.id,
                              .antes = antes,
                              .depois = {{"ensaio", ensaio_codigo},
                                         {"valor", result.ToJson().at("valor")},
                                         {"conforme", check.conforme},
                                         {"especificacao_versao", spec->versao}},
                              .motivo = motivo});
                boost::json::object out = result.ToJson();
                out["amostra_id"] = sample.id;
                out["especificacao_versao"] = spec->versao;
                out["especificacao"] = ToJson(*ensaio);
                out["fora_de_especificacao"] = !check.conforme;
                auto res = http::Response::Json(201, out);
                res.headers.Set("Location", "/v1/amostras/" + sample.id);
                return res;
              }));
}

}  // namespace pharmasys::cq
