// The batch record of an OP, expiring lots and the dashboard (API.md Relatórios).
#include <boost/json/array.hpp>

#include <algorithm>
#include <charconv>
#include <map>

#include "../pdf/impressos.hpp"
#include "../storage/genealogia.hpp"
#include "../storage/painel.hpp"
#include "../storage/registro_de_lote.hpp"
#include "context.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/domain/excecoes_json.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/http/printout.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::relatorios {
namespace {

// Every status named, those with no row at 0.
boost::json::object Counts(const std::map<std::string, std::int64_t>& seen, std::initializer_list<const char*> keys) {
  boost::json::object out;
  for (const char* k : keys) out[k] = 0;
  for (const auto& [status, n] : seen) out[status] = n;
  return out;
}

boost::json::value Nullable(const std::optional<Decimal>& v) {
  return v ? json::ToJson(*v) : boost::json::value(nullptr);
}
boost::json::value Nullable(const std::optional<std::int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

// The OP document of the batch record, in the shape Produção gives it
// (`OrdemProducao` of producao.openapi.yaml), each lot with its laudos and `resultado_cq`.
// The signed review of the batch record (RULES G1), or null.
boost::json::value RevisaoJson(const std::optional<RevisaoDaOp>& r) {
  if (!r) return nullptr;
  return boost::json::object{{"revisado_por", r->revisado_por},
                             {"revisado_em", r->revisado_em},
                             {"excecoes", r->excecoes},
                             {"assinatura", json::Parse(r->assinatura)}};
}

// What the batch record's exceptions are computed from (libs/domain, as Produção does for the
// review): the recipe's step names, the step records, the desvios, the first lot.
domain::FatosDoRegistroDeLote FatosDoRegistro(const OpDoRegistro& lida, const std::vector<DesvioDaOp>& desvios) {
  domain::FatosDoRegistroDeLote fatos;
  if (lida.op.etapas) {
    const auto steps = json::Parse(*lida.op.etapas);
    for (const auto& step : steps.as_array()) {
      fatos.etapas[step.at("ordem").to_number<int>()] = std::string(step.at("nome").as_string());
    }
  }
  for (const auto& r : lida.registros) {
    domain::RegistroRevisto revisto{.id = r.id,
                                    .ordem = r.ordem,
                                    .motivo = r.motivo,
                                    .registrado_por = r.registrado_por,
                                    .registrado_em = r.registrado_em};
    revisto.fora_dos_limites = domain::ValoresForaDosLimites(json::Parse(r.fora_dos_limites).as_array());
    fatos.registros.push_back(std::move(revisto));
  }
  for (const auto& d : desvios) {
    fatos.desvios.push_back({.id = d.id,
                             .classificacao = d.classificacao,
                             .descricao = d.descricao,
                             .aberto = d.status == "aberto",
                             .aberto_em = d.aberto_em,
                             .encerrado_em = d.encerrado_em});
  }
  for (const auto& l : lida.lotes) {
    if (!fatos.primeiro_lote_em || l.criado_em < *fatos.primeiro_lote_em) fatos.primeiro_lote_em = l.criado_em;
  }
  return fatos;
}

boost::json::object OrdemProducaoJson(pg::Transaction& tx, const OpDoRegistro& lida) {
  const auto& o = lida.op;
  boost::json::array etapas, consumos, lotes;
  if (o.etapas) {
    const auto recipe_steps = json::Parse(*o.etapas);
    for (const auto& step : recipe_steps.as_array()) {
      auto etapa = step.as_object();
      const auto ordem = etapa.at("ordem").to_number<int>();
      auto r = std::find_if(lida.registros.begin(), lida.registros.end(),
                            [&](const RegistroDeEtapa& x) { return x.ordem == ordem; });
      boost::json::value registro = nullptr;
      if (r != lida.registros.end()) {
        auto fora = json::Parse(r->fora_dos_limites);
        const bool sinalizado = !fora.as_array().empty();
        registro = boost::json::object{{"id", r->id},
                                       {"ordem", r->ordem},
                                       {"parametros", json::Parse(r->parametros)},
                                       {"fora_dos_limites", std::move(fora)},
                                       {"sinalizado", sinalizado},
                                       {"motivo", json::ToJson(r->motivo)},
                                       {"observacao", json::ToJson(r->observacao)},
                                       {"registrado_por", r->registrado_por},
                                       {"registrado_em", r->registrado_em}};
      }
      etapa["registro"] = std::move(registro);
      etapas.push_back(std::move(etapa));
    }
  }
  for (const auto& c : lida.consumos) {
    boost::json::array items;
    for (const auto& l : c.lotes) {
      items.push_back(boost::json::object{{"lote_id", l.lote_id},
                                          {"lote_codigo", l.lote_codigo},
                                          {"quantidade", json::ToJson(l.quantidade)},
                                          {"validade", json::ToJson(l.validade)}});
    }
    consumos.push_back(boost::json::object{{"consumo_id", c.id},
                                           {"op_id", c.op_id},
                                           {"material", c.material},
                                           {"quantidade", Nullable(c.quantidade)},
                                           {"lotes", std::move(items)},
                                           {"estoque_consumo_id", json::ToJson(c.estoque_consumo_id)},
                                           {"criado_por", json::ToJson(c.criado_por)},
                                           {"criado_em", c.criado_em}});
  }
  for (const auto& l : lida.lotes) {
    auto laudos = LaudosOf(tx, l.id);
    boost::json::value laudo = nullptr;
    if (!laudos.empty()) {
      laudo = boost::json::object{{"laudo_id", laudos.back().at("laudo_id")},
                                  {"emitido_em", laudos.back().at("emitido_em")}};
    }
    boost::json::value resultado = laudos.empty() ? boost::json::value("pendente") : laudos.back().at("decisao");
    lotes.push_back(boost::json::object{{"id", l.id},
                                        {"codigo", l.codigo},
                                        {"op_id", l.op_id},
                                        {"material", l.material},
                                        {"quantidade", json::ToJson(l.quantidade)},
                                        {"unidade", l.unidade},
                                        {"data_fabricacao", json::ToJson(l.data_fabricacao)},
                                        {"validade", l.validade},
                                        {"status", l.status},
                                        {"laudo", std::move(laudo)},
                                        {"criado_por", json::ToJson(l.criado_por)},
                                        {"criado_em", l.criado_em},
                                        {"laudos", std::move(laudos)},
                                        {"resultado_cq", std::move(resultado)}});
  }
  return {{"id", o.id},
          {"codigo", o.codigo},
          {"produto", o.produto},
          {"quantidade", Nullable(o.quantidade)},
          {"receita_id", json::ToJson(o.receita_id)},
          {"receita_versao", Nullable(o.receita_versao)},
          {"status", o.status},
          {"status_antes_do_bloqueio", json::ToJson(o.status_antes_do_bloqueio)},
          {"desvios_abertos", o.desvios_abertos},
          {"etapas", std::move(etapas)},
          {"consumos", std::move(consumos)},
          {"lotes", std::move(lotes)},
          {"motivo_cancelamento", json::ToJson(o.motivo_cancelamento)},
          {"criado_por", json::ToJson(o.criado_por)},
          {"criado_em", json::ToJson(o.criado_em)},
          {"iniciada_em", json::ToJson(o.iniciada_em)},
          {"concluida_em", json::ToJson(o.concluida_em)},
          {"cancelada_em", json::ToJson(o.cancelada_em)},
          {"versao", Nullable(o.versao)}};
}

}  // namespace

void AddReportRoutes(http::Router& router, RelatoriosContext& ctx) {
  // The batch record, from the read models alone: it reads the same whether Produção is up or not.
  router.Get("/v1/relatorios/ordens-producao/{op_id}", [&ctx](http::Request& request) {
    const std::string op_id(request.PathParam("op_id"));
    if (!json::IsUuid(op_id)) throw NotFound("Ordem de produção " + op_id + " não encontrada.");
    return ctx.db.Transact(
        [&](pg::Transaction& tx) {
          auto lida = ReadOpDoRegistro(tx, op_id);
          if (!lida) throw NotFound("Ordem de produção " + op_id + " não encontrada.");
          boost::json::array historico, desvios;
          for (const auto& h : HistoricoDaOp(tx, op_id)) {
            historico.push_back(boost::json::object{{"status", h.status},
                                                    {"status_anterior", json::ToJson(h.status_anterior)},
                                                    {"usuario", json::ToJson(h.usuario)},
                                                    {"ocorrido_em", h.ocorrido_em}});
          }
          const auto desvios_da_op = DesviosDaOp(tx, op_id);
          for (const auto& d : desvios_da_op) {
            desvios.push_back(boost::json::object{{"desvio_id", d.id},
                                                  {"lote_id", json::ToJson(d.lote_id)},
                                                  {"classificacao", json::ToJson(d.classificacao)},
                                                  {"descricao", json::ToJson(d.descricao)},
                                                  {"status", d.status},
                                                  {"aberto_em", json::ToJson(d.aberto_em)},
                                                  {"encerrado_em", json::ToJson(d.encerrado_em)}});
          }
          boost::json::array excecoes;
          for (const auto& e : domain::ExcecoesDoRegistro(FatosDoRegistro(*lida, desvios_da_op))) {
            excecoes.push_back(domain::ExcecaoJson(e));
          }
          boost::json::object documento{{"ordem_producao", OrdemProducaoJson(tx, *lida)},
                                        {"historico_status", std::move(historico)},
                                        {"desvios", std::move(desvios)},
                                        {"excecoes", std::move(excecoes)},
                                        {"revisao", RevisaoJson(RevisaoDaOrdem(tx, op_id))},
                                        {"gerado_em", clock::NowRfc3339()}};
          // The same record has the same hash, in its JSON and on every page of its printout.
          const std::string hash = http::DocumentHash(documento);
          if (http::WantsPdf(request)) {
            return http::PdfResponse(BatchRecordPdf(documento, hash), "registro-de-lote-" + lida->op.codigo, hash);
          }
          documento["hash"] = hash;
          return http::Response::Json(200, std::move(documento));
        },
        pg::Isolation::RepeatableRead);
  });

  router.Get("/v1/relatorios/estoque/vencimentos", [&ctx](http::Request& request) {
    std::int64_t dias = 90;
    if (auto text = request.Query("dias")) {
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), dias);
      if (ec != std::errc() || end != text->data() + text->size() || dias < 0 || dias > 3650) {
        throw ValidationError(std::vector<FieldError>{{"dias", "deve ser um inteiro de 0 a 3650"}});
      }
    }
    auto limit = http::ListLimit(request);
    auto cursor = http::UuidCursor(request);
    auto lotes = LotesVencendo(ctx.db, ctx.fuso, dias, cursor, limit + 1);
    boost::json::array items;
    for (std::size_t i = 0; i < lotes.size() && static_cast<std::int64_t>(i) < limit; ++i) {
      const auto& l = lotes[i];
      items.push_back(boost::json::object{{"lote_id", l.lote_id},
                                          {"lote_codigo", l.lote_codigo},
                                          {"material", l.material},
                                          {"material_nome", json::ToJson(l.material_nome)},
                                          {"status", l.status},
                                          {"validade", l.validade},
                                          {"quantidade", json::ToJson(l.quantidade)},
                                          {"unidade", l.unidade},
                                          {"dias_restantes", l.dias_restantes}});
    }
    std::optional<std::string> next;
    if (static_cast<std::int64_t>(lotes.size()) > limit) next = lotes[static_cast<std::size_t>(limit) - 1].lote_id;
    return http::ListPage(std::move(items), next);
  });

  router.Get("/v1/relatorios/painel", [&ctx](http::Request&) {
    return ctx.db.Transact(
        [&](pg::Transaction& tx) {
          const auto painel = LerPainel(tx, ctx.fuso);
          return http::Response::Json(
              200, boost::json::object{
                       {"lotes_por_status",
                        Counts(painel.lotes_por_status, {"quarentena", "liberado", "reprovado", "recolhido"})},
                       {"ops_por_status", Counts(painel.ops_por_status,
                                                 {"planejada", "em_execucao", "bloqueada", "concluida", "cancelada"})},
                       {"desvios_abertos", painel.desvios_abertos},
                       {"lotes_vencendo_30_dias", painel.lotes_vencendo_30_dias},
                       {"lotes_vencendo_90_dias", painel.lotes_vencendo_90_dias},
                       {"perdas_30_dias", painel.perdas_30_dias},
                       {"perdas_evitaveis", painel.perdas_evitaveis},
                       {"gerado_em", clock::NowRfc3339()}});
        },
        pg::Isolation::RepeatableRead);
  });
}

}  // namespace pharmasys::relatorios
