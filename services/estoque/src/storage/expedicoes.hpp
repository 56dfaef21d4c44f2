#pragma once
// Shipments (expedições): their items and the lots reserved for each.
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/decimal.hpp"
#include "pharmasys/list_order.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

struct ExpedicaoLote {
  std::int64_t item = 0;
  std::string lote_id;
  std::string lote_codigo;
  std::string material;
  std::string validade;
  Decimal quantidade;
  Decimal devolvida;
};

struct ExpedicaoItem {
  std::int64_t item = 0;
  std::string material;
  Decimal quantidade;
  std::optional<std::string> lote_escolhido;
  std::optional<std::string> excecao_fefo_motivo;
};

struct Expedicao {
  std::string id;
  std::string codigo;
  std::string cliente_nome;
  std::string cliente_documento;
  std::string status;  // reservada, confirmada, cancelada
  std::optional<std::string> motivo_cancelamento;
  std::string criado_por;
  std::string criado_em;
  std::optional<std::string> confirmada_em;
  std::optional<std::string> cancelada_em;
  std::int64_t versao = 1;
  std::vector<ExpedicaoItem> itens;
  std::vector<ExpedicaoLote> lotes;
};

std::optional<Expedicao> FindExpedicao(pg::Transaction& tx, const std::string& id, bool for_update = false);
Expedicao LoadExpedicao(pg::Transaction& tx, const std::string& id,
                        bool for_update = false);  // refused (NaoEncontrado) otherwise
// Shipments beyond `cursor` (by id: after it ascending, before it descending), optionally of
// one client document and one status.
std::vector<Expedicao> ListExpedicoes(pg::Transaction& tx, const std::optional<std::string>& cliente,
                                      const std::optional<std::string>& status,
                                      const std::optional<std::string>& cursor, SortOrder order, std::int64_t limit);

struct NovaExpedicao {
  std::string id;
  std::string cliente_nome;
  std::string cliente_documento;
  std::string criado_por;
};
void InsertExpedicao(pg::Transaction& tx, const NovaExpedicao& shipment);
void InsertExpedicaoItem(pg::Transaction& tx, const std::string& expedicao_id, const ExpedicaoItem& item);
void InsertExpedicaoLote(pg::Transaction& tx, const std::string& expedicao_id, std::int64_t item,
                         const std::string& lote_id, Decimal quantidade);
void MarkConfirmed(pg::Transaction& tx, const std::string& expedicao_id);
// Records a returned quantity against the shipped lot; false when more would come back than went.
bool AddReturned(pg::Transaction& tx, const std::string& expedicao_id, const std::string& lote_id, Decimal quantidade);

// Marks a shipment `cancelada` with `motivo` (app/expedicoes releases its reservations).
void MarkCancelled(pg::Transaction& tx, const std::string& expedicao_id, const std::string& motivo);
// Ids of the `reservada` shipments holding a reservation on the lot, locked.
std::vector<std::string> OpenExpedicoesWithLote(pg::Transaction& tx, const std::string& lote_id);

}  // namespace pharmasys::estoque
