// The batch record of an OP, expiring lots and the dashboard (API.md Relatórios).
#include <boost/json/array.hpp>

#include <algorithm>
#include <charconv>

#include "../storage/genealogia.hpp"
#include "../storage/registro_de_lote.hpp"
#include "context.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::relatorios {
namespace {

constexpr pg::Query kHistorico{
    "rel_op_historico_of",
    "SELECT status, status_anterior, usuario, " PHARMASYS_PG_INSTANT(
        "ocorrido_em") " FROM op_historico WHERE op_id = $1::uuid ORDER BY ocorrido_em, evento_id"};
constexpr pg::Query kOpDesvios{
    "rel_op_desvios", "SELECT id, lote_id, classificacao, descricao, status, " PHARMASYS_PG_INSTANT("aberto_em") ", " PHARMASYS_PG_INSTANT(
                          "encerrado_em") " FROM desvios WHERE op_id = $1::uuid ORDER BY aberto_em NULLS LAST"};
constexpr pg::Query kExpiring{
    "rel_vencimentos",
    "SELECT l.id, l.codigo, l.material, m.nome, l.status, l.validade::text, l.quantidade, l.unidade,"
    " l.validade - (now() AT TIME ZONE $1)::date FROM lotes l LEFT JOIN materiais m ON m.codigo = l.material"
    " WHERE l.status IN ('quarentena', 'liberado') AND l.validade >= (now() AT TIME ZONE $1)::date"
    " AND l.validade <= (now() AT TIME ZONE $1)::date + $2::integer"
    " AND ($3::uuid IS NULL OR (l.validade, l.id) > (SELECT validade, id FROM lotes WHERE id = $3::uuid))"
    " ORDER BY l.validade, l.id LIMIT $4"};
constexpr pg::Query kLotsByStatus{"rel_painel_lotes", "SELECT status, count(*) FROM lotes GROUP BY status"};
constexpr pg::Query kOpsByStatus{"rel_painel_ops", "SELECT status, count(*) FROM ops GROUP BY status"};
constexpr pg::Query kOpenDeviations{"rel_painel_desvios", "SELECT count(*) FROM desvios WHERE status = 'aberto'"};
constexpr pg::Query kExpiringCount{
    "rel_painel_vencendo",
    "SELECT count(*) FILTER (WHERE validade <= hoje + 30), count(*) FROM lotes,"
    " LATERAL (SELECT (now() AT TIME ZONE $1)::date AS hoje) d"
    " WHERE status IN ('quarentena', 'liberado') AND validade >= hoje AND validade <= hoje + 90"};

boost::json::object Counts(pg::Transaction& tx, const pg::Query& query, std::initializer_list<const char*> keys) {
  boost::json::object out;
  for (const char* k : keys) out[k] = 0;
  auto rows = tx.Exec(query);
  for (int i = 0; i < rows.size(); ++i) out[rows[i].String(0)] = rows[i].Int(1);
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
          auto rows = tx.Exec(kHistorico, pg::Params(op_id));
          for (int i = 0; i < rows.size(); ++i) {
            historico.push_back(boost::json::object{{"status", rows[i].String(0)},
                                                    {"status_anterior", json::ToJson(rows[i].OptionalString(1))},
                                                    {"usuario", json::ToJson(rows[i].OptionalString(2))},
                                                    {"ocorrido_em", rows[i].String(3)}});
          }
          auto d = tx.Exec(kOpDesvios, pg::Params(op_id));
          for (int i = 0; i < d.size(); ++i) {
            desvios.push_back(boost::json::object{{"desvio_id", d[i].String(0)},
                                                  {"lote_id", json::ToJson(d[i].OptionalString(1))},
                                                  {"classificacao", json::ToJson(d[i].OptionalString(2))},
                                                  {"descricao", json::ToJson(d[i].OptionalString(3))},
                                                  {"status", d[i].String(4)},
                                                  {"aberto_em", json::ToJson(d[i].OptionalString(5))},
                                                  {"encerrado_em", json::ToJson(d[i].OptionalString(6))}});
          }
          return http::Response::Json(200, boost::json::object{{"ordem_producao", OrdemProducaoJson(tx, *lida)},
                                                               {"historico_status", std::move(historico)},
                                                               {"desvios", std::move(desvios)},
                                                               {"gerado_em", clock::NowRfc3339()}});
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
    auto rows = ctx.db.Exec(kExpiring, pg::Params(ctx.fuso, dias, cursor, limit + 1));
    boost::json::array items;
    for (int i = 0; i < rows.size() && i < limit; ++i) {
      auto r = rows[i];
      items.push_back(boost::json::object{{"lote_id", r.String(0)},
                                          {"lote_codigo", r.String(1)},
                                          {"material", r.String(2)},
                                          {"material_nome", json::ToJson(r.OptionalString(3))},
                                          {"status", r.String(4)},
                                          {"validade", r.String(5)},
                                          {"quantidade", json::ToJson(r.Numeric(6))},
                                          {"unidade", r.String(7)},
                                          {"dias_restantes", r.Int(8)}});
    }
    std::optional<std::string> next;
    if (rows.size() > limit) next = rows[static_cast<int>(limit) - 1].String(0);
    return http::ListPage(std::move(items), next);
  });

  router.Get("/v1/relatorios/painel", [&ctx](http::Request&) {
    return ctx.db.Transact(
        [&](pg::Transaction& tx) {
          auto vencendo = tx.Exec(kExpiringCount, pg::Params(ctx.fuso)).Single();
          return http::Response::Json(
              200,
              boost::json::object{
                  {"lotes_por_status", Counts(tx, kLotsByStatus, {"quarentena", "liberado", "reprovado", "recolhido"})},
                  {"ops_por_status",
                   Counts(tx, kOpsByStatus, {"planejada", "em_execucao", "bloqueada", "concluida", "cancelada"})},
                  {"desvios_abertos", tx.Exec(kOpenDeviations).Single().Int(0)},
                  {"lotes_vencendo_30_dias", vencendo.Int(0)},
                  {"lotes_vencendo_90_dias", vencendo.Int(1)},
                  {"gerado_em", clock::NowRfc3339()}});
        },
        pg::Isolation::RepeatableRead);
  });
}

}  // namespace pharmasys::relatorios
