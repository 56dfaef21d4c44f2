// Executing an OP (API.md Produção; RULES.md B3, B8): step records in recipe order with their
// parameters checked against the recipe, FEFO consumption of insumos through Estoque, and the
// produced lots, born in quarantine.
#include <boost/json/array.hpp>

#include "../app/consumos.hpp"
#include "../storage/store.hpp"
#include "context.hpp"
#include "ordens.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/event.hpp"

namespace pharmasys::producao {
namespace {

constexpr pg::Query kNotFuture{"prod_not_future", "SELECT $1::date <= (now() AT TIME ZONE $2)::date"};

events::Usuario UsuarioOf(const http::Request& request) {
  return {request.principal.sub, request.principal.username};
}

}  // namespace

void AddExecutionRoutes(http::Router& router, ProducaoContext& ctx) {
  router.Post(
      "/v1/ordens-producao/{id}/etapas/{ordem}/registros",
      http::Idempotent(ctx.db, [](http::Request& request, pg::Transaction& tx) {
        auth::RequireRole(request, {"gestor_producao"});
        Ordem ordem = LoadOrdem(tx, request, true);
        int numero = 0;
        try {
          std::size_t used = 0;
          const std::string text(request.PathParam("ordem"));
          numero = std::stoi(text, &used);
          if (used != text.size()) throw std::invalid_argument("ordem");
        } catch (const std::exception&) {
          throw NotFound("Etapa " + std::string(request.PathParam("ordem")) + " não existe.");
        }
        json::Fields body(request.Json());
        std::map<std::string, Decimal> valores;
        const auto* raw = body.Raw("parametros");
        if (raw == nullptr || !raw->is_object()) {
          body.Fail("parametros", "deve ser um objeto {nome: valor}");
        } else {
          for (const auto& [nome, valor] : raw->as_object()) {
            auto number = json::DecimalFrom(valor);
            if (!number) {
              body.Fail("parametros." + std::string(nome), "deve ser um número com até 3 casas decimais");
            } else {
              valores[std::string(nome)] = *number;
            }
          }
        }
        auto observacao = body.OptionalString("observacao", {.min_length = 0, .max_length = 4000});
        auto motivo = body.OptionalMotivo();
        body.Finish();
        Allow(ordem, OpAto::Registrar);
        auto receita = FindReceita(tx, ordem.receita_id);
        std::set<int> registradas;
        for (const auto& r : RegistrosOf(tx, ordem.id)) registradas.insert(r.ordem);
        auto check = CheckRegistro(receita->etapas, registradas, numero, valores, motivo.has_value());
        switch (check.recusa) {
          case RegistroRecusa::Nenhuma: break;
          case RegistroRecusa::EtapaDesconhecida:
            throw NotFound("A receita da OP " + ordem.codigo + " não tem a etapa " + std::to_string(numero) + ".");
          case RegistroRecusa::ForaDeOrdem:
          case RegistroRecusa::JaRegistrada: throw Conflict(check.detalhe + ".");
          case RegistroRecusa::Parametros: {
            std::vector<FieldError> errors;
            for (auto& [campo, mensagem] : check.erros) errors.push_back({campo, mensagem});
            throw ValidationError(std::move(errors));
          }
          case RegistroRecusa::MotivoAusente: throw ValidationError(std::vector<FieldError>{{"motivo", check.detalhe}});
        }
        const auto actor = audit::Actor::From(request);
        Registro registro{.id = ids::NewUuidV7(),
                          .ordem = numero,
                          .motivo = motivo,
                          .observacao = observacao,
                          .registrado_por = actor.username};
        for (const auto& [nome, valor] : valores) registro.parametros[nome] = json::ToJson(valor);
        for (const auto& f : check.fora_dos_limites) {
          boost::json::object flag{{"parametro", f.parametro}, {"valor", json::ToJson(f.valor)}};
          if (f.minimo) flag["minimo"] = json::ToJson(*f.minimo);
          if (f.maximo) flag["maximo"] = json::ToJson(*f.maximo);
          registro.fora_dos_limites.push_back(std::move(flag));
        }
        InsertRegistro(tx, ordem.id, registro, actor.sub);
        audit::Audit(tx, actor,
                     {.acao = "etapa.registrada",
                      .entidade = "ordem_producao",
                      .entidade_id = ordem.id,
                      .depois = {{"etapa", numero},
                                 {"parametros", registro.parametros},
                                 {"fora_dos_limites", registro.fora_dos_limites}},
                      .motivo = motivo});
        auto registros = RegistrosOf(tx, ordem.id);
        auto saved =
            std::find_if(registros.begin(), registros.end(), [&](const Registro& r) { return r.ordem == numero; });
        events::EtapaRegistrada etapa{.op_id = ordem.id,
                                      .registro_id = saved->id,
                                      .ordem = saved->ordem,
                                      .motivo = saved->motivo,
                                      .observacao = saved->observacao,
                                      .registrado_por = saved->registrado_por,
                                      .registrado_em = saved->registrado_em};
        // The values as stored (exact decimals, in the stored order); the flags as checked.
        for (const auto& [nome, valor] : saved->parametros) {
          etapa.parametros.emplace_back(std::string(nome), *json::DecimalFrom(valor));
        }
        for (const auto& f : check.fora_dos_limites) {
          etapa.fora_dos_limites.push_back(
              {.parametro = f.parametro, .valor = f.valor, .minimo = f.minimo, .maximo = f.maximo});
        }
        events::Publish(tx, events::NewEvent("producao", etapa, UsuarioOf(request)));
        auto res = http::Response::Json(201, saved->ToJson());
        res.headers.Set("Location", "/v1/ordens-producao/" + ordem.id);
        return res;
      }));

  // RULES R5: the consumption is a recorded intent, completed after Estoque answers with no
  // transaction open (app/consumos.hpp).
  router.Post("/v1/ordens-producao/{id}/consumos",
              [&ctx](http::Request& request) { return ConsumirInsumo(ctx, request); });

  router.Post(
      "/v1/ordens-producao/{id}/lotes", http::Idempotent(ctx.db, [&ctx](http::Request& request, pg::Transaction& tx) {
        auth::RequireRole(request, {"gestor_producao"});
        Ordem ordem = LoadOrdem(tx, request, true);
        json::Fields body(request.Json());
        auto quantidade = body.Quantity("quantidade");
        auto fabricacao = body.Date("data_fabricacao");
        body.Finish();
        Allow(ordem, OpAto::CriarLote);
        const std::string data = json::FormatDate(fabricacao);
        if (!tx.Exec(kNotFuture, pg::Params(data, ctx.fuso)).Single().Bool(0)) {
          throw ValidationError(std::vector<FieldError>{{"data_fabricacao", "não pode ser futura"}});
        }
        auto produto = FindMaterial(tx, ordem.produto);
        if (!produto) throw Conflict("O produto " + ordem.produto + " não está no catálogo da produção.");
        const auto actor = audit::Actor::From(request);
        auto lote = InsertLote(tx, ordem.id, *produto, quantidade, data, produto->prazo_validade_dias, actor.username);
        audit::Audit(tx, actor,
                     {.acao = "lote.criado",
                      .entidade = "lote",
                      .entidade_id = lote.id,
                      .depois = {{"codigo", lote.codigo},
                                 {"op_id", ordem.id},
                                 {"material", lote.material},
                                 {"quantidade", json::ToJson(quantidade)},
                                 {"data_fabricacao", lote.data_fabricacao},
                                 {"validade", lote.validade},
                                 {"status", "quarentena"}}});
        events::Publish(tx, events::NewEvent("producao",
                                             events::LoteCriado{.lote_id = lote.id,
                                                                .codigo = lote.codigo,
                                                                .material = lote.material,
                                                                .quantidade = quantidade,
                                                                .unidade = lote.unidade,
                                                                .validade = lote.validade,
                                                                .data_fabricacao = lote.data_fabricacao,
                                                                .origem = "producao",
                                                                .op_id = ordem.id,
                                                                .criado_por = lote.criado_por,
                                                                .criado_em = lote.criado_em},
                                             UsuarioOf(request)));
        auto res = http::Response::Json(201, lote.ToJson());
        res.headers.Set("Location", "/v1/ordens-producao/" + ordem.id);
        return res;
      }));
}

}  // namespace pharmasys::producao
