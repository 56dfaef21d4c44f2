#pragma once
// Produção's tables (migrations/). Every statement is a named query in
// store.cpp.
#include <boost/json/fwd.hpp>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../domain/etapas.hpp"
#include "../domain/ordem.hpp"
#include "pharmasys/decimal.hpp"
#include "pharmasys/domain/excecoes.hpp"
#include "pharmasys/domain/lote.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::producao {

struct Material {
  std::string codigo, nome, tipo, unidade;
  std::int64_t prazo_validade_dias = 0;
};
std::optional<Material> FindMaterial(pg::Transaction& tx, const std::string& codigo);
// Whether `date` (YYYY-MM-DD) is today or earlier in the calendar of the time zone `fuso`.
bool IsNotFuture(pg::Transaction& tx, const std::string& date, const std::string& fuso);

struct Insumo {
  std::string material;
  Decimal quantidade_por_unidade;
};

struct Receita {
  std::string id, produto, criado_por, criado_em;
  std::int64_t versao = 0;
  std::vector<Etapa> etapas;
  std::vector<Insumo> insumos;
  boost::json::object ToJson() const;
};
std::optional<Receita> FindReceita(pg::Transaction& tx, const std::string& id);
std::vector<Receita> ListReceitas(pg::Transaction& tx, const std::optional<std::string>& produto,
                                  const std::optional<std::string>& cursor, SortOrder order, std::int64_t limit);
// False when (produto, versao) already exists.
bool InsertReceita(pg::Transaction& tx, const Receita& receita);

struct Ordem {
  std::string id, codigo, produto, receita_id, criado_por, criado_em;
  Decimal quantidade;
  OpEstado estado;
  std::optional<std::string> motivo_cancelamento, iniciada_em, concluida_em, cancelada_em;
  std::int64_t versao = 1;
};
std::optional<Ordem> FindOrdem(pg::Transaction& tx, const std::string& id, bool for_update = false);
std::vector<Ordem> ListOrdens(pg::Transaction& tx, const std::optional<std::string>& status,
                              const std::optional<std::string>& produto, const std::optional<std::string>& cursor,
                              SortOrder order, std::int64_t limit);
Ordem InsertOrdem(pg::Transaction& tx, const std::string& produto, Decimal quantidade, const std::string& receita_id,
                  const std::string& criado_por);
// Writes the new state; `ato` stamps iniciada_em / concluida_em / cancelada_em.
void SaveEstado(pg::Transaction& tx, const std::string& id, const OpEstado& estado, OpAto ato,
                const std::optional<std::string>& motivo = std::nullopt);

struct Registro {
  std::string id;
  int ordem = 0;
  boost::json::object parametros;
  boost::json::array fora_dos_limites;
  std::optional<std::string> motivo, observacao;
  std::string registrado_por, registrado_em;
  boost::json::object ToJson() const;
};
std::vector<Registro> RegistrosOf(pg::Transaction& tx, const std::string& op_id);
void InsertRegistro(pg::Transaction& tx, const std::string& op_id, const Registro& registro,
                    const std::string& registrado_por_sub);

struct ConsumoLote {
  std::string lote_id, lote_codigo, validade;
  Decimal quantidade;
};
struct Consumo {
  std::string id, op_id, material, estoque_consumo_id, criado_por, criado_em;
  Decimal quantidade;
  std::vector<ConsumoLote> lotes;
  boost::json::object ToJson() const;
};
std::optional<Consumo> FindConsumo(pg::Transaction& tx, const std::string& id);
std::vector<Consumo> ConsumosOf(pg::Transaction& tx, const std::string& op_id);
void InsertConsumo(pg::Transaction& tx, const Consumo& consumo);

// A consumption as an intent (RULES R5): recorded before Estoque is asked, then concluida
// (its consumo has the same id) or recusada (with Estoque's problem).
struct IntencaoConsumo {
  std::string id, op_id, material, chave_estoque, hash_requisicao, estado;
  Decimal quantidade;
  std::string sub, username, nome;  // who asked
  std::optional<int> recusa_status;
  std::string recusa_tipo, recusa_titulo, recusa_detalhe;
  std::vector<FieldError> recusa_erros;
};
std::optional<IntencaoConsumo> FindIntencao(pg::Transaction& tx, const std::string& id, bool for_update);
void InsertIntencao(pg::Transaction& tx, const IntencaoConsumo& intencao);
void ConcluirIntencao(pg::Transaction& tx, const std::string& id);
void RecusarIntencao(pg::Transaction& tx, const std::string& id, const Error& recusa);
// Whether the OP has an intent still pendente (its conclusion and cancellation wait for it).
bool HasPendingIntencao(pg::Transaction& tx, const std::string& op_id);
// Claims up to `limit` intents left pendente for longer than `idle` (skipping those another
// replica holds): their atualizado_em moves to now, so each is retried once per `idle`.
std::vector<IntencaoConsumo> ClaimStaleIntencoes(pg::Transaction& tx, std::chrono::milliseconds idle, int limit);

struct LoteProduzido {
  std::string id, codigo, op_id, material, unidade, data_fabricacao, validade, status, criado_por, criado_em;
  Decimal quantidade;
  std::optional<std::string> laudo_id, laudo_emitido_em;
  boost::json::object ToJson() const;
};
std::vector<LoteProduzido> LotesOf(pg::Transaction& tx, const std::string& op_id);
// Inserts the lot with the next code and validade = data_fabricacao + prazo; returns it.
LoteProduzido InsertLote(pg::Transaction& tx, const std::string& op_id, const Material& produto, Decimal quantidade,
                         const std::string& data_fabricacao, std::int64_t prazo_validade_dias,
                         const std::string& criado_por);
// The quality status of a lot made here, locked for the fact about to change it; nullopt when
// the lot is not one of ours.
std::optional<domain::LoteStatus> LockLoteStatus(pg::Transaction& tx, const std::string& lote_id);
// The status a laudo accepted by the lot lifecycle leaves, and that laudo.
void SetLoteLaudo(pg::Transaction& tx, const std::string& lote_id, domain::LoteStatus status,
                  const std::string& laudo_id, const std::string& emitido_em);
void SetLoteRecolhido(pg::Transaction& tx, const std::string& lote_id, const std::string& motivo);

// Records a desvio event; true when it opens a desvio or closes an open one — when the OP's
// count of open desvios must change. A redelivery, a closing that arrives before its opening,
// and that opening arriving afterwards change nothing.
// `por`: who opened or closed it (the event's user).
bool RecordDesvio(pg::Transaction& tx, const events::DesvioAberto& desvio, const std::string& quando,
                  const std::string& por);
bool RecordDesvio(pg::Transaction& tx, const events::DesvioEncerrado& desvio, const std::string& quando,
                  const std::string& por);

// RULES G1: what the review of the OP's batch record reads (its recipe's steps, its step
// records, its desvios, when its first lot was produced), and who recorded its steps (subs).
domain::FatosDoRegistroDeLote FatosDaRevisao(pg::Transaction& tx, const Ordem& ordem);
std::set<std::string> ExecutoresDaOrdem(pg::Transaction& tx, const std::string& op_id);

// The signed review of an OP's batch record; one per OP.
struct Revisao {
  std::string op_id, revisado_por, revisado_por_nome, revisado_em;
  std::int64_t excecoes = 0;
  std::optional<std::string> observacao;
  boost::json::object assinatura;  // {nome, significado, em}
  boost::json::object ToJson() const;
};
std::optional<Revisao> FindRevisao(pg::Transaction& tx, const std::string& op_id);
// Inserts it; returns it with revisado_em as stored.
Revisao InsertRevisao(pg::Transaction& tx, Revisao revisao, const std::string& revisado_por_sub);

}  // namespace pharmasys::producao
