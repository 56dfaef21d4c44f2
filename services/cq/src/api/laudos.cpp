// Laudos (API.md CQ; RULES.md B3, S1–S3): a signed decision on a sample. The rules are
// domain/amostra.hpp's CheckLaudo; the signature is bound to `amostra:<id>` with the meaning
// of the decision. `GET` answers JSON, or the certificate of analysis as PDF.
#include <boost/json/array.hpp>

#include "../pdf/certificado.hpp"
#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::cq {
namespace {

[[noreturn]] void Refuse(const DecisaoLaudo& decision) {
  switch (decision.recusa) {
    case Recusa::QuatroOlhos: throw Forbidden("Quatro olhos: " + decision.detalhe + ".");
    case Recusa::MotivoAusente: throw ValidationError(std::vector<FieldError>{{"motivo", decision.detalhe}});
    case Recusa::DesvioAberto: throw Conflict(decision.detalhe + ".");
    case Recusa::ForaDeEspecificacao:
    case Recusa::Nenhuma: break;
  }
  throw Error(422, "fora-de-especificacao", "Fora de especificação", decision.detalhe + ".");
}

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
  auto res = http::Response::Text(200, RenderCertificate(d), "application/pdf");
  res.headers.Set("Content-Disposition", "inline; filename=\"laudo-" + lot->codigo + ".pdf\"");
  return res;
}

bool WantsPdf(const http::Request& request) {
  auto accept = request.headers.Get("Accept");
  return accept && accept->find("application/pdf") != std::string_view::npos;
}

}  // namespace

void AddLaudoRoutes(http::Router& router, CqContext& ctx) {
  router.Post(
      "/v1/laudos", http::Idempotent(ctx.db, [&ctx](http::Request& request, pg::Transaction& tx) {
        auth::RequireRole(request, {"analista_cq"});
        json::Fields body(request.Json());
        auto amostra_id = body.Uuid("amostra_id");
        auto decisao = body.Enum("decisao", {"aprovado", "reprovado"});
        auto observacao = body.OptionalString("observacao", {.min_length = 0, .max_length = 4000});
        auto motivo = body.OptionalMotivo();
        body.Finish();
        // Before anything else, the lock a desvio on this lot or its OP also takes: a desvio
        // committed before this laudo is counted below, one opened meanwhile waits for it.
        if (auto unlocked = FindSample(tx, amostra_id)) {
          if (auto scope = FindLot(tx, unlocked->lote_id)) LockDesvioScope(tx, scope->op_id, scope->id);
        }
        auto sample = FindSample(tx, amostra_id, true);
        if (!sample) throw ValidationError(std::vector<FieldError>{{"amostra_id", "amostra desconhecida"}});
        // The signature first: a token for another record, expired or already used is refused
        // as such whatever the state of the sample. If a rule below refuses the laudo, the
        // transaction rolls back and the token stays unused for the corrected request.
        auto assinatura = auth::ConsumeSignature(tx, *ctx.verifier, request, "amostra:" + sample->id,
                                                 {decisao == "aprovado" ? "aprovacao" : "reprovacao"});
        if (!Next(*ParseAmostraStatus(sample->status), AmostraAto::Laudo)) {
          throw Conflict("A amostra " + sample->codigo + " está " + sample->status + ": não aceita laudo.");
        }
        auto lot = FindLot(tx, sample->lote_id, true);
        // The lot lifecycle decides first: a recalled lot takes no laudo, a reprovado one no approval.
        const auto transicao = Apply(lot->status, *domain::FatoDoLaudo(decisao));
        if (!transicao.aceita()) {
          throw Conflict("O lote " + lot->codigo + ": " + std::string(domain::Explain(transicao.recusa)) + ".");
        }

        ContextoLaudo contexto;
        if (sample->especificacao_versao) {
          contexto.ensaios = FindSpecification(tx, lot->material, sample->especificacao_versao)->ensaios;
        }
        auto all = ResultsOf(tx, sample->id);
        for (const auto& r : CurrentResults(all)) contexto.resultados.push_back({r.ensaio, r.conforme});
        for (const auto& r : all) contexto.analistas.insert(r.registrado_por_sub);
        contexto.desvios_abertos = static_cast<int>(OpenDesvios(tx, lot->id, lot->op_id));
        auto decision = CheckLaudo(contexto, {decisao, motivo, request.principal.sub});
        if (!decision.ok()) Refuse(decision);

        const auto actor = audit::Actor::From(request);
        Laudo laudo{
            .id = ids::NewUuidV7(),
            .amostra_id = sample->id,
            .lote_id = lot->id,
            .decisao = decisao,
            .emitido_por_sub = actor.sub,
            .emitido_por_username = actor.username,
            .emitido_por_nome = actor.nome.empty() ? actor.username : actor.nome,
            .emitido_em = clock::NowRfc3339(),
            .observacao = observacao,
            .motivo = motivo,
            .assinatura = {{"nome", assinatura.nome}, {"significado", assinatura.significado}, {"em", assinatura.em}}};
        InsertLaudo(tx, laudo);
        SetSampleStatus(tx, sample->id, AmostraStatus::Concluida);
        if (transicao.mudou) SetLotStatus(tx, lot->id, transicao.status);
        audit::Audit(tx, actor,
                     {.acao = "laudo.emitido",
                      .entidade = "laudo",
                      .entidade_id = laudo.id,
                      .antes = {{"lote_status", ToString(lot->status)}, {"amostra_status", sample->status}},
                      .depois = {{"decisao", decisao},
                                 {"amostra_id", sample->id},
                                 {"lote_id", lot->id},
                                 {"lote_status", ToString(transicao.status)},
                                 {"amostra_status", "concluida"}},
                      .motivo = motivo,
                      .assinatura = assinatura});
        events::Publish(
            tx, events::NewEvent(
                    "cq",
                    events::LaudoEmitido{.laudo_id = laudo.id,
                                         .amostra_id = sample->id,
                                         .lote_id = lot->id,
                                         .lote_codigo = lot->codigo,
                                         .decisao = decisao,
                                         .emitido_por = laudo.emitido_por_nome,
                                         .emitido_em = laudo.emitido_em,
                                         .assinatura = {assinatura.nome, assinatura.significado, assinatura.em}},
                    {request.principal.sub, request.principal.username}));
        auto stored = FindLaudo(tx, laudo.id);
        auto res = http::Response::Json(201, stored->ToJson());
        res.headers.Set("Location", "/v1/laudos/" + laudo.id);
        return res;
      }));

  router.Get("/v1/laudos/{id}", [&ctx](http::Request& request) {
    const std::string id(request.PathParam("id"));
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto laudo = FindLaudo(tx, id);
      if (!laudo) throw NotFound("Laudo " + id + " não encontrado.");
      if (WantsPdf(request)) return Certificate(tx, *laudo);
      return http::Response::Json(200, laudo->ToJson());
    });
  });
}

}  // namespace pharmasys::cq
