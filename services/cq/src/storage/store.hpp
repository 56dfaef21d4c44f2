#pragma once
// CQ's tables (migrations/V001__cq.sql): specifications, lots, samples and results, laudos,
// deviations, recalls, returns. Every statement is a named query in store.cpp.
#include <boost/json/fwd.hpp>

#include <optional>
#include <string>
#include <vector>

#include "../domain/amostra.hpp"
#include "../domain/conformidade.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/domain/lote.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::cq {

boost::json::object ToJson(const Ensaio& ensaio);
// The material's name and unit, when the catalogue has it.
struct MaterialInfo {
  std::string codigo, nome, unidade;
};
std::optional<MaterialInfo> FindMaterial(pg::Transaction& tx, const std::string& codigo);

struct Specification {
  std::string material;
  std::int64_t versao = 0;
  std::vector<Ensaio> ensaios;
  std::string criado_por;
  std::string criado_em;
  boost::json::object ToJson() const;
};
// The current version, or the given one.
std::optional<Specification> FindSpecification(pg::Transaction& tx, const std::string& material,
                                               std::optional<std::int64_t> versao = std::nullopt);
// Appends the next version (serialised per material by a row lock on its catalogue entry).
Specification AddSpecification(pg::Transaction& tx, const std::string& material, const std::vector<Ensaio>& ensaios,
                               const std::string& criado_por);

struct Lot {
  std::string id, codigo, material, unidade, validade, origem, recebido_em;
  domain::LoteStatus status = domain::LoteStatus::Quarentena;
  Decimal quantidade;
  std::optional<std::string> data_fabricacao, op_id, fornecedor, lote_fornecedor;
  std::int64_t versao = 1;
  boost::json::object ToJson() const;
};
std::optional<Lot> FindLot(pg::Transaction& tx, const std::string& id, bool for_update = false);
// Inserts the lot of a lote.criado (nothing when it is known); true when it was new.
bool InsertLot(pg::Transaction& tx, const events::LoteCriado& lote);
void SetLotStatus(pg::Transaction& tx, const std::string& id, domain::LoteStatus status);

struct Result {
  std::string id, ensaio, registrado_por_sub, registrado_por_username, registrado_por_nome, registrado_em;
  Valor valor;
  bool conforme = false;
  std::optional<std::string> motivo;
  boost::json::object ToJson() const;
};

struct Sample {
  std::string id, codigo, lote_id, status, criado_em;
  std::optional<std::int64_t> especificacao_versao;
  std::optional<Decimal> coleta_quantidade;
  std::optional<std::string> coleta_observacao, coletada_por, coletada_em;
  std::int64_t versao = 1;
};
std::optional<Sample> FindSample(pg::Transaction& tx, const std::string& id, bool for_update = false);
std::optional<Sample> FindSampleOfLot(pg::Transaction& tx, const std::string& lote_id);
std::vector<Sample> ListSamples(pg::Transaction& tx, const std::optional<std::string>& status,
                                const std::optional<std::string>& lote_id, const std::optional<std::string>& cursor,
                                SortOrder order, std::int64_t limit);
void InsertSample(pg::Transaction& tx, const std::string& id, const std::string& lote_id);
void SetSampleCollected(pg::Transaction& tx, const std::string& id, Decimal quantidade,
                        const std::optional<std::string>& observacao, const std::string& por);
void SetSampleStatus(pg::Transaction& tx, const std::string& id, AmostraStatus status,
                     std::optional<std::int64_t> especificacao_versao = std::nullopt);
// Every result, oldest first (corrections included).
std::vector<Result> ResultsOf(pg::Transaction& tx, const std::string& amostra_id);
// The latest result of each ensaio.
std::vector<Result> CurrentResults(const std::vector<Result>& all);
Result InsertResult(pg::Transaction& tx, const std::string& amostra_id, const std::string& ensaio, const Valor& valor,
                    bool conforme, const std::optional<std::string>& motivo, const audit::Actor& actor);
// The sample with its lot, specification version, results (current and history) and laudo.
boost::json::object SampleJson(pg::Transaction& tx, const Sample& sample);

struct Laudo {
  std::string id, amostra_id, lote_id, decisao, emitido_por_sub, emitido_por_username, emitido_por_nome, emitido_em;
  std::optional<std::string> observacao, motivo;
  boost::json::object assinatura;
  boost::json::object ToJson() const;
};
std::optional<Laudo> FindLaudo(pg::Transaction& tx, const std::string& id);
std::optional<Laudo> FindLaudoOfSample(pg::Transaction& tx, const std::string& amostra_id);
std::vector<Laudo> LaudosOfLot(pg::Transaction& tx, const std::string& lote_id);
void InsertLaudo(pg::Transaction& tx, const Laudo& laudo);

struct Desvio {
  std::string id, codigo, op_id, classificacao, descricao, status, aberto_por, aberto_em;
  std::optional<std::string> lote_id, conclusao, acao_corretiva, encerrado_por, encerrado_em;
  std::optional<boost::json::object> assinatura;
  std::int64_t versao = 1;
  boost::json::object ToJson() const;
};
std::optional<Desvio> FindDesvio(pg::Transaction& tx, const std::string& id, bool for_update = false);
std::vector<Desvio> ListDesvios(pg::Transaction& tx, const std::optional<std::string>& status,
                                const std::optional<std::string>& op_id, const std::optional<std::string>& lote_id,
                                const std::optional<std::string>& cursor, SortOrder order, std::int64_t limit);
Desvio InsertDesvio(pg::Transaction& tx, const std::string& op_id, const std::optional<std::string>& lote_id,
                    const std::string& classificacao, const std::string& descricao, const std::string& por);
void CloseDesvio(pg::Transaction& tx, const std::string& id, const std::string& conclusao,
                 const std::string& acao_corretiva, const std::string& por, const boost::json::object& assinatura);
// Open deviations on the lot or on its production order.
std::int64_t OpenDesvios(pg::Transaction& tx, const std::string& lote_id, const std::optional<std::string>& op_id);
// The lock that orders opening a desvio against approving a lot (RULES B3), held until the
// transaction ends: one per OP and one per lot, taken in one order by both acts. A desvio
// takes those of its `op_id` and `lote_id`; a laudo those of its lot and the lot's OP, before
// it counts the open desvios. So a laudo either sees a desvio committed before it, or the
// desvio waits for the laudo to commit.
void LockDesvioScope(pg::Transaction& tx, const std::optional<std::string>& op_id,
                     const std::optional<std::string>& lote_id);

struct Recall {
  std::string id, lote_id, lote_codigo, motivo, criado_por, criado_em;
  boost::json::object assinatura;
  boost::json::object ToJson() const;
};
std::optional<Recall> FindRecall(pg::Transaction& tx, const std::string& id);
std::optional<Recall> FindRecallOfLot(pg::Transaction& tx, const std::string& lote_id);
void InsertRecall(pg::Transaction& tx, const Recall& recall);

void InsertReturn(pg::Transaction& tx, const events::DevolucaoRegistrada& devolucao, const std::string& registrada_em);

// RULES G1: the batch-record reviews announced by Produção (op.revisada), one per OP.
void InsertRevisao(pg::Transaction& tx, const events::OpRevisada& revisao);
bool RegistroDeLoteRevisado(pg::Transaction& tx, const std::string& op_id);
boost::json::array ReturnsOfLot(pg::Transaction& tx, const std::string& lote_id);
boost::json::array ListReturns(pg::Transaction& tx, const std::optional<std::string>& lote_id,
                               const std::optional<std::string>& cursor, SortOrder order, std::int64_t limit);

}  // namespace pharmasys::cq
