// The Estoque service as a process, with the real Auth service for tokens and signatures, the
// test PostgreSQL and the test RabbitMQ. Laudos and recalls arrive as CQ would send them: as
// events on the exchange.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "http_support.hpp"
#include "list_support.hpp"
#include "pharmasys/amqp/amqp.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "plant_support.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;
using namespace std::chrono_literals;
using boost::json::object;

// CQ's service client: a service token that is not Produção's.
constexpr const char* kCqSecret = "secret-of-cq-5678";

// One Auth and one Estoque for the whole suite; each test works on materials of its own.
class Plant : public ServiceUnderTest {
 public:
  static Plant& Get() {
    static Plant plant;
    return plant;
  }
  http::ClientResponse GetAs(const std::string& path, const std::string& user = "estoquista") {
    return ServiceUnderTest::GetAs(path, user);
  }
  boost::json::value GetJson(const std::string& path) { return ServiceUnderTest::GetJson(path, "estoquista"); }
  const std::string& today() const { return today_; }

 private:
  Plant() : ServiceUnderTest(PHARMASYS_ESTOQUE_BIN, {"PHARMASYS_CLIENT_SECRET_CQ=" + std::string(kCqSecret)}) {
    today_ = db().Exec(pg::Query{"t_today", "SELECT (now() AT TIME ZONE 'America/Sao_Paulo')::date::text"})
                 .Single()
                 .String(0);
  }
  std::string today_;
};

// Adds `days` to a YYYY-MM-DD date.
std::string Plus(const std::string& date, int days) {
  auto ymd = *json::ParseDate(date);
  return json::FormatDate(std::chrono::year_month_day(std::chrono::sys_days(ymd) + std::chrono::days(days)));
}

class Estoque : public ::testing::Test {
 protected:
  Plant& plant = Plant::Get();

  std::string Material(int vida_util_minima = 0, int prazo = 720) {
    std::string codigo = Unique("MP");
    auto res = plant.Post("/v1/materiais",
                          object{{"codigo", codigo},
                                 {"nome", "Material " + codigo},
                                 {"tipo", "insumo"},
                                 {"unidade", "kg"},
                                 {"prazo_validade_dias", prazo},
                                 {"vida_util_minima_expedicao_dias", vida_util_minima}},
                          "estoquista");
    EXPECT_EQ(res.status, 201) << res.body;
    return codigo;
  }
  boost::json::value Receive(const std::string& material, const char* quantidade, const std::string& validade) {
    auto res = plant.Post("/v1/recebimentos",
                          object{{"material", material},
                                 {"quantidade", json::Parse(quantidade)},
                                 {"validade", validade},
                                 {"fornecedor", "Fornecedor Alfa"},
                                 {"lote_fornecedor", Unique("F")},
                                 {"nota_fiscal", Unique("NF")}},
                          "estoquista");
    EXPECT_EQ(res.status, 201) << res.body;
    return json::Parse(res.body);
  }
  events::Event Laudo(const boost::json::value& lot, const std::string& decisao) {
    return events::Event::New(
        "laudo.emitido", "cq",
        {{"laudo_id", ids::NewUuidV7()},
         {"amostra_id", ids::NewUuidV7()},
         {"lote_id", lot.at("id")},
         {"lote_codigo", lot.at("codigo")},
         {"decisao", decisao},
         {"emitido_por", "analista2"},
         {"emitido_em", clock::NowRfc3339()},
         {"assinatura", object{{"nome", "Segunda Analista"},
                               {"significado", decisao == "aprovado" ? "aprovacao" : "reprovacao"},
                               {"em", clock::NowRfc3339()}}}},
        {"f2b6e5a0-0000-4000-8000-000000000002", "analista2"});
  }
  boost::json::value Lot(const std::string& id) { return plant.GetJson("/v1/estoque/lotes/" + id); }
  bool StatusBecomes(const std::string& id, const std::string& status) {
    return Eventually([&] { return Str(Lot(id), "status") == status; }, 20s);
  }
  boost::json::value ReceiveReleased(const std::string& material, const char* quantidade, const std::string& validade) {
    auto lot = Receive(material, quantidade, validade);
    plant.PublishEvent(Laudo(lot, "aprovado"));
    EXPECT_TRUE(StatusBecomes(Str(lot, "id"), "liberado"));
    return Lot(Str(lot, "id"));
  }
  http::ClientResponse Ship(const std::string& material, const char* quantidade,
                            std::optional<std::string> lote_id = std::nullopt,
                            std::optional<std::string> motivo = std::nullopt) {
    object item{{"material", material}, {"quantidade", json::Parse(quantidade)}};
    if (lote_id) item["lote_id"] = *lote_id;
    if (motivo) item["motivo"] = *motivo;
    return plant.Post("/v1/expedicoes",
                      object{{"cliente", object{{"nome", "Farmácia Central"}, {"documento", "12.345.678/0001-90"}}},
                             {"itens", boost::json::array{item}}},
                      "estoquista");
  }
  http::ClientResponse Consume(const std::string& material, const char* quantidade, const std::string& user = "servico",
                               std::string key = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
    return plant.Post(
        "/v1/estoque/consumos",
        object{{"op_id", ids::NewUuidV7()}, {"material", material}, {"quantidade", json::Parse(quantidade)}}, user,
        headers);
  }
  // B7: the lot's balances equal the sums of its ledger rows, and none is negative.
  void ExpectLedgerMatches(const std::string& lote_id) {
    auto r = plant.db()
                 .Exec(pg::Query{"t_ledger_sum",
                                 "SELECT l.quantidade, l.reservada, l.devolvida, COALESCE(sum(m.quantidade), 0),"
                                 " COALESCE(sum(m.reservada), 0), COALESCE(sum(m.devolvida), 0) FROM lotes l"
                                 " LEFT JOIN movimentacoes m ON m.lote_id = l.id WHERE l.id = $1::uuid"
                                 " GROUP BY l.id"},
                       pg::Params(lote_id))
                 .Single();
    EXPECT_EQ(r.Numeric(0), r.Numeric(3));
    EXPECT_EQ(r.Numeric(1), r.Numeric(4));
    EXPECT_EQ(r.Numeric(2), r.Numeric(5));
    EXPECT_GE(r.Numeric(0), Decimal());
    EXPECT_GE(r.Numeric(1), Decimal());
    EXPECT_GE(r.Numeric(0) - r.Numeric(1) - r.Numeric(2), Decimal());
  }
};

// proves: B1
TEST_F(Estoque, AReceivedLotIsQuarantinedAndAnnouncedAndNotAvailableUntilAnApprovedLaudo) {
  plant.Drain("cq.eventos");
  auto material = Material();
  auto lot = Receive(material, "100.5", Plus(plant.today(), 365));
  const std::string id = Str(lot, "id");
  EXPECT_EQ(Str(lot, "status"), "quarentena");
  EXPECT_EQ(Num(lot, "quantidade"), Q("100.5"));
  EXPECT_EQ(Num(lot, "disponivel"), Q("0"));
  EXPECT_FALSE(Str(lot, "codigo").empty());

  // lote.criado (origem: recebimento) reaches CQ's queue so QC samples it.
  std::vector<events::Event> seen;
  ASSERT_TRUE(Eventually(
      [&] {
        for (auto& e : plant.Drain("cq.eventos")) seen.push_back(e);
        return std::any_of(seen.begin(), seen.end(),
                           [&](auto& e) { return e.tipo == "lote.criado" && Str(e.dados, "lote_id") == id; });
      },
      20s));
  auto created = *std::find_if(seen.begin(), seen.end(),
                               [&](auto& e) { return e.tipo == "lote.criado" && Str(e.dados, "lote_id") == id; });
  EXPECT_EQ(Str(created.dados, "origem"), "recebimento");
  EXPECT_EQ(Num(created.dados, "quantidade"), Q("100.5"));
  EXPECT_EQ(created.usuario.username, "estoquista");

  auto consume = Consume(material, "1");
  EXPECT_EQ(consume.status, 409) << consume.body;
  EXPECT_EQ(Slug(consume), "estoque-insuficiente");
  auto ship = Ship(material, "1", id);
  EXPECT_EQ(ship.status, 422) << ship.body;
  EXPECT_EQ(Slug(ship), "lote-nao-liberado");
  auto saldo = plant.GetJson("/v1/estoque/saldos?material=" + material).at("items").at(0);
  EXPECT_EQ(Num(saldo, "disponivel"), Q("0"));
  EXPECT_EQ(Str(saldo, "status"), "quarentena");

  plant.PublishEvent(Laudo(lot, "aprovado"));
  ASSERT_TRUE(StatusBecomes(id, "liberado"));
  EXPECT_EQ(Num(Lot(id), "disponivel"), Q("100.5"));
  EXPECT_EQ(Str(Lot(id).at("laudo"), "decisao"), "aprovado");
  EXPECT_EQ(Consume(material, "0.5").status, 201);
  EXPECT_EQ(Num(Lot(id), "disponivel"), Q("100"));
  ExpectLedgerMatches(id);
}

// proves: B1
TEST_F(Estoque, ARejectedLotNeverShipsAndALaterApprovalDoesNotReleaseIt) {
  auto material = Material();
  auto lot = Receive(material, "10", Plus(plant.today(), 365));
  const std::string id = Str(lot, "id");
  plant.PublishEvent(Laudo(lot, "reprovado"));
  ASSERT_TRUE(StatusBecomes(id, "reprovado"));
  auto ship = Ship(material, "1", id);
  EXPECT_EQ(ship.status, 422);
  EXPECT_EQ(Slug(ship), "lote-nao-liberado");
  EXPECT_EQ(Ship(material, "1").status, 409);  // FEFO finds nothing to take

  plant.PublishEvent(Laudo(lot, "aprovado"));
  ASSERT_TRUE(Eventually(
      [&] {
        return plant.db()
                   .Exec(pg::Query{"t_laudos", "SELECT count(*) FROM lote_laudos WHERE lote_id = $1::uuid"},
                         pg::Params(id))
                   .Single()
                   .Int(0) == 2;
      },
      20s));
  EXPECT_EQ(Str(Lot(id), "status"), "reprovado");
  EXPECT_EQ(Num(Lot(id), "disponivel"), Q("0"));
}

// proves: B5
TEST_F(Estoque, ARecalledLotIsBlockedAndItsOpenReservationsAreCancelled) {
  auto material = Material();
  auto lot = ReceiveReleased(material, "20", Plus(plant.today(), 365));
  const std::string id = Str(lot, "id");
  auto reserved = Ship(material, "5");
  ASSERT_EQ(reserved.status, 201) << reserved.body;
  const std::string shipment = Str(json::Parse(reserved.body), "id");
  EXPECT_EQ(Num(Lot(id), "reservada"), Q("5"));

  plant.PublishEvent(events::Event::New(
      "lote.recolhido", "cq", {{"lote_id", id}, {"lote_codigo", lot.at("codigo")}, {"motivo", "contaminação"}},
      {"f2b6e5a0-0000-4000-8000-000000000002", "analista"}));
  ASSERT_TRUE(StatusBecomes(id, "recolhido"));
  auto after = Lot(id);
  EXPECT_EQ(Num(after, "reservada"), Q("0"));
  EXPECT_EQ(Num(after, "disponivel"), Q("0"));
  auto cancelled = plant.GetJson("/v1/expedicoes/" + shipment);
  EXPECT_EQ(Str(cancelled, "status"), "cancelada");
  EXPECT_NE(Str(cancelled, "motivo_cancelamento").find("recolhido"), std::string::npos);

  auto again = Ship(material, "1", id);
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(Slug(again), "lote-nao-liberado");
  EXPECT_EQ(Consume(material, "1").status, 409);
  ExpectLedgerMatches(id);
}

// proves: B4 B5
TEST_F(Estoque, ConfirmationRechecksTheLotAndRefusesOneRecalledAfterReservation) {
  auto material = Material();
  auto lot = ReceiveReleased(material, "8", Plus(plant.today(), 365));
  auto reserved = Ship(material, "3");
  ASSERT_EQ(reserved.status, 201);
  auto shipment = json::Parse(reserved.body);
  // A reprovado laudo after the reservation (a re-analysis): confirmation must refuse.
  plant.PublishEvent(Laudo(lot, "reprovado"));
  ASSERT_TRUE(StatusBecomes(Str(lot, "id"), "reprovado"));
  auto confirm = plant.Post("/v1/expedicoes/" + Str(shipment, "id") + "/confirmar", object{}, "estoquista");
  EXPECT_EQ(confirm.status, 422) << confirm.body;
  EXPECT_EQ(Slug(confirm), "lote-nao-liberado");
  EXPECT_EQ(Num(Lot(Str(lot, "id")), "quantidade"), Q("8"));
}

// proves: B2
TEST_F(Estoque, FefoPicksTheEarliestExpiryForConsumptionAndShipment) {
  auto material = Material();
  auto late = ReceiveReleased(material, "10", Plus(plant.today(), 300));
  auto early = ReceiveReleased(material, "4", Plus(plant.today(), 100));
  auto middle = ReceiveReleased(material, "10", Plus(plant.today(), 200));

  auto saldos = plant.GetJson("/v1/estoque/saldos?material=" + material).at("items").as_array();
  ASSERT_EQ(saldos.size(), 3u);
  EXPECT_EQ(Str(saldos[0], "lote_id"), Str(early, "id"));
  EXPECT_EQ(Str(saldos[1], "lote_id"), Str(middle, "id"));
  EXPECT_EQ(Str(saldos[2], "lote_id"), Str(late, "id"));

  auto consumed = Consume(material, "6");
  ASSERT_EQ(consumed.status, 201) << consumed.body;
  auto lotes = json::Parse(consumed.body).at("lotes").as_array();
  ASSERT_EQ(lotes.size(), 2u);
  EXPECT_EQ(Str(lotes[0], "lote_id"), Str(early, "id"));
  EXPECT_EQ(Num(lotes[0], "quantidade"), Q("4"));
  EXPECT_EQ(Str(lotes[1], "lote_id"), Str(middle, "id"));
  EXPECT_EQ(Num(lotes[1], "quantidade"), Q("2"));

  auto shipped = Ship(material, "9");
  ASSERT_EQ(shipped.status, 201) << shipped.body;
  auto reserved = json::Parse(shipped.body).at("itens").at(0).at("lotes").as_array();
  ASSERT_EQ(reserved.size(), 2u);
  EXPECT_EQ(Str(reserved[0], "lote_id"), Str(middle, "id"));
  EXPECT_EQ(Num(reserved[0], "quantidade"), Q("8"));
  EXPECT_EQ(Str(reserved[1], "lote_id"), Str(late, "id"));

  // All or nothing: more than what is left fails and takes nothing.
  auto too_much = Consume(material, "9.001");
  EXPECT_EQ(too_much.status, 409);
  EXPECT_EQ(Slug(too_much), "estoque-insuficiente");
  EXPECT_EQ(Num(Lot(Str(late, "id")), "disponivel"), Q("9"));
  for (const auto& l : {early, middle, late}) ExpectLedgerMatches(Str(l, "id"));
}

// proves: B2
TEST_F(Estoque, ALotExpiringTodayIsStillUsableToday) {
  auto material = Material();
  auto lot = ReceiveReleased(material, "2", plant.today());
  EXPECT_FALSE(Lot(Str(lot, "id")).at("vencido").as_bool());
  EXPECT_EQ(Consume(material, "2").status, 201);
}

// proves: B4
TEST_F(Estoque, MinimumShelfLifeForShipmentsSkipsLotsTooCloseToExpiry) {
  auto material = Material(60);
  auto close = ReceiveReleased(material, "5", Plus(plant.today(), 59));
  auto far = ReceiveReleased(material, "5", Plus(plant.today(), 60));
  auto explicit_close = Ship(material, "1", Str(close, "id"));
  EXPECT_EQ(explicit_close.status, 422);
  EXPECT_EQ(Slug(explicit_close), "lote-nao-liberado");
  auto fefo = Ship(material, "1");
  ASSERT_EQ(fefo.status, 201);
  EXPECT_EQ(Str(json::Parse(fefo.body).at("itens").at(0).at("lotes").at(0), "lote_id"), Str(far, "id"));
  // Consumption in production has no shelf-life minimum: the close lot goes first there.
  auto consumed = Consume(material, "1");
  EXPECT_EQ(Str(json::Parse(consumed.body).at("lotes").at(0), "lote_id"), Str(close, "id"));
}

// proves: B2
TEST_F(Estoque, AChosenLotThatBreaksFefoNeedsAMotivoAndIsAudited) {
  auto material = Material();
  ReceiveReleased(material, "5", Plus(plant.today(), 100));
  auto late = ReceiveReleased(material, "5", Plus(plant.today(), 300));
  auto refused = Ship(material, "1", Str(late, "id"));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("motivo"), std::string::npos);
  auto accepted = Ship(material, "1", Str(late, "id"), "cliente exige lote único de validade longa");
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  auto id = Str(json::Parse(accepted.body), "id");
  EXPECT_EQ(plant.db()
                .Exec(pg::Query{"t_fefo_audit",
                                "SELECT count(*) FROM auditoria_registro WHERE acao = 'expedicao.excecao_fefo'"
                                " AND entidade_id = $1 AND motivo = 'cliente exige lote único de validade longa'"},
                      pg::Params(id))
                .Single()
                .Int(0),
            1);
}

// proves: B7
TEST_F(Estoque, FiftyConcurrentShipmentsRacingForOneLotNeverDriveItNegative) {
  auto material = Material();
  auto lot = ReceiveReleased(material, "10", Plus(plant.today(), 365));
  const std::string id = Str(lot, "id");
  std::atomic<int> created{0}, short_of_stock{0}, other{0};
  std::mutex mutex;
  std::vector<std::string> shipments;
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] {
      auto res = i % 2 == 0 ? Ship(material, "1", id) : Ship(material, "1");
      if (res.status == 201) {
        ++created;
        std::lock_guard lock(mutex);
        shipments.push_back(Str(json::Parse(res.body), "id"));
      } else if (res.status == 409 && Slug(res) == "estoque-insuficiente") {
        ++short_of_stock;
      } else {
        ++other;
        ADD_FAILURE() << res.status << " " << res.body;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 10);
  EXPECT_EQ(short_of_stock, 40);
  EXPECT_EQ(Num(Lot(id), "reservada"), Q("10"));
  ExpectLedgerMatches(id);

  // Confirming them all at once takes the lot to exactly zero, never below.
  threads.clear();
  std::atomic<int> confirmed{0};
  for (const auto& s : shipments) {
    threads.emplace_back([&, s] {
      if (plant.Post("/v1/expedicoes/" + s + "/confirmar", object{}, "estoquista").status == 200) ++confirmed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(confirmed, 10);
  auto after = Lot(id);
  EXPECT_EQ(Num(after, "quantidade"), Q("0"));
  EXPECT_EQ(Num(after, "reservada"), Q("0"));
  ExpectLedgerMatches(id);
}

// proves: B7
TEST_F(Estoque, ConcurrentConsumptionsNeverOverdrawAMaterial) {
  auto material = Material();
  std::vector<std::string> lots;
  for (int i = 0; i < 3; ++i) lots.push_back(Str(ReceiveReleased(material, "3", Plus(plant.today(), 100 + i)), "id"));
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&] {
      auto res = Consume(material, "2");
      if (res.status == 201) ++ok;
      if (res.status == 409) ++refused;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 4);  // 9 in stock, 2 each
  EXPECT_EQ(refused, 16);
  Decimal left;
  for (const auto& id : lots) {
    left += Num(Lot(id), "quantidade");
    ExpectLedgerMatches(id);
  }
  EXPECT_EQ(left, Q("1"));
}

// proves: B1
TEST_F(Estoque, ALaudoArrivingBeforeItsLotIsAppliedWhenTheLotArrives) {
  auto material = Material();
  const std::string lote_id = ids::NewUuidV7();
  const std::string codigo = Unique("P");
  object lot{{"id", lote_id}, {"codigo", codigo}};
  plant.PublishEvent(Laudo(lot, "aprovado"));
  ASSERT_TRUE(Eventually(
      [&] {
        return plant.db()
                   .Exec(pg::Query{"t_pending", "SELECT count(*) FROM eventos_lote_pendentes WHERE lote_id = $1::uuid"},
                         pg::Params(lote_id))
                   .Single()
                   .Int(0) == 1;
      },
      20s));
  EXPECT_EQ(plant.GetAs("/v1/estoque/lotes/" + lote_id).status, 404);

  plant.PublishEvent(events::Event::New("lote.criado", "producao",
                                        {{"lote_id", lote_id},
                                         {"codigo", codigo},
                                         {"material", material},
                                         {"quantidade", 50},
                                         {"unidade", "kg"},
                                         {"validade", Plus(plant.today(), 400)},
                                         {"data_fabricacao", plant.today()},
                                         {"origem", "producao"},
                                         {"op_id", ids::NewUuidV7()}},
                                        {"f2b6e5a0-0000-4000-8000-000000000003", "gestor"}));
  ASSERT_TRUE(Eventually([&] { return plant.GetAs("/v1/estoque/lotes/" + lote_id).status == 200; }, 20s));
  auto arrived = Lot(lote_id);
  EXPECT_EQ(Str(arrived, "status"), "liberado");
  EXPECT_EQ(Str(arrived, "origem"), "producao");
  EXPECT_EQ(Num(arrived, "disponivel"), Q("50"));
  ExpectLedgerMatches(lote_id);
}

// proves: B6
TEST_F(Estoque, AReturnedQuantityStaysOutOfAvailableStockUntilASignedEvaluation) {
  plant.Drain("cq.eventos");
  auto material = Material();
  auto lot = ReceiveReleased(material, "10", Plus(plant.today(), 365));
  const std::string id = Str(lot, "id");
  auto shipped = Ship(material, "4");
  ASSERT_EQ(shipped.status, 201);
  const std::string shipment = Str(json::Parse(shipped.body), "id");
  ASSERT_EQ(plant.Post("/v1/expedicoes/" + shipment + "/confirmar", object{}, "estoquista").status, 200);
  EXPECT_EQ(Num(Lot(id), "quantidade"), Q("6"));

  auto too_much = plant.Post(
      "/v1/devolucoes", object{{"expedicao_id", shipment}, {"lote_id", id}, {"quantidade", 5}, {"motivo", "avaria"}},
      "estoquista");
  EXPECT_EQ(too_much.status, 422);
  auto ret = plant.Post(
      "/v1/devolucoes",
      object{{"expedicao_id", shipment}, {"lote_id", id}, {"quantidade", 3}, {"motivo", "embalagem avariada"}},
      "estoquista");
  ASSERT_EQ(ret.status, 201) << ret.body;
  const std::string devolucao = Str(json::Parse(ret.body), "id");
  auto held = Lot(id);
  EXPECT_EQ(Num(held, "quantidade"), Q("9"));
  EXPECT_EQ(Num(held, "devolvida_em_avaliacao"), Q("3"));
  EXPECT_EQ(Num(held, "disponivel"), Q("6"));
  EXPECT_EQ(Consume(material, "6.001").status, 409);  // the returned units are not allocatable
  ASSERT_TRUE(Eventually(
      [&] {
        auto events = plant.Drain("cq.eventos");
        return std::any_of(events.begin(), events.end(), [&](auto& e) {
          return e.tipo == "devolucao.registrada" && Str(e.dados, "devolucao_id") == devolucao;
        });
      },
      20s));

  const std::string path = "/v1/devolucoes/" + devolucao + "/avaliar";
  object body{{"decisao", "reintegrar"}, {"motivo", "inspeção visual conforme"}};
  // No signature, a signature for another record, the wrong meaning, the wrong role.
  EXPECT_EQ(plant.Post(path, body, "analista").status, 403);
  auto other = plant.Signature("analista", "devolucao:" + ids::NewUuidV7(), "liberacao");
  auto wrong_record = plant.Post(path, body, "analista", {{"X-Assinatura", other}});
  EXPECT_EQ(wrong_record.status, 403);
  EXPECT_EQ(Slug(wrong_record), "assinatura-invalida");
  auto wrong_meaning = plant.Signature("analista", "devolucao:" + devolucao, "reprovacao");
  EXPECT_EQ(plant.Post(path, body, "analista", {{"X-Assinatura", wrong_meaning}}).status, 403);
  EXPECT_EQ(plant.Post(path, body, "estoquista").status, 403);
  EXPECT_EQ(Num(Lot(id), "disponivel"), Q("6"));

  auto signature = plant.Signature("analista", "devolucao:" + devolucao, "liberacao");
  auto evaluated = plant.Post(path, body, "analista", {{"X-Assinatura", signature}});
  ASSERT_EQ(evaluated.status, 200) << evaluated.body;
  auto result = json::Parse(evaluated.body);
  EXPECT_EQ(Str(result, "status"), "reintegrada");
  EXPECT_FALSE(Str(result.at("avaliacao").at("assinatura"), "nome").empty());
  EXPECT_EQ(Str(result.at("avaliacao").at("assinatura"), "significado"), "liberacao");
  EXPECT_EQ(Num(Lot(id), "disponivel"), Q("9"));
  // The same signature cannot be used twice, and a closed evaluation stays closed.
  auto reused = plant.Post(path, body, "analista", {{"X-Assinatura", signature}});
  EXPECT_EQ(reused.status, 403);
  EXPECT_EQ(Slug(reused), "assinatura-invalida");
  auto fresh = plant.Signature("analista", "devolucao:" + devolucao, "liberacao");
  EXPECT_EQ(plant.Post(path, body, "analista", {{"X-Assinatura", fresh}}).status, 409);

  // A discarded return leaves the stock for good.
  auto ret2 = plant.Post("/v1/devolucoes",
                         object{{"expedicao_id", shipment}, {"lote_id", id}, {"quantidade", 1}, {"motivo", "violado"}},
                         "estoquista");
  ASSERT_EQ(ret2.status, 201) << ret2.body;
  const std::string dev2 = Str(json::Parse(ret2.body), "id");
  auto discard =
      plant.Post("/v1/devolucoes/" + dev2 + "/avaliar", object{{"decisao", "descartar"}, {"motivo", "lacre violado"}},
                 "analista", {{"X-Assinatura", plant.Signature("analista", "devolucao:" + dev2, "reprovacao")}});
  ASSERT_EQ(discard.status, 200) << discard.body;
  // The discard is told to Relatórios, which counts it as a loss (GET /v1/relatorios/perdas).
  ASSERT_TRUE(Eventually(
      [&] {
        auto events = plant.Drain("relatorios.eventos");
        return std::any_of(events.begin(), events.end(), [&](auto& e) {
          return e.tipo == "devolucao.avaliada" && Str(e.dados, "devolucao_id") == dev2 &&
                 Str(e.dados, "decisao") == "descartar" && Str(e.dados, "lote_id") == id &&
                 json::Serialize(e.dados.at("quantidade")) == "1" && Str(e.dados, "avaliado_por") == "analista";
        });
      },
      20s));
  auto final_lot = Lot(id);
  EXPECT_EQ(Num(final_lot, "quantidade"), Q("9"));
  EXPECT_EQ(Num(final_lot, "devolvida_em_avaliacao"), Q("0"));
  EXPECT_EQ(Num(final_lot, "disponivel"), Q("9"));
  ExpectLedgerMatches(id);

  auto ledger = plant.GetJson("/v1/estoque/movimentacoes?lote_id=" + id).at("items").as_array();
  std::vector<std::string> tipos;
  for (const auto& m : ledger) tipos.push_back(Str(m, "tipo"));
  EXPECT_EQ(tipos, (std::vector<std::string>{"entrada", "reserva", "expedicao", "devolucao", "reintegracao",
                                             "devolucao", "descarte"}));
  EXPECT_EQ(Str(ledger.back().at("usuario"), "username"), "analista");
  EXPECT_EQ(Num(ledger.back(), "saldo_apos"), Q("9"));
}

TEST_F(Estoque, ShipmentsReturnsAndTheLedgerListNewestFirstAcrossPages) {
  auto material = Material();
  auto lot = ReceiveReleased(material, "10", Plus(plant.today(), 365));
  const std::string id = Str(lot, "id");
  std::vector<std::string> expedicoes;
  for (int i = 0; i < 3; ++i) {
    auto shipped = Ship(material, "1");
    ASSERT_EQ(shipped.status, 201) << shipped.body;
    expedicoes.push_back(Str(json::Parse(shipped.body), "id"));
    ASSERT_EQ(plant.Post("/v1/expedicoes/" + expedicoes.back() + "/confirmar", object{}, "estoquista").status, 200);
  }
  std::vector<std::string> devolucoes;
  for (const auto& expedicao : expedicoes) {
    auto ret = plant.Post("/v1/devolucoes",
                          object{{"expedicao_id", expedicao}, {"lote_id", id}, {"quantidade", 1}, {"motivo", "avaria"}},
                          "estoquista");
    ASSERT_EQ(ret.status, 201) << ret.body;
    devolucoes.push_back(Str(json::Parse(ret.body), "id"));
  }

  auto get = [&](const std::string& target) { return plant.GetJson(target); };
  ExpectNewestFirst(get, "/v1/expedicoes", expedicoes);
  ExpectNewestFirst(get, "/v1/expedicoes?status=confirmada", expedicoes);
  ExpectNewestFirst(get, "/v1/devolucoes", devolucoes);
  ExpectNewestFirst(get, "/v1/devolucoes?status=pendente", devolucoes);

  // The ledger is keyed by its sequence: oldest first it tells the story as it happened, and
  // newest first it is that story backwards.
  const std::string ledger = "/v1/estoque/movimentacoes?lote_id=" + id;
  auto sequence = [](const object& m) { return std::to_string(m.at("id").as_int64()); };
  std::vector<std::string> tipos, movimentos;
  auto oldest_first = plant.GetJson(ledger);
  for (const auto& m : oldest_first.at("items").as_array()) {
    tipos.push_back(Str(m, "tipo"));
    movimentos.push_back(sequence(m.as_object()));
  }
  EXPECT_EQ(tipos, (std::vector<std::string>{"entrada", "reserva", "expedicao", "reserva", "expedicao", "reserva",
                                             "expedicao", "devolucao", "devolucao", "devolucao"}));
  ExpectNewestFirst(get, ledger, movimentos, sequence);
  ExpectNewestFirst(get, "/v1/estoque/movimentacoes?material=" + material, movimentos, sequence);

  for (const char* path :
       {"/v1/expedicoes?ordem=novas", "/v1/devolucoes?ordem=DESC", "/v1/estoque/movimentacoes?ordem=-1"}) {
    ExpectOrdemRefused(plant.GetAs(path));
  }
}

TEST_F(Estoque, ConfirmationPublishesTheShipmentWithItsLots) {
  auto material = Material();
  auto lot = ReceiveReleased(material, "7", Plus(plant.today(), 365));
  auto shipped = Ship(material, "2.25");
  ASSERT_EQ(shipped.status, 201);
  auto shipment = json::Parse(shipped.body);
  auto stale = plant.Post("/v1/expedicoes/" + Str(shipment, "id") + "/confirmar", object{}, "estoquista",
                          {{"If-Match", "\"999\""}});
  EXPECT_EQ(stale.status, 412);
  auto confirmed = plant.Post("/v1/expedicoes/" + Str(shipment, "id") + "/confirmar", object{}, "estoquista");
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(Str(json::Parse(confirmed.body), "status"), "confirmada");
  auto event = plant.db()
                   .Exec(pg::Query{"t_outbox_expedicao",
                                   "SELECT envelope FROM outbox WHERE tipo = 'expedicao.confirmada'"
                                   " AND envelope::jsonb->'dados'->>'expedicao_id' = $1"},
                         pg::Params(Str(shipment, "id")))
                   .Single()
                   .String(0);
  auto dados = json::Parse(event).at("dados");
  EXPECT_EQ(Str(dados.at("cliente"), "documento"), "12.345.678/0001-90");
  EXPECT_EQ(Str(dados.at("itens").at(0), "lote_id"), Str(lot, "id"));
  EXPECT_EQ(Num(dados.at("itens").at(0), "quantidade"), Q("2.25"));
  // A confirmed shipment can no longer be cancelled.
  EXPECT_EQ(
      plant.Post("/v1/expedicoes/" + Str(shipment, "id") + "/cancelar", object{{"motivo", "desistência"}}, "estoquista")
          .status,
      409);
}

TEST_F(Estoque, CancellationReleasesTheReservationWithAMotivo) {
  auto material = Material();
  auto lot = ReceiveReleased(material, "5", Plus(plant.today(), 365));
  auto shipped = Ship(material, "5");
  ASSERT_EQ(shipped.status, 201);
  const std::string id = Str(json::Parse(shipped.body), "id");
  EXPECT_EQ(plant.Post("/v1/expedicoes/" + id + "/cancelar", object{}, "estoquista").status, 422);  // no motivo
  auto cancelled =
      plant.Post("/v1/expedicoes/" + id + "/cancelar", object{{"motivo", "cliente desistiu"}}, "estoquista");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Num(Lot(Str(lot, "id")), "disponivel"), Q("5"));
  auto list = plant.GetJson("/v1/expedicoes?status=cancelada&cliente=12.345.678/0001-90");
  bool found = false;
  for (const auto& s : list.at("items").as_array()) found |= Str(s, "id") == id;
  EXPECT_TRUE(found);
}

// proves: R2
TEST_F(Estoque, ARetriedConsumptionWithTheSameKeyConsumesOnce) {
  auto material = Material();
  auto lot = ReceiveReleased(material, "10", Plus(plant.today(), 365));
  const std::string op = ids::NewUuidV7();
  const std::string key = "consumo-" + op;
  object body{{"op_id", op}, {"material", material}, {"quantidade", 3}};
  auto first = plant.Post("/v1/estoque/consumos", body, "servico", {{"Idempotency-Key", key}});
  auto again = plant.Post("/v1/estoque/consumos", body, "servico", {{"Idempotency-Key", key}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers.GetOr("Idempotent-Replayed", ""), "true");
  EXPECT_EQ(Num(Lot(Str(lot, "id")), "quantidade"), Q("7"));
  // The answer is what was stored: the document's time is its row's, its lots are its rows.
  auto answered = json::Parse(first.body);
  auto consumo = plant.GetJson("/v1/estoque/consumos/" + Str(answered, "id"));
  EXPECT_EQ(Str(consumo, "op_id"), op);
  EXPECT_EQ(Str(consumo, "criado_em"), Str(answered, "criado_em"));
  EXPECT_EQ(json::Serialize(consumo.at("lotes")), json::Serialize(answered.at("lotes")));
}

TEST_F(Estoque, RolesAndBadInputAreRefusedWithProblems) {
  auto material = Material();
  EXPECT_EQ(Consume(material, "1", "estoquista").status, 403);
  EXPECT_EQ(Consume(material, "1", "gestor").status, 403);   // people consume through the OP
  EXPECT_EQ(Consume(material, "1", "servico").status, 409);  // allowed, nothing in stock
  auto bad = plant.Post("/v1/recebimentos",
                        object{{"material", "NAO-EXISTE"},
                               {"quantidade", json::Parse("1.0001")},
                               {"validade", "2020-01-01"},
                               {"fornecedor", "F"},
                               {"lote_fornecedor", "X"},
                               {"nota_fiscal", "NF"}},
                        "estoquista");
  ASSERT_EQ(bad.status, 422);
  auto errors = json::Parse(bad.body).at("errors").as_array();
  std::set<std::string> campos;
  for (const auto& e : errors) campos.insert(Str(e, "campo"));
  EXPECT_TRUE(campos.count("material"));
  EXPECT_TRUE(campos.count("quantidade"));
  auto expired = plant.Post("/v1/recebimentos",
                            object{{"material", material},
                                   {"quantidade", 1},
                                   {"validade", Plus(plant.today(), -1)},
                                   {"fornecedor", "F"},
                                   {"lote_fornecedor", "X"},
                                   {"nota_fiscal", "NF"}},
                            "estoquista");
  EXPECT_EQ(expired.status, 422);
  EXPECT_NE(expired.body.find("validade"), std::string::npos);
  auto negative = Consume(material, "-1");
  EXPECT_EQ(negative.status, 422);
  auto duplicate = plant.Post("/v1/materiais",
                              object{{"codigo", material},
                                     {"nome", "x"},
                                     {"tipo", "insumo"},
                                     {"unidade", "kg"},
                                     {"prazo_validade_dias", 10},
                                     {"vida_util_minima_expedicao_dias", 0}},
                              "estoquista");
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(plant.Post("/v1/materiais", object{}, "analista").status, 403);
  EXPECT_EQ(plant.GetAs("/v1/estoque/lotes/not-a-uuid").status, 404);
  EXPECT_EQ(plant.GetAs("/v1/estoque/movimentacoes?lote_id=x").status, 422);
  EXPECT_EQ(plant.GetAs("/v1/estoque/saldos?status=vencido").status, 422);
}

// proves: B7
TEST_F(Estoque, TheLedgerIsAppendOnlyForTheServiceItself) {
  auto material = Material();
  auto lot = Receive(material, "1", Plus(plant.today(), 365));
  auto try_sql = [&](const char* name, const char* sql) {
    try {
      plant.db().Exec(pg::Query{name, sql}, pg::Params(Str(lot, "id")));
      return std::string("accepted");
    } catch (const pg::SqlError& e) {
      return e.sqlstate();
    }
  };
  EXPECT_EQ(try_sql("t_upd", "UPDATE movimentacoes SET quantidade = 999 WHERE lote_id = $1::uuid"), "42501");
  EXPECT_EQ(try_sql("t_del", "DELETE FROM movimentacoes WHERE lote_id = $1::uuid"), "42501");
  // And a balance cannot be driven negative even by a direct statement.
  EXPECT_EQ(try_sql("t_neg", "UPDATE lotes SET reservada = quantidade + 1 WHERE id = $1::uuid"), "23514");
}

TEST_F(Estoque, MaterialsArePublishedAndListed) {
  plant.Drain("producao.eventos");
  auto material = Material(30, 365);
  auto m = plant.GetJson("/v1/materiais/" + material);
  EXPECT_EQ(m.at("vida_util_minima_expedicao_dias").as_int64(), 30);
  EXPECT_EQ(plant.GetAs("/v1/materiais/NADA").status, 404);
  ASSERT_TRUE(Eventually(
      [&] {
        auto events = plant.Drain("producao.eventos");
        return std::any_of(events.begin(), events.end(), [&](auto& e) {
          return e.tipo == "material.cadastrado" && Str(e.dados, "codigo") == material &&
                 e.dados.at("prazo_validade_dias").as_int64() == 365;
        });
      },
      20s));
  Material();  // a second one, so a page of one has a next
  auto page = plant.GetJson("/v1/materiais?limit=1");
  EXPECT_EQ(page.at("items").as_array().size(), 1u);
  ASSERT_TRUE(page.at("next_cursor").is_string());
  auto next = plant.GetJson("/v1/materiais?limit=1&cursor=" + std::string(page.at("next_cursor").as_string()));
  EXPECT_EQ(next.at("items").as_array().size(), 1u);
  EXPECT_NE(next.at("items").at(0).at("codigo"), page.at("items").at(0).at("codigo"));
}

// RULES.md R1/R2 for Estoque: killed with -9 while it applies a burst of laudos, and again while
// consumptions are in flight; after restarting, every laudo has been applied exactly once,
// every consumption retried with its key has taken its stock exactly once, and every balance
// still equals its ledger.
// proves: R1 R2 B7
TEST_F(Estoque, AKill9MidStreamLosesNothingAndDoublesNothing) {
  auto material = Material();
  std::vector<boost::json::value> lots;
  for (int i = 0; i < 30; ++i) lots.push_back(Receive(material, "10", Plus(plant.today(), 100 + i)));
  {
    auto channel = plant.Channel();
    std::vector<amqp::Message> burst;
    for (const auto& lot : lots) {
      auto e = Laudo(lot, "aprovado");
      burst.push_back({.routing_key = e.tipo, .body = json::Serialize(e.ToJson()), .message_id = e.id, .type = e.tipo});
    }
    channel->PublishConfirmed(burst, 10s);
  }
  std::this_thread::sleep_for(30ms);
  plant.Kill(plant.base());
  plant.Restart(plant.base());
  for (const auto& lot : lots) ASSERT_TRUE(StatusBecomes(Str(lot, "id"), "liberado"));
  auto count = [&](const char* name, const char* sql) {
    return plant.db().Exec(pg::Query{name, sql}, pg::Params(material)).Single().Int(0);
  };
  EXPECT_EQ(count("t_laudos_applied",
                  "SELECT count(*) FROM lote_laudos d JOIN lotes l ON l.id = d.lote_id WHERE l.material = $1"),
            30);
  EXPECT_EQ(count("t_laudos_audited",
                  "SELECT count(*) FROM auditoria_registro a JOIN lotes l ON l.id::text = a.entidade_id"
                  " WHERE a.acao = 'lote.laudo_aplicado' AND l.material = $1"),
            30);

  // Twenty consumptions in flight when the service dies; the clients retry with their keys.
  std::vector<std::string> keys;
  for (int i = 0; i < 20; ++i) keys.push_back("kill9-" + ids::NewUuidV7());
  const std::string op = ids::NewUuidV7();
  auto consume = [&](const std::string& key) {
    return plant.Post("/v1/estoque/consumos", object{{"op_id", op}, {"material", material}, {"quantidade", 1}},
                      "servico", {{"Idempotency-Key", key}});
  };
  std::vector<std::thread> threads;
  for (const auto& key : keys) {
    threads.emplace_back([&, key] {
      try {
        consume(key);
      } catch (const std::exception&) {  // the connection dies with the service
      }
    });
  }
  std::this_thread::sleep_for(40ms);
  plant.Kill(plant.base());
  for (auto& t : threads) t.join();
  plant.Restart(plant.base());
  for (const auto& key : keys) {
    http::ClientResponse res;
    ASSERT_TRUE(Eventually(
        [&] {
          try {
            res = consume(key);
          } catch (const std::exception&) {  // a client retries through connection errors too
            return false;
          }
          return res.status == 201;
        },
        20s))
        << res.status << " " << res.body;
  }
  EXPECT_EQ(count("t_consumptions", "SELECT count(*) FROM consumos WHERE material = $1"), 20);
  EXPECT_EQ(count("t_ledger_consumed",
                  "SELECT -coalesce(sum(quantidade), 0)::bigint FROM movimentacoes WHERE material = $1"
                  " AND tipo = 'consumo'"),
            20);
  for (const auto& lot : lots) ExpectLedgerMatches(Str(lot, "id"));
}

// API.md Estoque: consumption here is Produção's service client's alone. People consume
// through the OP, which enforces B3 and records the genealogy; no user role takes stock here,
// and neither does another service.
TEST_F(Estoque, OnlyProducaosServiceClientConsumesAndNoUserRoleDoes) {
  auto material = Material();
  auto lot = ReceiveReleased(material, "10", Plus(plant.today(), 365));
  for (const char* user : {"admin", "gestor", "analista", "analista2", "estoquista", "auditor"}) {
    auto refused = Consume(material, "1", user);
    EXPECT_EQ(refused.status, 403) << user << ": " << refused.body;
    EXPECT_EQ(Slug(refused), "sem-permissao") << user;
  }
  http::ClientRequest form{http::Method::Post,
                           plant.auth_url() + "/v1/auth/token",
                           {},
                           "grant_type=client_credentials&client_id=cq&client_secret=" + std::string(kCqSecret)};
  form.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  auto issued = http::Client().Send(form, 30s);
  ASSERT_EQ(issued.status, 200) << issued.body;
  auto other_service =
      plant.Call(plant.base(), http::Method::Post, "/v1/estoque/consumos",
                 json::Serialize(object{{"op_id", ids::NewUuidV7()}, {"material", material}, {"quantidade", 1}}),
                 Str(json::Parse(issued.body), "access_token"), {{"Idempotency-Key", ids::NewUuidV7()}});
  EXPECT_EQ(other_service.status, 403) << other_service.body;
  EXPECT_EQ(Num(Lot(Str(lot, "id")), "quantidade"), Q("10"));  // nothing was taken

  auto taken = Consume(material, "1", "servico");
  EXPECT_EQ(taken.status, 201) << taken.body;
  EXPECT_EQ(Num(Lot(Str(lot, "id")), "quantidade"), Q("9"));
}

// RULES.md B9: a counter that outgrows its zero padding grows a digit; no code is cut, so
// none collides.
// proves: B9
TEST_F(Estoque, CodesGrowADigitPastTheirPaddingAndNeverCollide) {
  auto& database = plant.DatabaseOf(plant.base());
  database.Superuser("SELECT setval('lote_recebimento_seq', 99998)");
  database.Superuser("SELECT setval('expedicao_seq', 999998)");
  database.Superuser("SELECT setval('devolucao_seq', 999998)");
  auto material = Material();
  auto first = ReceiveReleased(material, "10", Plus(plant.today(), 365));
  auto second = ReceiveReleased(material, "10", Plus(plant.today(), 366));
  auto expect_grown = [](const std::string& before, const std::string& after, const std::string& before_suffix,
                         const std::string& after_suffix) {
    EXPECT_NE(before, after);
    EXPECT_TRUE(before.ends_with(before_suffix)) << before;
    EXPECT_TRUE(after.ends_with(after_suffix)) << after;
    EXPECT_EQ(after.size(), before.size() + 1) << before << " " << after;
  };
  expect_grown(Str(first, "codigo"), Str(second, "codigo"), "-99999", "-100000");

  std::vector<std::string> shipments;
  for (int i = 0; i < 2; ++i) {
    auto shipped = Ship(material, "2");
    ASSERT_EQ(shipped.status, 201) << shipped.body;
    shipments.push_back(Str(json::Parse(shipped.body), "id"));
  }
  auto code_of = [&](const std::string& path) { return Str(plant.GetJson(path), "codigo"); };
  expect_grown(code_of("/v1/expedicoes/" + shipments[0]), code_of("/v1/expedicoes/" + shipments[1]), "EXP-999999",
               "EXP-1000000");

  std::vector<std::string> returns;
  for (const auto& shipment : shipments) {
    ASSERT_EQ(plant.Post("/v1/expedicoes/" + shipment + "/confirmar", object{}, "estoquista").status, 200);
    auto items = plant.GetJson("/v1/expedicoes/" + shipment).at("itens").as_array();
    auto lote_id = Str(items.at(0).at("lotes").at(0), "lote_id");
    auto ret =
        plant.Post("/v1/devolucoes",
                   object{{"expedicao_id", shipment}, {"lote_id", lote_id}, {"quantidade", 1}, {"motivo", "avaria"}},
                   "estoquista");
    ASSERT_EQ(ret.status, 201) << ret.body;
    returns.push_back(Str(json::Parse(ret.body), "codigo"));
  }
  expect_grown(returns[0], returns[1], "DEV-999999", "DEV-1000000");
}

}  // namespace
}  // namespace pharmasys
