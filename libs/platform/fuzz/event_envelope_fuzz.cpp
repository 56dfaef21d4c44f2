// Receiving an event (events::DecodeMessage, what the consumer does with a message body):
// JSON, the envelope of EVENTS.md, and the docs/events schema of its type.
//
// Properties: a body either becomes an Event or is refused with PoisonMessage (it goes to
// the DLQ), nothing else; an accepted event has a UUID id, a type of 3 to 100 characters, a
// version from 1 to 1000 and a timestamp of 20 to 40 characters; written back as the
// publisher writes it (ToJson, Serialize) it is received again as the same event; the
// actor it is audited as is its user or its origin.
#include <string>

#include "fuzz_support.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace {

using pharmasys::events::Event;

bool Same(const Event& a, const Event& b) {
  return a.id == b.id && a.tipo == b.tipo && a.versao == b.versao && a.ocorrido_em == b.ocorrido_em &&
         a.origem == b.origem && a.correlacao_id == b.correlacao_id && a.usuario.sub == b.usuario.sub &&
         a.usuario.username == b.usuario.username && a.dados == b.dados;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  Event event;
  try {
    event = pharmasys::events::DecodeMessage(body);
  } catch (const pharmasys::events::PoisonMessage&) {
    return 0;
  }
  FUZZ_CHECK(pharmasys::json::IsUuid(event.id));
  FUZZ_CHECK(event.tipo.size() >= 3 && event.versao >= 1 && event.versao <= 1000);
  FUZZ_CHECK(event.ocorrido_em.size() >= 20 && !event.origem.empty());

  std::string republished = pharmasys::json::Serialize(event.ToJson());
  Event again;
  try {
    again = pharmasys::events::DecodeMessage(republished);
  } catch (const pharmasys::events::PoisonMessage&) {
    FUZZ_CHECK(!"an accepted event, written back, is refused");
  }
  FUZZ_CHECK(Same(event, again));

  auto actor = pharmasys::events::ActorOf(event);
  FUZZ_CHECK(actor.request_id == event.correlacao_id);
  return 0;
}
