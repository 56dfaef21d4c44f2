#include "amostras.hpp"

#include <algorithm>

#include "../domain/amostra.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/json/json.hpp"
#include "recusa.hpp"

namespace pharmasys::cq {
namespace {

AmostraStatus Advance(const Sample& sample, AmostraAto ato, std::string_view what) {
  auto next = Next(*ParseAmostraStatus(sample.status), ato);
  if (!next) {
    throw Recusa(Motivo::EstadoNaoPermite,
                 "A amostra " + sample.codigo + " está " + sample.status + ": não aceita " + std::string(what) + ".");
  }
  return *next;
}

}  // namespace

Sample CarregarAmostra(pg::Transaction& tx, const std::string& id, bool for_update) {
  auto sample = FindSample(tx, id, for_update);
  if (!sample) throw Recusa(Motivo::NaoEncontrado, "Amostra " + id + " não encontrada.");
  return std::move(*sample);
}

Sample ColetarAmostra(pg::Transaction& tx, const audit::Actor& actor, const Sample& amostra,
                      const PedidoDeColeta& pedido) {
  Advance(amostra, AmostraAto::Coleta, "coleta");
  SetSampleCollected(tx, amostra.id, pedido.quantidade, pedido.observacao, actor.username);
  boost::json::object depois{{"status", "coletada"}, {"quantidade", json::ToJson(pedido.quantidade)}};
  if (pedido.observacao) depois["observacao"] = *pedido.observacao;
  audit::Audit(tx, actor,
               {.acao = "amostra.coletada",
                .entidade = "amostra",
                .entidade_id = amostra.id,
                .antes = {{"status", amostra.status}},
                .depois = depois});
  return *FindSample(tx, amostra.id);
}

ResultadoRegistrado RegistrarResultado(pg::Transaction& tx, const audit::Actor& actor, const Sample& amostra,
                                       const PedidoDeResultado& pedido) {
  const AmostraStatus next = Advance(amostra, AmostraAto::Resultado, "resultados");
  auto lot = FindLot(tx, amostra.lote_id);
  // The sample keeps the version current when its first result is entered.
  auto spec = FindSpecification(tx, lot->material, amostra.especificacao_versao);
  if (!spec) {
    throw Recusa(Motivo::EstadoNaoPermite, "O material " + lot->material + " não tem especificação: cadastre-a antes.");
  }
  auto ensaio = std::find_if(spec->ensaios.begin(), spec->ensaios.end(),
                             [&](const Ensaio& e) { return e.codigo == pedido.ensaio; });
  if (ensaio == spec->ensaios.end()) {
    throw Recusa::Campo("ensaio", "não existe na especificação versão " + std::to_string(spec->versao));
  }
  auto check = Check(*ensaio, pedido.valor);
  if (!check.recusa.empty()) throw Recusa::Campo("valor", check.recusa);
  auto previous = CurrentResults(ResultsOf(tx, amostra.id));
  auto replaced =
      std::find_if(previous.begin(), previous.end(), [&](const Result& r) { return r.ensaio == pedido.ensaio; });
  if (replaced != previous.end() && !pedido.motivo) {
    throw Recusa::Campo("motivo", "o ensaio já tem resultado: corrigi-lo exige um motivo (≥ 3 caracteres)");
  }
  Result result = InsertResult(tx, amostra.id, pedido.ensaio, pedido.valor, check.conforme, pedido.motivo, actor);
  SetSampleStatus(tx, amostra.id, next, spec->versao);
  boost::json::object antes;
  if (replaced != previous.end()) {
    antes = {{"valor", replaced->ToJson().at("valor")}, {"conforme", replaced->conforme}};
  }
  audit::Audit(tx, actor,
               {.acao = replaced == previous.end() ? "resultado.registrado" : "resultado.corrigido",
                .entidade = "amostra",
                .entidade_id = amostra.id,
                .antes = antes,
                .depois = {{"ensaio", pedido.ensaio},
                           {"valor", result.ToJson().at("valor")},
                           {"conforme", check.conforme},
                           {"especificacao_versao", spec->versao}},
                .motivo = pedido.motivo});
  return {.resultado = std::move(result), .especificacao_versao = spec->versao, .ensaio = *ensaio};
}

}  // namespace pharmasys::cq
