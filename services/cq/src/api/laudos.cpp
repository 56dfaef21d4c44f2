// Laudos (API.md CQ): the request parsed, the act (app/laudos.hpp) called with the caller's
// signature token, the laudo answered; `GET` answers JSON, or the certificate of analysis as PDF.
#include <boost/json/array.hpp>

#include "../app/laudos.hpp"
#include "../pdf/certificado.hpp"
#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/printout.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::cq {
namespace {

// Brazilian decimal comma for the printed certificate.
std::string Printed(Decimal value) {
  std::string text = value.ToString();
  for (auto& c : text) {
    if (c == '.') c = ',';
  }
  return text;
}

// "2026-11-28" → "28/11/2026"; "2026-11-29T11:13:15.974Z" → "29/11/2026 11:13:15 UTC".
std::string PrintedDate(const std::string& iso) {
  if (iso.size() < 10) return iso;
  std::string out = iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
  if (iso.size() >= 19 && iso[10] == 'T') out += " " + iso.substr(11, 8) + " UTC";
  return out;
}

std::string Limits(const Ensaio& e) {
  if (e.esperado) return *e.esperado;
  const std::string unit = e.unidade ? " " + *e.unidade : "";
  if (e.minimo && e.maximo) return Printed(*e.minimo) + " a " + Printed(*e.maximo) + unit;
  if (e.minimo) return "≥ " + Printed(*e.minimo) + unit;
  return "≤ " + Printed(*e.maximo) + unit;
}

http::Response Certificate(pg::Transaction& tx, const Laudo& laudo) {
  auto sample = FindSample(tx, laudo.amostra_id);
  auto lot = FindLot(tx, laudo.lote_id);
  auto material = FindMaterial(tx, lot->material);
  CertificateData d;
  d.laudo_id = laudo.id;
  d.lote_codigo = lot->codigo;
  d.material = lot->material + (material ? " — " + material->nome : "");
  d.validade = PrintedDate(lot->validade);
  d.fabricacao = lot->data_fabricacao ? PrintedDate(*lot->data_fabricacao) : "";
  d.origem = lot->origem == "producao" ? "Produção"
                                       : "Recebimento" + (lot->fornecedor ? " — " + *lot->fornecedor : std::string()) +
                                             (lot->lote_fornecedor ? ", lote " + *lot->lote_fornecedor : std::string());
  d.amostra_codigo = sample->codigo;
  auto results = CurrentResults(ResultsOf(tx, sample->id));
  if (sample->especificacao_versao) {
    d.especificacao_versao = "versão " + std::to_string(*sample->especificacao_versao);
    auto spec = FindSpecification(tx, lot->material, sample->especificacao_versao);
    for (const auto& e : spec->ensaios) {
      CertificateRow row{.ensaio = e.codigo + " — " + e.nome, .especificacao = Limits(e), .resultado = "não realizado"};
      auto r = std::find_if(results.begin(), results.end(), [&](const Result& x) { return x.ensaio == e.codigo; });
      if (r != results.end()) {
        const auto* number = std::get_if<Decimal>(&r->valor);
        row.resultado =
            number ? Printed(*number) + (e.unidade ? " " + *e.unidade : "") : std::get<std::string>(r->valor);
        row.conforme = r->conforme;
      }
      d.resultados.push_back(std::move(row));
    }
  }
  d.decisao = laudo.decisao == "aprovado" ? "APROVADO" : "REPROVADO";
  d.observacao = laudo.observacao.value_or("");
  d.motivo = laudo.motivo.value_or("");
  d.assinatura_nome = std::string(laudo.assinatura.at("nome").as_string());
  d.assinatura_em = PrintedDate(std::string(laudo.assinatura.at("em").as_string()));
  const auto significado = laudo.assinatura.at("significado").as_string();
  d.assinatura_significado = significado == "aprovacao"    ? "aprovação"
                             : significado == "reprovacao" ? "reprovação"
                                                           : std::string(significado);
  d.emitido_por = laudo.emitido_por_username;
  return http::PdfResponse(RenderCertificate(d), "laudo-" + lot->codigo);
}

}  // namespace

void AddLaudoRoutes(http::Router& router, CqContext& ctx) {
  router.Post("/v1/laudos",
              http::Idempotent(ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"analista_cq"});
                                 json::Fields body(request.Json());
                                 PedidoDeLaudo pedido{.amostra_id = body.Uuid("amostra_id"),
                                                      .decisao = body.Enum("decisao", {"aprovado", "reprovado"}),
                                                      .observacao = body.OptionalString(
                                                          "observacao", {.min_length = 0, .max_length = 4000}),
                                                      .motivo = body.OptionalMotivo()};
                                 body.Finish();
                                 auto assinar = [&](const std::string& registro, std::string_view significado) {
                                   return auth::ConsumeSignature(tx, *ctx.verifier, request, registro, {significado});
                                 };
                                 Laudo laudo = EmitirLaudo(tx, audit::Actor::From(request), pedido, assinar);
                                 auto res = http::Response::Json(201, laudo.ToJson());
                                 res.headers.Set("Location", "/v1/laudos/" + laudo.id);
                                 return res;
                               })));

  router.Get("/v1/laudos/{id}", [&ctx](http::Request& request) {
    const std::string id(request.PathParam("id"));
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto laudo = FindLaudo(tx, id);
      if (!laudo) throw NotFound("Laudo " + id + " não encontrado.");
      if (http::WantsPdf(request)) return Certificate(tx, *laudo);
      return http::Response::Json(200, laudo->ToJson());
    });
  });
}

}  // namespace pharmasys::cq
