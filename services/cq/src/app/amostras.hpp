#pragma once
// A sample's acts (API.md CQ): collected, then its results entered, each checked against the
// specification when it is entered (domain/conformidade.hpp), so an out-of-specification
// value is flagged at once; a correction is a new result with a motivo. Each act is audited in
// the caller's transaction and refuses with CQ's Recusa (recusa.hpp).
#include <optional>
#include <string>

#include "../storage/store.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::cq {

// The sample, locked for the rest of the transaction when `for_update`; NaoEncontrado otherwise.
Sample CarregarAmostra(pg::Transaction& tx, const std::string& id, bool for_update);

struct PedidoDeColeta {
  Decimal quantidade;
  std::optional<std::string> observacao;
};

// Records the collection of the sample (locked by the caller); returns it as it is now.
// Refused: EstadoNaoPermite when the sample is not awaiting collection.
Sample ColetarAmostra(pg::Transaction& tx, const audit::Actor& actor, const Sample& amostra,
                      const PedidoDeColeta& pedido);

struct PedidoDeResultado {
  std::string ensaio;
  Valor valor;
  std::optional<std::string> motivo;  // required to correct an ensaio that has a result
};

struct ResultadoRegistrado {
  Result resultado;
  std::int64_t especificacao_versao = 0;  // the version the sample is bound to
  Ensaio ensaio;                          // as that version specifies it
};

// Enters a result on the sample (locked by the caller), binding it to the material's current
// specification version with its first result. Refused, in this order: EstadoNaoPermite when
// the sample does not take results or its material has no specification; CampoInvalido for
// an ensaio not in the specification (ensaio), a value of the wrong kind (valor), a correction
// without a motivo (motivo).
ResultadoRegistrado RegistrarResultado(pg::Transaction& tx, const audit::Actor& actor, const Sample& amostra,
                                       const PedidoDeResultado& pedido);

}  // namespace pharmasys::cq
