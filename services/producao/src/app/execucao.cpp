#include "execucao.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <set>
#include <vector>

#include "ordens.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "recusa.hpp"

namespace pharmasys::producao {
namespace {

[[noreturn]] void Refuse(const Ordem& ordem, int etapa, const RegistroVerificado& check) {
  switch (check.recusa) {
    case RegistroRecusa::EtapaDesconhecida:
      throw Recusa(Motivo::NaoEncontrado,
                   "A receita da OP " + ordem.codigo + " não tem a etapa " + std::to_string(etapa) + ".");
    case RegistroRecusa::ForaDeOrdem:
    case RegistroRecusa::JaRegistrada: throw Recusa(Motivo::EstadoNaoPermite, check.detalhe + ".");
    case RegistroRecusa::Parametros: {
      std::vector<FieldError> errors;
      for (const auto& [campo, mensagem] : check.erros) errors.push_back({campo, mensagem});
      throw Recusa::Campos(std::move(errors));
    }
    case RegistroRecusa::MotivoAusente: throw Recusa::Campo("motivo", check.detalhe);
    case RegistroRecusa::Nenhuma: break;
  }
  throw Recusa(Motivo::EstadoNaoPermite, check.detalhe + ".");
}

boost::json::array FlagsJson(const std::vector<ForaDoLimite>& fora_dos_limites) {
  boost::json::array out;
  for (const auto& f : fora_dos_limites) {
    boost::json::object flag{{"parametro", f.parametro}, {"valor", json::ToJson(f.valor)}};
    if (f.minimo) flag["minimo"] = json::ToJson(*f.minimo);
    if (f.maximo) flag["maximo"] = json::ToJson(*f.maximo);
    out.push_back(std::move(flag));
  }
  return out;
}

// `etapa.registrada`: the values as stored (exact decimals, in the stored order); the flags as
// checked.
events::EtapaRegistrada EtapaRegistradaOf(const std::string& op_id, const Registro& saved,
                                          const std::vector<ForaDoLimite>& fora_dos_limites) {
  events::EtapaRegistrada etapa{.op_id = op_id,
                                .registro_id = saved.id,
                                .ordem = saved.ordem,
                                .motivo = saved.motivo,
                                .observacao = saved.observacao,
                                .registrado_por = saved.registrado_por,
                                .registrado_em = saved.registrado_em};
  for (const auto& [nome, valor] : saved.parametros) {
    etapa.parametros.emplace_back(std::string(nome), *json::DecimalFrom(valor));
  }
  for (const auto& f : fora_dos_limites) {
    etapa.fora_dos_limites.push_back(
        {.parametro = f.parametro, .valor = f.valor, .minimo = f.minimo, .maximo = f.maximo});
  }
  return etapa;
}

}  // namespace

Registro RegistrarEtapa(pg::Transaction& tx, const audit::Actor& actor, const Ordem& ordem,
                        const PedidoDeRegistro& pedido) {
  Allow(ordem, OpAto::Registrar);
  auto receita = FindReceita(tx, ordem.receita_id);
  std::set<int> registradas;
  for (const auto& r : RegistrosOf(tx, ordem.id)) registradas.insert(r.ordem);
  auto check = CheckRegistro(receita->etapas, registradas, pedido.etapa, pedido.valores, pedido.motivo.has_value());
  if (!check.ok()) Refuse(ordem, pedido.etapa, check);
  Registro registro{.id = ids::NewUuidV7(),
                    .ordem = pedido.etapa,
                    .fora_dos_limites = FlagsJson(check.fora_dos_limites),
                    .motivo = pedido.motivo,
                    .observacao = pedido.observacao,
                    .registrado_por = actor.username};
  for (const auto& [nome, valor] : pedido.valores) registro.parametros[nome] = json::ToJson(valor);
  InsertRegistro(tx, ordem.id, registro, actor.sub);
  audit::Audit(tx, actor,
               {.acao = "etapa.registrada",
                .entidade = "ordem_producao",
                .entidade_id = ordem.id,
                .depois = {{"etapa", pedido.etapa},
                           {"parametros", registro.parametros},
                           {"fora_dos_limites", registro.fora_dos_limites}},
                .motivo = pedido.motivo});
  auto registros = RegistrosOf(tx, ordem.id);
  auto saved =
      std::find_if(registros.begin(), registros.end(), [&](const Registro& r) { return r.ordem == pedido.etapa; });
  events::Publish(tx, events::NewEvent("producao", EtapaRegistradaOf(ordem.id, *saved, check.fora_dos_limites),
                                       events::Usuario{actor.sub, actor.username}));
  return std::move(*saved);
}

LoteProduzido ProduzirLote(pg::Transaction& tx, const audit::Actor& actor, const Ordem& ordem,
                           const PedidoDeLote& pedido, const std::string& fuso) {
  Allow(ordem, OpAto::CriarLote);
  if (!IsNotFuture(tx, pedido.data_fabricacao, fuso)) throw Recusa::Campo("data_fabricacao", "não pode ser futura");
  auto produto = FindMaterial(tx, ordem.produto);
  if (!produto) {
    throw Recusa(Motivo::EstadoNaoPermite, "O produto " + ordem.produto + " não está no catálogo da produção.");
  }
  auto lote = InsertLote(tx, ordem.id, *produto, pedido.quantidade, pedido.data_fabricacao,
                         produto->prazo_validade_dias, actor.username);
  audit::Audit(tx, actor,
               {.acao = "lote.criado",
                .entidade = "lote",
                .entidade_id = lote.id,
                .depois = {{"codigo", lote.codigo},
                           {"op_id", ordem.id},
                           {"material", lote.material},
                           {"quantidade", json::ToJson(pedido.quantidade)},
                           {"data_fabricacao", lote.data_fabricacao},
                           {"validade", lote.validade},
                           {"status", "quarentena"}}});
  events::Publish(tx, events::NewEvent("producao",
                                       events::LoteCriado{.lote_id = lote.id,
                                                          .codigo = lote.codigo,
                                                          .material = lote.material,
                                                          .quantidade = pedido.quantidade,
                                                          .unidade = lote.unidade,
                                                          .validade = lote.validade,
                                                          .data_fabricacao = lote.data_fabricacao,
                                                          .origem = "producao",
                                                          .op_id = ordem.id,
                                                          .criado_por = lote.criado_por,
                                                          .criado_em = lote.criado_em},
                                       events::Usuario{actor.sub, actor.username}));
  return lote;
}

}  // namespace pharmasys::producao
