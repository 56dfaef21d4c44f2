#pragma once
// The laudo (API.md CQ; RULES.md B3, S1–S3): a signed decision on a sample, which moves the
// lot along its lifecycle (libs/domain) and is published as laudo.emitido.
#include <optional>
#include <string>

#include "../storage/store.hpp"
#include "assinar.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::cq {

struct PedidoDeLaudo {
  std::string amostra_id;
  std::string decisao;  // aprovado | reprovado
  std::optional<std::string> observacao, motivo;
};

// Emits the laudo. In this order, under the lock a desvio on the lot or its OP also takes:
// the sample must exist (Campo amostra_id), the signature must be valid for it (before any
// rule, so a refused laudo leaves the token unused), the sample must accept a laudo and the
// lot lifecycle the decision (EstadoNaoPermite), then the laudo's own conditions: four eyes
// (QuatroOlhos), a motivo for a reprovado (Campo motivo), no open desvio (EstadoNaoPermite),
// every result in its specification for an approval (ForaDeEspecificacao).
Laudo EmitirLaudo(pg::Transaction& tx, const audit::Actor& actor, const PedidoDeLaudo& pedido, const Assinar& assinar);

}  // namespace pharmasys::cq
