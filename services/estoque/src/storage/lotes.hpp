#pragma once
// Estoque's tables: lots and their balances, the ledger, FEFO candidates, materials. Every
// statement is a named query in lotes.cpp.
//
// Concurrency: balances are protected by row locks, not by SERIALIZABLE. Allocation locks the
// candidate lots in FEFO order (SELECT … FOR UPDATE), and every movement is one UPDATE of the
// lot row. Contention in a plant is on a few hot lots (the earliest expiry of each material);
// with locks, concurrent requests on the same lot queue and each sees the balance the previous
// one left, while serializable transactions would abort and retry each other under exactly
// that load. The CHECKs on `lotes` are the backstop: a movement that would make any balance
// negative fails in the database, whatever the code above it did.
#include <optional>
#include <string>
#include <vector>

#include "../domain/fefo.hpp"
#include "../domain/lote.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

Day ParseDay(std::string_view yyyy_mm_dd);
std::string FormatDay(Day day);
// The plant's calendar day now, in `fuso` (an IANA zone such as America/Sao_Paulo).
Day Today(pg::Transaction& tx, const std::string& fuso);
// The plant's day and the transaction's instant (now(), the default of every criado_em the
// transaction writes), read together so a write needs no RETURNING to answer with its time.
struct Agora {
  Day hoje;
  std::string instante;  // as PHARMASYS_PG_INSTANT formats it
};
Agora Now(pg::Transaction& tx, const std::string& fuso);

struct Material {
  std::string codigo;
  std::string nome;
  std::string tipo;
  std::string unidade;
  std::int64_t prazo_validade_dias = 0;
  std::int64_t vida_util_minima_expedicao_dias = 0;
  std::int64_t versao = 1;
  std::string criado_em;
};
std::optional<Material> FindMaterial(pg::Transaction& tx, const std::string& codigo);
// Inserts the material; false when one with its codigo already exists.
bool InsertMaterial(pg::Transaction& tx, const Material& material);
// Materials after `cursor` (by codigo), optionally of one `tipo`.
std::vector<Material> ListMaterials(pg::Transaction& tx, const std::optional<std::string>& cursor,
                                    const std::optional<std::string>& tipo, std::int64_t limit);

struct Lote {
  std::string id;
  std::string codigo;
  std::string material;
  std::string unidade;
  std::string origem;
  domain::LoteStatus status = domain::LoteStatus::Quarentena;
  Day validade;
  std::optional<std::string> data_fabricacao, op_id, fornecedor, lote_fornecedor, nota_fiscal;
  Decimal quantidade, reservada, devolvida;
  std::optional<std::string> laudo_id, laudo_decisao, laudo_emitido_em, recolhido_motivo;
  std::string recebido_em;
  std::int64_t versao = 1;

  // Allocatable now: released, unexpired, and what is neither reserved nor awaiting evaluation.
  Decimal Disponivel(Day hoje) const;
};
std::optional<Lote> FindLote(pg::Transaction& tx, const std::string& id, bool for_update = false);
// Lots with stock, in FEFO order, after the lot `cursor`.
std::vector<Lote> ListLotesFefo(pg::Transaction& tx, const std::optional<std::string>& material,
                                const std::optional<std::string>& status, const std::optional<std::string>& cursor,
                                std::int64_t limit);
// Refused (NaoEncontrado) when there is no such lot.
Lote LoadLote(pg::Transaction& tx, const std::string& id, bool for_update = false);

struct NovoLote {
  std::string id;
  std::string codigo;  // empty: the next receipt code (R<yymmdd>-<nnnnn>)
  std::string material;
  std::string unidade;
  std::string origem;
  Day validade;
  std::optional<std::string> data_fabricacao, op_id, fornecedor, lote_fornecedor, nota_fiscal;
};
// Inserts the lot in quarantine with a zero balance (the caller books its `entrada`); returns
// its codigo, or nullopt when a lot with this id already exists.
std::optional<std::string> InsertLote(pg::Transaction& tx, const NovoLote& lot);
void SetLoteStatus(pg::Transaction& tx, const std::string& lote_id, domain::LoteStatus status);
void SetLoteLaudo(pg::Transaction& tx, const std::string& lote_id, const std::string& laudo_id,
                  const std::string& decisao, const std::string& emitido_em);
void SetLoteRecolhido(pg::Transaction& tx, const std::string& lote_id, const std::string& motivo);

// One ledger entry and the matching change of the lot's balances, in one statement.
struct Movimentacao {
  std::string lote_id;
  std::string tipo;    // entrada, consumo, reserva, reserva_cancelada, expedicao, devolucao, reintegracao, descarte
  Decimal quantidade;  // signed change of the balance (saldo)
  Decimal reservada;   // signed change of the reserved quantity
  Decimal devolvida;   // signed change of the quantity awaiting evaluation
  std::string documento_tipo;
  std::string documento_id;
};
struct Saldos {
  Decimal quantidade, reservada, devolvida;
};
// Refuses (EstoqueInsuficiente) when the movement would make a balance negative.
Saldos Move(pg::Transaction& tx, const audit::Actor& actor, const Movimentacao& movement);

// A ledger entry as read back, with the lot's code.
struct MovimentacaoLida {
  std::int64_t id = 0;
  std::string lote_id;
  std::string lote_codigo;
  std::string material;
  std::string tipo;
  Decimal quantidade, reservada, devolvida;
  Decimal saldo_apos, reservada_apos, devolvida_apos;
  std::string documento_tipo;
  std::string documento_id;
  std::string usuario_sub;
  std::string usuario_username;
  std::optional<std::string> request_id;
  std::string ocorrido_em;
};
// Ledger entries beyond `cursor` (by id), optionally of one lot and one material.
std::vector<MovimentacaoLida> ListMovimentacoes(pg::Transaction& tx, const std::optional<std::string>& lote_id,
                                                const std::optional<std::string>& material,
                                                std::optional<std::int64_t> cursor, SortOrder order,
                                                std::int64_t limit);

// FEFO allocation of `request.quantidade` of `material` among its released lots, locking the
// lots it looks at; refused (EstoqueInsuficiente) when they cannot cover it.
FefoAllocation AllocateLocked(pg::Transaction& tx, const std::string& material, const FefoRequest& request);
// The locked FEFO candidates of `material`, to check an explicitly chosen lot against.
std::vector<FefoCandidate> LockCandidates(pg::Transaction& tx, const std::string& material, Day min_validade,
                                          std::int64_t limit);

[[noreturn]] void ThrowInsufficient(const std::string& material, Decimal pedido, Decimal disponivel);
[[noreturn]] void ThrowNotReleased(const std::string& detail);

}  // namespace pharmasys::estoque
