#pragma once
// The batch record of an OP as Relatórios' read models hold it (migrations/V003): the OP, its
// step records, its consumptions with the insumo lots taken, and the lots it produced — all
// fed by Produção's events, so the record reads while Produção is down.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::relatorios {

struct OpLida {
  std::string id, codigo, produto, status;
  std::optional<Decimal> quantidade;
  std::optional<std::string> receita_id;
  std::optional<std::int64_t> receita_versao, versao;
  std::optional<std::string> etapas;  // the recipe's steps, JSON as published
  std::optional<std::string> criado_por, criado_em, status_antes_do_bloqueio, motivo_cancelamento;
  std::optional<std::string> iniciada_em, concluida_em, cancelada_em;
  std::int64_t desvios_abertos = 0;
};

struct RegistroDeEtapa {
  std::string id;
  int ordem = 0;
  std::string parametros, fora_dos_limites;  // JSON
  std::optional<std::string> motivo, observacao;
  std::string registrado_por, registrado_em;
};

struct LoteConsumido {
  std::string lote_id, lote_codigo;
  Decimal quantidade;
  std::optional<std::string> validade;
};

struct ConsumoDaOp {
  std::string id, op_id, material, criado_em;
  std::optional<Decimal> quantidade;
  std::optional<std::string> estoque_consumo_id, criado_por;
  std::vector<LoteConsumido> lotes;
};

struct LoteDaOp {
  std::string id, codigo, op_id, material, unidade, validade, status, criado_em;
  Decimal quantidade;
  std::optional<std::string> data_fabricacao, criado_por;
};

struct OpDoRegistro {
  OpLida op;
  std::vector<RegistroDeEtapa> registros;  // by step
  std::vector<ConsumoDaOp> consumos;       // oldest first
  std::vector<LoteDaOp> lotes;             // oldest first
};

// One change of the OP's status, as op.status_alterado told it.
struct MudancaDeStatus {
  std::string status;
  std::optional<std::string> status_anterior, usuario;
  std::string ocorrido_em;
};

// A desvio opened on the OP (or one of its lots), as CQ's events told it.
struct DesvioDaOp {
  std::string id, status;
  std::optional<std::string> lote_id, classificacao, descricao, aberto_em, encerrado_em;
};

// The signed review of the OP's batch record (RULES G1), as op.revisada told it.
struct RevisaoDaOp {
  std::string revisado_por, revisado_em, assinatura;  // assinatura: JSON {nome, significado, em}
  std::int64_t excecoes = 0;
};

// Nothing when no event has told of the OP yet.
std::optional<OpDoRegistro> ReadOpDoRegistro(pg::Transaction& tx, const std::string& op_id);
std::vector<MudancaDeStatus> HistoricoDaOp(pg::Transaction& tx, const std::string& op_id);  // oldest first
std::vector<DesvioDaOp> DesviosDaOp(pg::Transaction& tx, const std::string& op_id);         // by opening
std::optional<RevisaoDaOp> RevisaoDaOrdem(pg::Transaction& tx, const std::string& op_id);
void RecordRevisao(pg::Transaction& tx, const std::string& op_id, const RevisaoDaOp& revisao);

}  // namespace pharmasys::relatorios
