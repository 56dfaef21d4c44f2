#pragma once
// Executing an OP (API.md Produção; RULES.md B3, B8): a step recorded in recipe order with its
// parameters checked against the recipe, and a produced lot, born in quarantine. Each act is
// audited and published in the caller's transaction; the OP is the caller's, under its row
// lock. The consumption of insumos is app/consumos.hpp.
#include <map>
#include <optional>
#include <string>

#include "../storage/store.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::producao {

struct PedidoDeRegistro {
  int etapa = 0;  // the step's `ordem` in the recipe
  std::map<std::string, Decimal> valores;
  std::optional<std::string> observacao, motivo;
};

// Records step `pedido.etapa` of the OP, flags the values outside the recipe's limits and
// publishes `etapa.registrada`; returns the record as stored. Refused: as the state machine
// refuses a record (OpBloqueada, EstadoNaoPermite), NaoEncontrado when the recipe has no such
// step, EstadoNaoPermite out of order or already recorded, CampoInvalido for a parameter
// missing, unknown or not a number, and for a value out of limits without a motivo.
Registro RegistrarEtapa(pg::Transaction& tx, const audit::Actor& actor, const Ordem& ordem,
                        const PedidoDeRegistro& pedido);

struct PedidoDeLote {
  Decimal quantidade;
  std::string data_fabricacao;  // YYYY-MM-DD
};

// Creates the OP's produced lot in quarantine, validade = data_fabricacao + the product's shelf
// life, and publishes `lote.criado`; returns the lot. Refused: as the state machine refuses a
// lot (OpBloqueada, EstadoNaoPermite), CampoInvalido (data_fabricacao) for a date after today
// in the plant's calendar `fuso`, EstadoNaoPermite when the product is not in the catalogue.
LoteProduzido ProduzirLote(pg::Transaction& tx, const audit::Actor& actor, const Ordem& ordem,
                           const PedidoDeLote& pedido, const std::string& fuso);

}  // namespace pharmasys::producao
