#pragma once
// The audit trail (RULES.md A1, A6): Audit() appends a record in the caller's transaction. The
// chain, its sealing, verification and checkpoints are in sealer.hpp.
#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "pharmasys/audit/actor.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::audit {

struct Record {
  std::string acao;  // e.g. "lote.criado", "usuario.papeis_alterados"
  std::string entidade;
  std::string entidade_id;
  boost::json::object antes;   // the changed fields' old values (empty on creation)
  boost::json::object depois;  // their new values
  std::optional<std::string> motivo;
  std::optional<Signature> assinatura;
};

// The service name written into every record (set once at start).
void SetServiceName(std::string servico);

// Appends the record in `tx`; returns its id. Whatever the caller passes, the record written is
// valid (RULES.md A6): every text is made valid UTF-8 without NUL and cut to its field's
// bound (NormalizeText), an empty required field is written as "(vazio)".
std::string Audit(pg::Transaction& tx, const Actor& actor, const Record& record);

// Bounds of the record's fields, in characters (docs/events/auditoria.registrada.v1.schema.json).
inline constexpr std::size_t kMaxNameChars = 100;   // acao, entidade
inline constexpr std::size_t kMaxIdChars = 200;     // entidade_id, usuario.*, request_id, assinatura.*
inline constexpr std::size_t kMaxTextChars = 4000;  // motivo, each text inside antes/depois
// Valid UTF-8 (each invalid byte and each NUL becomes U+FFFD), at most `max_chars` code
// points; a cut text ends in "…" (counted in the bound).
std::string NormalizeText(std::string_view text, std::size_t max_chars);

}  // namespace pharmasys::audit
