#pragma once
// Review by exception of an OP's batch record (RULES.md G1): the exceptions the reviewer must
// look at (domain/excecoes.hpp) and the signed review, after which CQ may approve the OP's
// produced lots (`op.revisada`).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../storage/store.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/events/events.hpp"

namespace pharmasys::producao {

// The electronic signature of the act, bound to `registro` with `significado` (the caller's
// signature token, consumed in the same transaction).
using Assinar = std::function<audit::Signature(const std::string& registro, std::string_view significado)>;

// The exceptions of the OP's batch record as it stands.
std::vector<domain::Excecao> ExcecoesDaOrdem(pg::Transaction& tx, const Ordem& ordem);

struct PedidoDeRevisao {
  std::optional<std::string> observacao;
};

// Signs the review of the OP's batch record (the OP locked by the caller), audits it and
// publishes `op.revisada`; returns it. The signature (`revisao` on op:<id>) is checked first.
// Refused: SemPermissao when the reviewer recorded a step of the OP (segregation of duties);
// EstadoNaoPermite unless the OP is concluida, while a desvio on it is open, and when it has
// been reviewed already.
Revisao RevisarRegistro(pg::Transaction& tx, const audit::Actor& actor, const events::Usuario& usuario,
                        const Ordem& ordem, const PedidoDeRevisao& pedido, const Assinar& assinar);

}  // namespace pharmasys::producao
