#pragma once
// The `dados` of every event of the catalogue (EVENTS.md, docs/events/<tipo>.v1.schema.json)
// as a struct with its JSON mapping both ways. Producers build the struct and publish it with
// NewEvent; consumers read it with Read<T>, which names the field when one is missing or has
// the wrong type (ContractError, a PoisonMessage: the message goes to the DLQ).
//
//   events::Publish(tx, events::NewEvent("cq", events::LoteRecolhido{...}, usuario));
//   const auto recall = events::Read<events::LoteRecolhido>(event);
//
// Optional fields are std::optional. Those the schema allows to be null are written as null
// when empty (as the producers always did); the others are left out. Reading, null and absent
// are the same.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "pharmasys/decimal.hpp"
#include "pharmasys/events/event.hpp"

namespace pharmasys::events {

// `dados` that do not keep to their contract; the message names the field
// ("laudo.emitido: dados.assinatura.nome: ausente").
class ContractError : public PoisonMessage {
 public:
  using PoisonMessage::PoisonMessage;
};

// An electronic signature as events carry it (RULES: name, meaning, instant).
struct Assinatura {
  std::string nome;
  std::string significado;
  std::string em;
  boost::json::object ToJson() const;
  bool operator==(const Assinatura&) const = default;
};

struct MaterialCadastrado {
  static constexpr std::string_view kTipo = "material.cadastrado";
  std::string codigo;
  std::string nome;
  std::string tipo;  // insumo | produto
  std::string unidade;
  std::int64_t prazo_validade_dias = 0;
  std::int64_t vida_util_minima_expedicao_dias = 0;

  boost::json::object ToJson() const;
  static MaterialCadastrado FromJson(const boost::json::object& dados);
  bool operator==(const MaterialCadastrado&) const = default;
};

// The copy of the catalogue a consumer of material.cadastrado keeps (CQ, Produção): its
// table `materiais (codigo, nome, tipo, unidade, prazo_validade_dias,
// vida_util_minima_expedicao_dias, atualizado_em)`, inserted or brought up to date.
void UpsertMaterial(pg::Transaction& tx, const MaterialCadastrado& material);

struct LoteCriado {
  static constexpr std::string_view kTipo = "lote.criado";
  std::string lote_id;
  std::string codigo;
  std::string material;
  Decimal quantidade;
  std::string unidade;
  std::string validade;  // YYYY-MM-DD
  std::optional<std::string> data_fabricacao;
  std::string origem;  // producao | recebimento
  std::optional<std::string> op_id;
  std::optional<std::string> fornecedor;
  std::optional<std::string> lote_fornecedor;
  std::optional<std::string> criado_por;
  std::optional<std::string> criado_em;

  boost::json::object ToJson() const;
  static LoteCriado FromJson(const boost::json::object& dados);
  bool operator==(const LoteCriado&) const = default;
};

struct LoteConsumido {
  std::string lote_id;
  std::string lote_codigo;
  Decimal quantidade;
  std::optional<std::string> validade;
  bool operator==(const LoteConsumido&) const = default;
};

struct InsumosConsumidos {
  static constexpr std::string_view kTipo = "insumos.consumidos";
  std::string op_id;
  std::string consumo_id;
  std::string material;
  std::vector<LoteConsumido> lotes;
  std::optional<Decimal> quantidade;  // asked for
  std::optional<std::string> estoque_consumo_id;
  std::optional<std::string> criado_por;
  std::optional<std::string> criado_em;

  boost::json::object ToJson() const;
  static InsumosConsumidos FromJson(const boost::json::object& dados);
  bool operator==(const InsumosConsumidos&) const = default;
};

struct OpStatusAlterado {
  static constexpr std::string_view kTipo = "op.status_alterado";
  std::string op_id;
  std::string codigo;
  std::string produto;
  std::string status;
  std::optional<std::string> status_anterior;  // null on creation
  // The OP's fixed fields, for the batch record.
  std::optional<Decimal> quantidade;
  std::optional<std::string> receita_id;
  std::optional<std::int64_t> receita_versao;
  std::optional<boost::json::array> etapas;  // the recipe's steps as the OP answers them
  std::optional<std::string> criado_por;
  std::optional<std::string> criado_em;
  // Its state after the change.
  std::optional<std::string> status_antes_do_bloqueio;
  std::optional<std::int64_t> desvios_abertos;
  std::optional<std::string> motivo_cancelamento;
  std::optional<std::string> iniciada_em;
  std::optional<std::string> concluida_em;
  std::optional<std::string> cancelada_em;
  std::optional<std::int64_t> versao;

  boost::json::object ToJson() const;
  static OpStatusAlterado FromJson(const boost::json::object& dados);
  bool operator==(const OpStatusAlterado&) const = default;
};

struct ParametroForaDoLimite {
  std::string parametro;
  Decimal valor;
  std::optional<Decimal> minimo;
  std::optional<Decimal> maximo;
  bool operator==(const ParametroForaDoLimite&) const = default;
};

struct EtapaRegistrada {
  static constexpr std::string_view kTipo = "etapa.registrada";
  std::string op_id;
  std::string registro_id;
  std::int64_t ordem = 0;
  std::vector<std::pair<std::string, Decimal>> parametros;  // {nome: valor}, in their order
  std::vector<ParametroForaDoLimite> fora_dos_limites;
  std::optional<std::string> motivo;
  std::optional<std::string> observacao;
  std::string registrado_por;
  std::string registrado_em;

  boost::json::object ToJson() const;
  static EtapaRegistrada FromJson(const boost::json::object& dados);
  bool operator==(const EtapaRegistrada&) const = default;
};

struct LaudoEmitido {
  static constexpr std::string_view kTipo = "laudo.emitido";
  std::string laudo_id;
  std::string amostra_id;
  std::string lote_id;
  std::string lote_codigo;
  std::string decisao;  // aprovado | reprovado
  std::string emitido_por;
  std::string emitido_em;
  Assinatura assinatura;

  boost::json::object ToJson() const;
  static LaudoEmitido FromJson(const boost::json::object& dados);
  bool operator==(const LaudoEmitido&) const = default;
};

// RULES G1: the signed review of an OP's batch record.
struct OpRevisada {
  static constexpr std::string_view kTipo = "op.revisada";
  std::string op_id;
  std::string codigo;
  std::string revisado_por;
  std::string revisado_em;
  std::int64_t excecoes = 0;
  Assinatura assinatura;

  boost::json::object ToJson() const;
  static OpRevisada FromJson(const boost::json::object& dados);
  bool operator==(const OpRevisada&) const = default;
};

struct DesvioAberto {
  static constexpr std::string_view kTipo = "desvio.aberto";
  std::string desvio_id;
  std::string op_id;
  std::optional<std::string> lote_id;
  std::string classificacao;  // menor | maior | critico
  std::string descricao;

  boost::json::object ToJson() const;
  static DesvioAberto FromJson(const boost::json::object& dados);
  bool operator==(const DesvioAberto&) const = default;
};

struct DesvioEncerrado {
  static constexpr std::string_view kTipo = "desvio.encerrado";
  std::string desvio_id;
  std::string op_id;
  std::optional<std::string> lote_id;

  boost::json::object ToJson() const;
  static DesvioEncerrado FromJson(const boost::json::object& dados);
  bool operator==(const DesvioEncerrado&) const = default;
};

struct LoteRecolhido {
  static constexpr std::string_view kTipo = "lote.recolhido";
  std::string lote_id;
  std::string lote_codigo;
  std::string motivo;

  boost::json::object ToJson() const;
  static LoteRecolhido FromJson(const boost::json::object& dados);
  bool operator==(const LoteRecolhido&) const = default;
};

struct Cliente {
  std::string nome;
  std::string documento;
  bool operator==(const Cliente&) const = default;
};

struct ItemExpedido {
  std::string lote_id;
  std::string lote_codigo;
  std::string material;
  Decimal quantidade;
  bool operator==(const ItemExpedido&) const = default;
};

struct ExpedicaoConfirmada {
  static constexpr std::string_view kTipo = "expedicao.confirmada";
  std::string expedicao_id;
  Cliente cliente;
  std::vector<ItemExpedido> itens;
  std::string confirmada_em;

  boost::json::object ToJson() const;
  static ExpedicaoConfirmada FromJson(const boost::json::object& dados);
  bool operator==(const ExpedicaoConfirmada&) const = default;
};

struct DevolucaoRegistrada {
  static constexpr std::string_view kTipo = "devolucao.registrada";
  std::string devolucao_id;
  std::string expedicao_id;
  std::string lote_id;
  Decimal quantidade;
  std::string motivo;

  boost::json::object ToJson() const;
  static DevolucaoRegistrada FromJson(const boost::json::object& dados);
  bool operator==(const DevolucaoRegistrada&) const = default;
};

// A returned quantity evaluated by QC: put back into stock or discarded (a loss).
struct DevolucaoAvaliada {
  static constexpr std::string_view kTipo = "devolucao.avaliada";
  std::string devolucao_id;
  std::string lote_id;
  std::string lote_codigo;
  std::string decisao;  // reintegrar | descartar
  Decimal quantidade;
  std::string motivo;
  std::string avaliado_por;
  std::string avaliado_em;

  boost::json::object ToJson() const;
  static DevolucaoAvaliada FromJson(const boost::json::object& dados);
  bool operator==(const DevolucaoAvaliada&) const = default;
};

struct AuditoriaCheckpoint {
  static constexpr std::string_view kTipo = "auditoria.checkpoint";
  std::string servico;
  std::int64_t sequencia = 0;
  std::string hash;
  std::string em;
  std::string chave_id;
  std::string assinatura;  // Ed25519, hex

  boost::json::object ToJson() const;
  static AuditoriaCheckpoint FromJson(const boost::json::object& dados);
  bool operator==(const AuditoriaCheckpoint&) const = default;
};

struct UsuarioAuditado {
  std::string sub;
  std::string username;
  std::string nome;
  bool operator==(const UsuarioAuditado&) const = default;
};

// One sealed audit record (RULES A1): the fields hashed into the chain, then the hashes.
struct AuditoriaRegistrada {
  static constexpr std::string_view kTipo = "auditoria.registrada";
  std::string id;
  std::string servico;
  std::int64_t sequencia = 0;
  std::string ocorrido_em;
  UsuarioAuditado usuario;
  std::string acao;
  std::string entidade;
  std::string entidade_id;
  std::optional<boost::json::object> antes;
  std::optional<boost::json::object> depois;
  std::optional<std::string> motivo;
  std::optional<Assinatura> assinatura;
  std::optional<std::string> request_id;
  std::string hash_anterior;
  std::string hash;

  boost::json::object ToJson() const;
  static AuditoriaRegistrada FromJson(const boost::json::object& dados);
  bool operator==(const AuditoriaRegistrada&) const = default;
};

// Every contract; a docs/events schema without one here fails the contract tests.
using Contracts =
    std::tuple<MaterialCadastrado, LoteCriado, InsumosConsumidos, OpStatusAlterado, EtapaRegistrada, LaudoEmitido,
               OpRevisada, DesvioAberto, DesvioEncerrado, LoteRecolhido, ExpedicaoConfirmada, DevolucaoRegistrada,
               DevolucaoAvaliada, AuditoriaCheckpoint, AuditoriaRegistrada>;

// A new event carrying `dados` (Event::New with the contract's tipo).
template <typename Dados>
Event NewEvent(const std::string& origem, const Dados& dados, const Usuario& usuario = {}) {
  return Event::New(std::string(Dados::kTipo), origem, dados.ToJson(), usuario);
}

// The `dados` of `event` as its contract; ContractError when the event is of another type or
// its data do not keep to the contract.
[[noreturn]] void ThrowWrongType(const Event& event, std::string_view expected);
template <typename Dados>
Dados Read(const Event& event) {
  if (event.tipo != Dados::kTipo) ThrowWrongType(event, Dados::kTipo);
  return Dados::FromJson(event.dados);
}

}  // namespace pharmasys::events
