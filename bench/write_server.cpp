// The write path of a PharmaSys service, alone: POST /v1/bench/recebimentos runs under the
// Idempotency-Key middleware and, in one transaction, inserts the record, appends an audit
// record and writes an event to the outbox — what every state-changing endpoint does. The
// sealer and the outbox relay run beside it, as in production. Driven by wrk from
// bench/write-path.sh, next to pgbench running the same SQL transaction.
#include <boost/json/object.hpp>

#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/service/service.hpp"

namespace {

constexpr pharmasys::pg::Query kInsert{
    "bench_recebimento_insert",
    "INSERT INTO recebimento (material, quantidade, lote_fornecedor) VALUES ($1, $2, $3) RETURNING id"};

const std::vector<pharmasys::pg::Migration> kSchema{
    {1, "V001__recebimento.sql",
     "CREATE TABLE recebimento (id bigserial PRIMARY KEY, material text NOT NULL, quantidade numeric(18,3) NOT NULL,"
     " lote_fornecedor text NOT NULL, criado_em timestamptz NOT NULL DEFAULT now());"}};

}  // namespace

int main(int argc, char** argv) {
  using namespace pharmasys;
  // Named as one of the services: the trail's records go out as auditoria.registrada, whose
  // schema admits only the five services as `origem`. Named "bench", every record broke it and
  // took the path of a record that cannot be published (kept aside, counted, logged as an
  // error) instead of the one every real service's records take.
  Service service("estoque", 8090);
  service.UseDatabase(kSchema);
  service.router().Post("/v1/bench/recebimentos", [&service](http::Request& request) {
    static std::function<http::Response(http::Request&)> endpoint =
        http::Idempotent(service.db(), [](http::Request& r, pg::Transaction& tx) {
          json::Fields body(r.Json());
          auto material = body.String("material");
          auto quantidade = body.Quantity("quantidade");
          auto lote = body.String("lote_fornecedor");
          body.Finish();
          auto id = tx.Exec(kInsert, pg::Params(material, quantidade, lote)).Single().Int(0);
          boost::json::object dados{{"id", id}, {"material", material}, {"quantidade", json::ToJson(quantidade)}};
          audit::Audit(tx, audit::Actor::From(r),
                       {.acao = "recebimento.registrado",
                        .entidade = "recebimento",
                        .entidade_id = std::to_string(id),
                        .depois = dados});
          events::Publish(tx, events::Event::New("lote.criado", "estoque",
                                                 {{"lote_id", ids::NewUuidV7()},
                                                  {"codigo", "R-" + std::to_string(id)},
                                                  {"material", material},
                                                  {"quantidade", json::ToJson(quantidade)},
                                                  {"unidade", "kg"},
                                                  {"validade", "2028-06-30"},
                                                  {"origem", "recebimento"},
                                                  {"fornecedor", "Fornecedor A"},
                                                  {"lote_fornecedor", lote}}));
          return http::Response::Json(201, dados);
        });
    return endpoint(request);
  });
  return service.Run(argc, argv);
}
