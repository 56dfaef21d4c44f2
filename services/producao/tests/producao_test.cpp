// The Produção service as a process with the real Estoque (for FEFO consumption) and Auth (for
// tokens, including Produção's own client_credentials token), on the test PostgreSQL and
// RabbitMQ. Deviations and laudos arrive as CQ sends them: as events on the exchange.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <future>
#include <thread>

#include "http_support.hpp"
#include "list_support.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/json/fields.hpp"
#include "plant_support.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;
using namespace std::chrono_literals;
using boost::json::array;
using boost::json::object;

class Factory : public ServiceUnderTest {
 public:
  static Factory& Get() {
    static Factory factory;
    return factory;
  }
  std::string estoque, producao;

 private:
  Factory() : ServiceUnderTest(std::vector<std::string>{}) {
    estoque = StartService(PHARMASYS_ESTOQUE_BIN);
    // Estoque gets 1 s per attempt and 5 attempts here (about 4.75 s with the back-off), so a
    // test can make it slower than that.
    producao =
        StartService(PHARMASYS_PRODUCAO_BIN,
                     {"PHARMASYS_AUTH_TOKEN_URL=" + auth_url() + "/v1/auth/token", "PHARMASYS_CLIENT_ID=producao",
                      "PHARMASYS_CLIENT_SECRET=" + kProducaoSecret, "PHARMASYS_ESTOQUE_URL=" + estoque,
                      "PHARMASYS_ESTOQUE_TIMEOUT=1s", "PHARMASYS_ESTOQUE_ATTEMPTS=5",
                      "PHARMASYS_CONSUMO_RECOVERY_INTERVAL=2s", "PHARMASYS_TEST_PAUSE_FILE=" + pause_file});
  }

 public:
  // Produção waits at the named point of a consumption while this file holds its name.
  const std::string pause_file = "/tmp/pharmasys-producao-pause-" + ids::RandomHex(8);
  void PauseAt(const std::string& point) { std::ofstream(pause_file) << point << "\n"; }
  void Resume() { std::remove(pause_file.c_str()); }
};

class Producao : public ::testing::Test {
 protected:
  Factory& f = Factory::Get();
  std::string insumo, produto, receita_id, today;
  std::string early_lot, late_lot;  // two released lots of the insumo, 60 kg each

  void SetUp() override {
    today = f.DbOf(f.estoque)
                .Exec(pg::Query{"t_today", "SELECT (now() AT TIME ZONE 'America/Sao_Paulo')::date::text"})
                .Single()
                .String(0);
    insumo = Material("insumo", 720);
    produto = Material("produto", 365);
    late_lot = ReceiveReleased(insumo, "60", Plus(200));
    early_lot = ReceiveReleased(insumo, "60", Plus(100));
    // Produção learns the catalogue from material.cadastrado: the recipe is accepted once it has.
    object recipe{{"produto", produto},
                  {"versao", 1},
                  {"etapas", array{object{{"ordem", 1},
                                          {"nome", "Pesagem"},
                                          {"parametros", array{object{{"nome", "massa"},
                                                                      {"unidade", "kg"},
                                                                      {"minimo", json::Parse("99.5")},
                                                                      {"maximo", json::Parse("100.5")}}}}},
                                   object{{"ordem", 2},
                                          {"nome", "Mistura"},
                                          {"parametros", array{object{{"nome", "tempo"}, {"minimo", 10}}}}}}},
                  {"insumos", array{object{{"material", insumo}, {"quantidade_por_unidade", json::Parse("0.5")}}}}};
    ASSERT_TRUE(Eventually(
        [&] {
          auto res = Prod("/v1/receitas", recipe);
          if (res.status == 201) receita_id = Str(json::Parse(res.body), "id");
          return res.status == 201;
        },
        20s));
  }

  std::string Plus(int days) {
    auto ymd = *json::ParseDate(today);
    return json::FormatDate(std::chrono::year_month_day(std::chrono::sys_days(ymd) + std::chrono::days(days)));
  }
  http::ClientResponse Prod(const std::string& path, const boost::json::value& body, const std::string& user = "gestor",
                            std::vector<std::pair<std::string, std::string>> headers = {}) {
    return f.SendTo(f.producao, http::Method::Post, path, body, user, std::move(headers));
  }
  boost::json::value ProdGet(const std::string& path, const std::string& user = "gestor") {
    auto res = f.Call(f.producao, http::Method::Get, path, "", f.Token(user));
    if (res.status != 200) throw std::runtime_error(path + ": " + res.body);
    return json::Parse(res.body);
  }
  std::string Material(const std::string& tipo, int prazo) {
    std::string codigo = Unique(tipo == "insumo" ? "MP" : "PA");
    auto res = f.SendTo(f.estoque, http::Method::Post, "/v1/materiais",
                        object{{"codigo", codigo},
                               {"nome", tipo + " " + codigo},
                               {"tipo", tipo},
                               {"unidade", "kg"},
                               {"prazo_validade_dias", prazo},
                               {"vida_util_minima_expedicao_dias", 0}},
                        "estoquista");
    EXPECT_EQ(res.status, 201) << res.body;
    return codigo;
  }
  std::string ReceiveReleased(const std::string& material, const char* quantidade, const std::string& validade) {
    auto res = f.SendTo(f.estoque, http::Method::Post, "/v1/recebimentos",
                        object{{"material", material},
                               {"quantidade", json::Parse(quantidade)},
                               {"validade", validade},
                               {"fornecedor", "Fornecedor Alfa"},
                               {"lote_fornecedor", Unique("F")},
                               {"nota_fiscal", Unique("NF")}},
                        "estoquista");
    EXPECT_EQ(res.status, 201) << res.body;
    auto lot = json::Parse(res.body);
    f.PublishEvent(events::Event::New(
        "laudo.emitido", "cq",
        {{"laudo_id", ids::NewUuidV7()},
         {"amostra_id", ids::NewUuidV7()},
         {"lote_id", lot.at("id")},
         {"lote_codigo", lot.at("codigo")},
         {"decisao", "aprovado"},
         {"emitido_por", "Segunda Analista"},
         {"emitido_em", clock::NowRfc3339()},
         {"assinatura",
          object{{"nome", "Segunda Analista"}, {"significado", "aprovacao"}, {"em", clock::NowRfc3339()}}}}));
    const std::string id = Str(lot, "id");
    EXPECT_TRUE(Eventually([&] { return Str(StockLot(id), "status") == "liberado"; }, 20s));
    return id;
  }
  boost::json::value StockLot(const std::string& id) {
    auto res = f.Call(f.estoque, http::Method::Get, "/v1/estoque/lotes/" + id, "", f.Token("estoquista"));
    return res.status == 200 ? json::Parse(res.body) : boost::json::value(object{{"status", "ausente"}});
  }
  // A started OP of 100 units.
  std::string StartedOp() {
    auto res =
        Prod("/v1/ordens-producao", object{{"produto", produto}, {"quantidade", 100}, {"receita_id", receita_id}});
    EXPECT_EQ(res.status, 201) << res.body;
    auto op = json::Parse(res.body);
    EXPECT_EQ(Str(op, "status"), "planejada");
    EXPECT_TRUE(Str(op, "codigo").starts_with("OP-"));
    const std::string id = Str(op, "id");
    auto started = Prod("/v1/ordens-producao/" + id + "/iniciar", object{});
    EXPECT_EQ(started.status, 200) << started.body;
    return id;
  }
  http::ClientResponse Record(const std::string& op, int ordem, object parametros,
                              std::optional<std::string> motivo = std::nullopt) {
    object body{{"parametros", std::move(parametros)}, {"observacao", "ok"}};
    if (motivo) body["motivo"] = *motivo;
    return Prod("/v1/ordens-producao/" + op + "/etapas/" + std::to_string(ordem) + "/registros", body);
  }
  http::ClientResponse Consume(const std::string& op, const char* quantidade,
                               std::vector<std::pair<std::string, std::string>> headers = {}) {
    return Prod("/v1/ordens-producao/" + op + "/consumos",
                object{{"material", insumo}, {"quantidade", json::Parse(quantidade)}}, "gestor", std::move(headers));
  }
  void Desvio(const std::string& tipo, const std::string& op, const std::string& desvio) {
    object dados{{"desvio_id", desvio}, {"op_id", op}};
    if (tipo == "desvio.aberto") {
      dados["classificacao"] = "maior";
      dados["descricao"] = "Temperatura fora da faixa";
    }
    f.PublishEvent(events::Event::New(tipo, "cq", dados, {"s-analista", "analista"}));
  }
  std::string Status(const std::string& op) { return Str(ProdGet("/v1/ordens-producao/" + op), "status"); }
  // Produção's consumption intents of the OP (RULES R5): their states, oldest first.
  std::vector<std::string> IntentsOf(const std::string& op) {
    auto rows = f.DbOf(f.producao)
                    .Exec(pg::Query{"t_intents",
                                    "SELECT estado FROM consumo_intencoes WHERE op_id = $1::uuid"
                                    " ORDER BY criado_em, id"},
                          pg::Params(op));
    std::vector<std::string> out;
    for (int i = 0; i < rows.size(); ++i) out.push_back(rows[i].String(0));
    return out;
  }
  std::int64_t ProducaoCount(const char* name, const char* sql, const std::string& op) {
    return f.DbOf(f.producao).Exec(pg::Query{name, sql}, pg::Params(op)).Single().Int(0);
  }
  // What the OP recorded: consumos and their lots.
  std::int64_t RecordedConsumptionsOf(const std::string& op) {
    return ProducaoCount("t_recorded", "SELECT count(*) FROM consumos WHERE op_id = $1::uuid", op);
  }
  std::int64_t RecordedLotsOf(const std::string& op) {
    return ProducaoCount("t_recorded_lots",
                         "SELECT count(*) FROM consumo_lotes l JOIN consumos c ON c.id = l.consumo_id"
                         " WHERE c.op_id = $1::uuid",
                         op);
  }
  // insumos.consumidos events of the OP in Produção's outbox, and how many of them are sent.
  std::int64_t ConsumedEventsOf(const std::string& op) {
    return ProducaoCount("t_events",
                         "SELECT count(*) FROM outbox WHERE tipo = 'insumos.consumidos'"
                         " AND envelope::jsonb -> 'dados' ->> 'op_id' = $1",
                         op);
  }
  std::int64_t SentConsumedEventsOf(const std::string& op) {
    return ProducaoCount("t_events_sent",
                         "SELECT count(*) FROM outbox WHERE tipo = 'insumos.consumidos'"
                         " AND envelope::jsonb -> 'dados' ->> 'op_id' = $1 AND publicado_em IS NOT NULL",
                         op);
  }
  // Waits until Produção's log says it is paused at `point`.
  bool PausedAt(const std::string& point) {
    return Eventually([&] { return f.ProcessOf(f.producao).Stdout().find(point) != std::string::npos; }, 20s);
  }
  std::int64_t EstoqueConsumptionsOf(const std::string& op) {
    return f.DbOf(f.estoque)
        .Exec(pg::Query{"t_consumos", "SELECT count(*) FROM consumos WHERE op_id = $1::uuid"}, pg::Params(op))
        .Single()
        .Int(0);
  }
};

// proves: B1
TEST_F(Producao, AnOrderRunsFromPlanToConclusionAndItsLotEntersStockInQuarantine) {
  f.Drain("cq.eventos");
  const std::string op = StartedOp();
  ASSERT_EQ(Record(op, 1, object{{"massa", 100}}).status, 201);
  ASSERT_EQ(Record(op, 2, object{{"tempo", 12}}).status, 201);

  // FEFO through Estoque: the earlier expiry goes first, then the next lot.
  auto consumed = Consume(op, "70");
  ASSERT_EQ(consumed.status, 201) << consumed.body;
  auto lotes = json::Parse(consumed.body).at("lotes").as_array();
  ASSERT_EQ(lotes.size(), 2u);
  EXPECT_EQ(Str(lotes[0], "lote_id"), early_lot);
  EXPECT_EQ(Num(lotes[0], "quantidade"), Q("60"));
  EXPECT_EQ(Str(lotes[1], "lote_id"), late_lot);
  EXPECT_EQ(Num(lotes[1], "quantidade"), Q("10"));
  EXPECT_EQ(Num(StockLot(early_lot), "quantidade"), Q("0"));
  EXPECT_EQ(Num(StockLot(late_lot), "quantidade"), Q("50"));

  auto made = Prod("/v1/ordens-producao/" + op + "/lotes", object{{"quantidade", 98}, {"data_fabricacao", today}});
  ASSERT_EQ(made.status, 201) << made.body;
  auto lote = json::Parse(made.body);
  EXPECT_EQ(Str(lote, "status"), "quarentena");
  EXPECT_EQ(Str(lote, "validade"), Plus(365));
  EXPECT_EQ(Str(lote, "material"), produto);
  const std::string lote_id = Str(lote, "id");

  auto done = Prod("/v1/ordens-producao/" + op + "/concluir", object{});
  ASSERT_EQ(done.status, 200) << done.body;
  auto order = json::Parse(done.body);
  EXPECT_EQ(Str(order, "status"), "concluida");
  EXPECT_EQ(order.at("consumos").as_array().size(), 1u);
  EXPECT_EQ(order.at("lotes").as_array().size(), 1u);
  EXPECT_FALSE(order.at("etapas").at(0).at("registro").is_null());

  // The lot arrives in Estoque, in quarantine, with its balance.
  ASSERT_TRUE(Eventually([&] { return Str(StockLot(lote_id), "status") == "quarentena"; }, 20s));
  EXPECT_EQ(Num(StockLot(lote_id), "quantidade"), Q("98"));
  EXPECT_EQ(Str(StockLot(lote_id), "origem"), "producao");
  // And CQ's queue has its lote.criado (checked against the schema on publish and here).
  bool seen = false;
  ASSERT_TRUE(Eventually(
      [&] {
        for (auto& e : f.Drain("cq.eventos")) {
          if (e.tipo != "lote.criado" || Str(e.dados, "lote_id") != lote_id) continue;
          seen = true;
          EXPECT_EQ(Str(e.dados, "origem"), "producao");
          EXPECT_EQ(Str(e.dados, "op_id"), op);
          EXPECT_EQ(Str(e.dados, "data_fabricacao"), today);
          EXPECT_TRUE(events::SchemaViolations(e.ToJson()).empty());
        }
        return seen;
      },
      20s));
  // A laudo for it shows on the OP.
  f.PublishEvent(events::Event::New(
      "laudo.emitido", "cq",
      {{"laudo_id", ids::NewUuidV7()},
       {"amostra_id", ids::NewUuidV7()},
       {"lote_id", lote_id},
       {"lote_codigo", lote.at("codigo")},
       {"decisao", "aprovado"},
       {"emitido_por", "Segunda Analista"},
       {"emitido_em", clock::NowRfc3339()},
       {"assinatura",
        object{{"nome", "Segunda Analista"}, {"significado", "aprovacao"}, {"em", clock::NowRfc3339()}}}}));
  ASSERT_TRUE(Eventually(
      [&] { return Str(ProdGet("/v1/ordens-producao/" + op).at("lotes").at(0), "status") == "liberado"; }, 20s));
  // And a recall too.
  f.PublishEvent(events::Event::New(
      "lote.recolhido", "cq", {{"lote_id", lote_id}, {"lote_codigo", lote.at("codigo")}, {"motivo", "reclamação"}}));
  ASSERT_TRUE(Eventually(
      [&] { return Str(ProdGet("/v1/ordens-producao/" + op).at("lotes").at(0), "status") == "recolhido"; }, 20s));
}

// The lot lifecycle (pharmasys/domain/lote.hpp): the OP shows a reprovado lot as reprovado even
// when a laudo aprovado issued later arrives; Estoque, CQ and Relatórios apply the same rule.
// proves: B1
TEST_F(Producao, ALaterLaudoAprovadoNeverReleasesAReprovadoLotOnTheOrder) {
  const std::string op = StartedOp();
  ASSERT_EQ(Record(op, 1, object{{"massa", 100}}).status, 201);
  ASSERT_EQ(Record(op, 2, object{{"tempo", 12}}).status, 201);
  ASSERT_EQ(Consume(op, "10").status, 201);
  auto made = Prod("/v1/ordens-producao/" + op + "/lotes", object{{"quantidade", 9}, {"data_fabricacao", today}});
  ASSERT_EQ(made.status, 201) << made.body;
  auto lote = json::Parse(made.body);
  auto laudo = [&](const char* decisao, const char* em) {
    return events::Event::New(
        "laudo.emitido", "cq",
        {{"laudo_id", ids::NewUuidV7()},
         {"amostra_id", ids::NewUuidV7()},
         {"lote_id", lote.at("id")},
         {"lote_codigo", lote.at("codigo")},
         {"decisao", decisao},
         {"emitido_por", "Segunda Analista"},
         {"emitido_em", em},
         {"assinatura", object{{"nome", "Segunda Analista"}, {"significado", "reprovacao"}, {"em", em}}}});
  };
  auto lot_status = [&] { return Str(ProdGet("/v1/ordens-producao/" + op).at("lotes").at(0), "status"); };
  f.PublishEvent(laudo("reprovado", "2026-11-29T10:00:00.000Z"));
  ASSERT_TRUE(Eventually([&] { return lot_status() == "reprovado"; }, 20s));
  auto later = laudo("aprovado", "2026-11-29T11:00:00.000Z");
  f.PublishEvent(later);
  ASSERT_TRUE(Eventually(
      [&] {
        return ProducaoCount("t_processed", "SELECT count(*) FROM eventos_processados WHERE id = $1::uuid", later.id) ==
               1;
      },
      20s));
  EXPECT_EQ(lot_status(), "reprovado");
}

// proves: B3
TEST_F(Producao, AnOpenDeviationBlocksEveryActUntilTheLastOneCloses) {
  const std::string op = StartedOp();
  ASSERT_EQ(Record(op, 1, object{{"massa", 100}}).status, 201);
  const std::string d1 = ids::NewUuidV7(), d2 = ids::NewUuidV7();
  Desvio("desvio.aberto", op, d1);
  Desvio("desvio.aberto", op, d2);
  ASSERT_TRUE(
      Eventually([&] { return ProdGet("/v1/ordens-producao/" + op).at("desvios_abertos").as_int64() == 2; }, 20s));
  EXPECT_EQ(Status(op), "bloqueada");

  const auto blocked = [&](const http::ClientResponse& res) {
    return res.status == 409 && Slug(res) == "op-bloqueada";
  };
  EXPECT_TRUE(blocked(Record(op, 2, object{{"tempo", 12}})));
  EXPECT_TRUE(blocked(Consume(op, "1")));
  EXPECT_TRUE(
      blocked(Prod("/v1/ordens-producao/" + op + "/lotes", object{{"quantidade", 1}, {"data_fabricacao", today}})));
  EXPECT_TRUE(blocked(Prod("/v1/ordens-producao/" + op + "/concluir", object{})));
  EXPECT_EQ(EstoqueConsumptionsOf(op), 0);

  Desvio("desvio.encerrado", op, d1);
  ASSERT_TRUE(
      Eventually([&] { return ProdGet("/v1/ordens-producao/" + op).at("desvios_abertos").as_int64() == 1; }, 20s));
  EXPECT_EQ(Status(op), "bloqueada");
  EXPECT_TRUE(blocked(Record(op, 2, object{{"tempo", 12}})));

  Desvio("desvio.encerrado", op, d2);
  ASSERT_TRUE(Eventually([&] { return Status(op) == "em_execucao"; }, 20s));
  EXPECT_EQ(Record(op, 2, object{{"tempo", 12}}).status, 201);
  // A redelivered or late opening changes nothing.
  Desvio("desvio.aberto", op, d1);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(Status(op), "em_execucao");
}

// proves: B3
TEST_F(Producao, AClosingBeforeItsOpeningNeverBlocksTheOrder) {
  const std::string op = StartedOp();
  const std::string d = ids::NewUuidV7();
  Desvio("desvio.encerrado", op, d);
  Desvio("desvio.aberto", op, d);
  ASSERT_TRUE(Eventually(
      [&] {
        return f.DbOf(f.producao)
                   .Exec(pg::Query{"t_desvio",
                                   "SELECT count(*) FROM desvios WHERE id = $1::uuid AND status = 'encerrado'"},
                         pg::Params(d))
                   .Single()
                   .Int(0) == 1;
      },
      20s));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(Status(op), "em_execucao");
}

// proves: B8
TEST_F(Producao, StepsRunInRecipeOrderAndAnOutOfLimitValueNeedsAMotivoAndIsFlagged) {
  const std::string op = StartedOp();
  auto early = Record(op, 2, object{{"tempo", 12}});
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(Slug(early), "conflito");
  auto out = Record(op, 1, object{{"massa", json::Parse("100.6")}});
  EXPECT_EQ(out.status, 422);
  EXPECT_NE(out.body.find("motivo"), std::string::npos);
  EXPECT_EQ(Record(op, 1, object{{"peso", 100}}).status, 422);  // not a parameter of the step
  auto flagged = Record(op, 1, object{{"massa", json::Parse("100.6")}}, "balança recalibrada após a pesagem");
  ASSERT_EQ(flagged.status, 201) << flagged.body;
  EXPECT_TRUE(json::Parse(flagged.body).at("sinalizado").as_bool());
  EXPECT_EQ(Str(json::Parse(flagged.body).at("fora_dos_limites").at(0), "parametro"), "massa");
  EXPECT_EQ(Record(op, 1, object{{"massa", 100}}).status, 409);                      // once
  EXPECT_EQ(Prod("/v1/ordens-producao/" + op + "/concluir", object{}).status, 409);  // step 2 missing
  auto record = ProdGet("/v1/ordens-producao/" + op, "auditor").at("etapas").at(0).at("registro");
  EXPECT_EQ(Str(record, "motivo"), "balança recalibrada após a pesagem");
  EXPECT_EQ(Str(record, "registrado_por"), "gestor");
}

// proves: R2 R5
TEST_F(Producao, AConsumptionWithEstoqueTooSlowThenRetriedConsumesExactlyOnce) {
  const std::string op = StartedOp();
  // Estoque's allocation waits on a lock held here for 3.5 s; Produção gives it 1 s per attempt.
  std::promise<void> locked;
  auto holder = std::async(std::launch::async, [&] {
    f.DbOf(f.estoque).Transact([&](pg::Transaction& tx) {
      tx.Exec(pg::Query{"t_hold", "SELECT id FROM lotes WHERE material = $1 FOR UPDATE"}, pg::Params(insumo));
      locked.set_value();
      std::this_thread::sleep_for(3500ms);
    });
  });
  locked.get_future().wait();
  const std::string key = ids::NewUuidV7();
  const auto t0 = std::chrono::steady_clock::now();
  auto consumed = Consume(op, "5", {{"Idempotency-Key", key}});
  const auto took = std::chrono::steady_clock::now() - t0;
  holder.get();
  ASSERT_EQ(consumed.status, 201) << consumed.body;
  EXPECT_GT(took, 3s);  // it really waited out at least one timeout
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(Num(StockLot(early_lot), "quantidade"), Q("55"));
  // The client's own retry with the same key: the same answer, nothing consumed again.
  auto again = Consume(op, "5", {{"Idempotency-Key", key}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, consumed.body);
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(Num(StockLot(early_lot), "quantidade"), Q("55"));
  auto ledger = f.DbOf(f.estoque)
                    .Exec(pg::Query{"t_ledger",
                                    "SELECT count(*) FROM movimentacoes WHERE tipo = 'consumo'"
                                    " AND documento_id = $1"},
                          pg::Params(op))
                    .Single()
                    .Int(0);
  EXPECT_EQ(ledger, 1);
}

// proves: R2 R5
TEST_F(Producao, AConsumptionRetriedAfterEstoqueNeverAnsweredConsumesOnce) {
  const std::string op = StartedOp();
  // Estoque is held until Produção has given up (503, nothing recorded) — but Estoque's first
  // attempt is still waiting and commits once the lock goes. The same request again, with the
  // same key, gets that result and does not consume a second time.
  std::promise<void> locked, gave_up;
  auto holder = std::async(std::launch::async, [&] {
    f.DbOf(f.estoque).Transact([&](pg::Transaction& tx) {
      tx.Exec(pg::Query{"t_hold_long", "SELECT id FROM lotes WHERE material = $1 FOR UPDATE"}, pg::Params(insumo));
      locked.set_value();
      gave_up.get_future().wait_for(30s);
    });
  });
  locked.get_future().wait();
  const std::string key = ids::NewUuidV7();
  auto first = Consume(op, "7", {{"Idempotency-Key", key}});
  gave_up.set_value();
  holder.get();
  EXPECT_EQ(first.status, 503) << first.body;
  // The intent stays recorded (RULES R5): the retry below or the recovery task settles it.
  EXPECT_EQ(IntentsOf(op).size(), 1u);
  ASSERT_TRUE(Eventually([&] { return EstoqueConsumptionsOf(op) == 1; }, 10s));
  auto retry = Consume(op, "7", {{"Idempotency-Key", key}});
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(Num(StockLot(early_lot), "quantidade"), Q("53"));
  EXPECT_EQ(ProdGet("/v1/ordens-producao/" + op).at("consumos").as_array().size(), 1u);
}

TEST_F(Producao, EstoquesRefusalsComeBackAsTheirProblems) {
  // Estoque is a dependency Produção reports on /readyz (optional: the rest still works).
  auto ready = json::Parse(f.Call(f.producao, http::Method::Get, "/readyz", "", "").body);
  bool listed = false;
  for (const auto& d : ready.at("dependencias").as_array()) {
    if (Str(d, "nome") == "estoque") {
      listed = true;
      EXPECT_TRUE(d.at("ok").as_bool());
      EXPECT_FALSE(d.at("obrigatoria").as_bool());
    }
  }
  EXPECT_TRUE(listed);
  const std::string op = StartedOp();
  auto short_of = Consume(op, "1000");
  EXPECT_EQ(short_of.status, 409);
  EXPECT_EQ(Slug(short_of), "estoque-insuficiente");
  auto not_an_insumo =
      Prod("/v1/ordens-producao/" + op + "/consumos", object{{"material", produto}, {"quantidade", 1}});
  EXPECT_EQ(not_an_insumo.status, 422);
  EXPECT_EQ(EstoqueConsumptionsOf(op), 0);
}

TEST_F(Producao, RecipesAreImmutableVersionsAndOrdersFollowTheirLifecycle) {
  auto dup =
      Prod("/v1/receitas", object{{"produto", produto},
                                  {"versao", 1},
                                  {"etapas", array{object{{"ordem", 1}, {"nome", "x"}, {"parametros", array{}}}}},
                                  {"insumos", array{object{{"material", insumo}, {"quantidade_por_unidade", 1}}}}});
  EXPECT_EQ(dup.status, 409);
  auto gap =
      Prod("/v1/receitas", object{{"produto", produto},
                                  {"versao", 2},
                                  {"etapas", array{object{{"ordem", 2}, {"nome", "x"}, {"parametros", array{}}}}},
                                  {"insumos", array{object{{"material", insumo}, {"quantidade_por_unidade", 1}}}}});
  EXPECT_EQ(gap.status, 422);
  EXPECT_EQ(f.Call(f.producao, http::Method::Get, "/v1/receitas/" + receita_id, "", f.Token("estoquista")).status, 403);
  EXPECT_EQ(Str(ProdGet("/v1/receitas/" + receita_id, "analista"), "produto"), produto);

  auto planned =
      Prod("/v1/ordens-producao", object{{"produto", produto}, {"quantidade", 10}, {"receita_id", receita_id}});
  ASSERT_EQ(planned.status, 201);
  const std::string op = Str(json::Parse(planned.body), "id");
  EXPECT_EQ(Record(op, 1, object{{"massa", 100}}).status, 409);                      // not started
  EXPECT_EQ(Prod("/v1/ordens-producao/" + op + "/cancelar", object{}).status, 422);  // motivo
  auto cancelled = Prod("/v1/ordens-producao/" + op + "/cancelar", object{{"motivo", "pedido do cliente retirado"}});
  ASSERT_EQ(cancelled.status, 200);
  EXPECT_EQ(Str(json::Parse(cancelled.body), "status"), "cancelada");
  EXPECT_EQ(Prod("/v1/ordens-producao/" + op + "/iniciar", object{}).status, 409);
  EXPECT_EQ(
      Prod("/v1/ordens-producao", object{{"produto", insumo}, {"quantidade", 1}, {"receita_id", receita_id}}, "gestor")
          .status,
      422);
  EXPECT_EQ(Prod("/v1/ordens-producao", object{{"produto", produto}, {"quantidade", 1}, {"receita_id", receita_id}},
                 "analista")
                .status,
            403);
  auto listed = ProdGet("/v1/ordens-producao?status=cancelada&produto=" + produto, "estoquista");
  ASSERT_EQ(listed.at("items").as_array().size(), 1u);
  EXPECT_EQ(Str(listed.at("items").at(0), "motivo_cancelamento"), "pedido do cliente retirado");
}

TEST_F(Producao, RecipesAndOrdersListNewestFirstAcrossPages) {
  std::vector<std::string> receitas{receita_id};
  for (int versao : {2, 3}) {
    auto res = Prod("/v1/receitas",
                    object{{"produto", produto},
                           {"versao", versao},
                           {"etapas", array{object{{"ordem", 1}, {"nome", "Pesagem"}, {"parametros", array{}}}}},
                           {"insumos", array{object{{"material", insumo}, {"quantidade_por_unidade", 1}}}}});
    ASSERT_EQ(res.status, 201) << res.body;
    receitas.push_back(Str(json::Parse(res.body), "id"));
  }
  std::vector<std::string> ordens;
  for (int quantidade : {10, 20, 30}) {
    auto res = Prod("/v1/ordens-producao",
                    object{{"produto", produto}, {"quantidade", quantidade}, {"receita_id", receita_id}});
    ASSERT_EQ(res.status, 201) << res.body;
    ordens.push_back(Str(json::Parse(res.body), "id"));
  }
  auto get = [&](const std::string& target) { return ProdGet(target, "analista"); };
  ExpectNewestFirst(get, "/v1/receitas?produto=" + produto, receitas);
  ExpectNewestFirst(get, "/v1/ordens-producao?produto=" + produto, ordens);
  ExpectNewestFirst(get, "/v1/ordens-producao", ordens);
  for (const char* path : {"/v1/receitas?ordem=nova", "/v1/ordens-producao?ordem=Desc"}) {
    ExpectOrdemRefused(f.Call(f.producao, http::Method::Get, path, "", f.Token("analista")));
  }
}

// RULES.md R1 across the service boundary: Produção is killed with -9 while it waits for
// Estoque's answer to a consumption. Estoque still commits it. The client retries with its key
// against the restarted Produção, which asks Estoque again with the same derived key and gets
// the first allocation back: the stock is taken once and the OP records it once.
// proves: R1 R2 R5
TEST_F(Producao, AKill9WhileEstoqueAnswersConsumesOnceWhenTheClientRetries) {
  const std::string op = StartedOp();
  std::promise<void> locked, killed;
  auto holder = std::async(std::launch::async, [&] {
    f.DbOf(f.estoque).Transact([&](pg::Transaction& tx) {
      tx.Exec(pg::Query{"t_hold_kill", "SELECT id FROM lotes WHERE material = $1 FOR UPDATE"}, pg::Params(insumo));
      locked.set_value();
      killed.get_future().wait_for(30s);
    });
  });
  locked.get_future().wait();
  const std::string key = ids::NewUuidV7();
  auto first = std::async(std::launch::async, [&] {
    try {
      return Consume(op, "9", {{"Idempotency-Key", key}}).status;
    } catch (const std::exception&) {
      return 0;  // the connection died with Produção
    }
  });
  // Produção is inside its call to Estoque (which waits on the lock) when it dies. Another
  // role's queries show only to a superuser: Estoque runs as its runtime role.
  pg::Pool observer(pg::PoolOptions{.conninfo = f.DatabaseOf(f.estoque).superuser_url(), .max_size = 1});
  ASSERT_TRUE(Eventually(
      [&] {
        return observer
                   .Exec(pg::Query{"t_waiting",
                                   "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                   " AND query LIKE '%disponivel > 0%FOR UPDATE%'"})
                   .Single()
                   .Int(0) >= 1;
      },
      10s));
  f.Kill(f.producao);
  killed.set_value();
  holder.get();
  EXPECT_NE(first.get(), 201);
  ASSERT_TRUE(Eventually([&] { return EstoqueConsumptionsOf(op) == 1; }, 20s));  // Estoque finished it anyway
  f.Restart(f.producao);
  http::ClientResponse retry;
  ASSERT_TRUE(Eventually(
      [&] {
        try {
          retry = Consume(op, "9", {{"Idempotency-Key", key}});
        } catch (const std::exception&) {
          return false;
        }
        return retry.status == 201;
      },
      20s))
      << retry.status << " " << retry.body;
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(Num(StockLot(early_lot), "quantidade"), Q("51"));
  EXPECT_EQ(ProdGet("/v1/ordens-producao/" + op).at("consumos").as_array().size(), 1u);
}

// API.md Estoque: a person consumes through the OP, never at Estoque directly; the OP's own
// consumption, made with Produção's service client, works.
TEST_F(Producao, AManagerConsumesThroughTheOrderAndNotAtEstoqueDirectly) {
  const std::string op = StartedOp();
  auto direct = f.SendTo(f.estoque, http::Method::Post, "/v1/estoque/consumos",
                         object{{"op_id", op}, {"material", insumo}, {"quantidade", 1}}, "gestor");
  EXPECT_EQ(direct.status, 403) << direct.body;
  EXPECT_EQ(EstoqueConsumptionsOf(op), 0);
  auto through_the_order = Consume(op, "1");
  ASSERT_EQ(through_the_order.status, 201) << through_the_order.body;
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(ProdGet("/v1/ordens-producao/" + op).at("consumos").as_array().size(), 1u);
}

// RULES.md B9: order and lot counters that outgrow their zero padding grow a digit, and the
// longer lot code is accepted downstream (Estoque books the lot).
// proves: B9
TEST_F(Producao, OrderAndLotCodesGrowADigitPastTheirPadding) {
  auto& database = f.DatabaseOf(f.producao);
  database.Superuser("SELECT setval('ordem_producao_seq', 999998)");
  database.Superuser("SELECT setval('lote_producao_seq', 99998)");
  const std::string first = StartedOp(), second = StartedOp();
  auto code = [&](const std::string& op) { return Str(ProdGet("/v1/ordens-producao/" + op), "codigo"); };
  EXPECT_TRUE(code(first).ends_with("-999999")) << code(first);
  EXPECT_TRUE(code(second).ends_with("-1000000")) << code(second);
  EXPECT_EQ(code(second).size(), code(first).size() + 1);

  std::vector<boost::json::value> lots;
  for (int i = 0; i < 2; ++i) {
    auto made = Prod("/v1/ordens-producao/" + first + "/lotes", object{{"quantidade", 10}, {"data_fabricacao", today}});
    ASSERT_EQ(made.status, 201) << made.body;
    lots.push_back(json::Parse(made.body));
  }
  const std::string short_code = Str(lots[0], "codigo"), long_code = Str(lots[1], "codigo");
  EXPECT_TRUE(short_code.ends_with("-99999")) << short_code;
  EXPECT_TRUE(long_code.ends_with("-100000")) << long_code;
  EXPECT_EQ(long_code.size(), short_code.size() + 1);
  ASSERT_TRUE(Eventually([&] { return Str(StockLot(Str(lots[1], "id")), "status") == "quarentena"; }, 20s));
  EXPECT_EQ(Str(StockLot(Str(lots[1], "id")), "codigo"), long_code);
}

// RULES R5: the consumption is an intent committed before Estoque is asked. While Estoque
// works on it Produção holds no transaction and no lock on the OP: a step is recorded on the
// same OP meanwhile. Afterwards the intent is concluida, the OP records the allocation once,
// one insumos.consumidos is published, and Estoque saw the key derived from the intent, kept
// per client (Produção's) and key.
// proves: R5
TEST_F(Producao, AConsumptionIsAnIntentSettledAfterEstoqueAnswersWithNothingHeldMeanwhile) {
  const std::string op = StartedOp();
  std::promise<void> locked, release;
  auto holder = std::async(std::launch::async, [&] {
    f.DbOf(f.estoque).Transact([&](pg::Transaction& tx) {
      tx.Exec(pg::Query{"t_hold_r5", "SELECT id FROM lotes WHERE material = $1 FOR UPDATE"}, pg::Params(insumo));
      locked.set_value();
      release.get_future().wait_for(30s);
    });
  });
  locked.get_future().wait();
  const std::string key = ids::NewUuidV7();
  auto consumed = std::async(std::launch::async, [&] { return Consume(op, "4", {{"Idempotency-Key", key}}); });
  ASSERT_TRUE(Eventually([&] { return IntentsOf(op) == std::vector<std::string>{"pendente"}; }, 10s));
  // A transaction held across the call would sit idle in transaction while Estoque is held;
  // the background tasks' own transactions pass through that state only for an instant.
  std::this_thread::sleep_for(1s);
  pg::Pool observer(pg::PoolOptions{.conninfo = f.DatabaseOf(f.producao).superuser_url(), .max_size = 1});
  EXPECT_EQ(observer
                .Exec(pg::Query{"t_idle_tx",
                                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                " AND state LIKE 'idle in transaction%' AND now() - state_change > interval '500 ms'"})
                .Single()
                .Int(0),
            0);
  auto recorded = Record(op, 1, object{{"massa", 100}});  // the OP's row is free
  EXPECT_EQ(recorded.status, 201) << recorded.body;
  release.set_value();
  holder.get();
  auto answer = consumed.get();
  ASSERT_EQ(answer.status, 201) << answer.body;
  const auto body = json::Parse(answer.body);
  const std::string consumo_id = Str(body, "consumo_id");
  ASSERT_EQ(body.at("lotes").as_array().size(), 1u);
  EXPECT_EQ(Str(body.at("lotes").at(0), "lote_id"), early_lot);
  EXPECT_EQ(IntentsOf(op), std::vector<std::string>{"concluida"});
  EXPECT_EQ(RecordedConsumptionsOf(op), 1);
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(Num(StockLot(early_lot), "quantidade"), Q("56"));
  EXPECT_EQ(ConsumedEventsOf(op), 1);
  EXPECT_TRUE(Eventually([&] { return SentConsumedEventsOf(op) == 1; }, 10s));
  EXPECT_EQ(f.DbOf(f.estoque)
                .Exec(pg::Query{"t_estoque_key", "SELECT count(*) FROM idempotencia WHERE chave = $1"},
                      pg::Params("producao-consumo-" + consumo_id))
                .Single()
                .Int(0),
            1);
  // The client's own key on Produção's endpoint: the same answer, replayed.
  auto again = Consume(op, "4", {{"Idempotency-Key", key}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, answer.body);
  EXPECT_EQ(again.headers.GetOr("Idempotent-Replayed", ""), "true");
  auto other = Consume(op, "5", {{"Idempotency-Key", key}});
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(Slug(other), "idempotency-key-reutilizada");
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(ProducaoCount("t_audit_r5",
                          "SELECT count(*) FROM auditoria_registro WHERE entidade_id = $1"
                          " AND acao IN ('consumo.solicitado', 'insumos.consumidos')",
                          op),
            2);
}

// RULES R5: Estoque's definitive refusal ends the intent recusada with the reason; the client
// gets Estoque's problem, and again on a retry with the same key, without asking Estoque.
// proves: R5
TEST_F(Producao, AnIntentRefusedByEstoqueEndsRecusadaWithItsProblem) {
  const std::string op = StartedOp();
  const std::string key = ids::NewUuidV7();
  auto refused = Consume(op, "500", {{"Idempotency-Key", key}});
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(Slug(refused), "estoque-insuficiente");
  EXPECT_EQ(IntentsOf(op), std::vector<std::string>{"recusada"});
  EXPECT_EQ(ProducaoCount("t_refusal",
                          "SELECT count(*) FROM consumo_intencoes WHERE op_id = $1::uuid"
                          " AND recusa_status = 409 AND recusa_tipo = 'estoque-insuficiente'",
                          op),
            1);
  auto again = Consume(op, "500", {{"Idempotency-Key", key}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Slug(again), "estoque-insuficiente");
  EXPECT_EQ(IntentsOf(op), std::vector<std::string>{"recusada"});
  EXPECT_EQ(RecordedConsumptionsOf(op), 0);
  EXPECT_EQ(EstoqueConsumptionsOf(op), 0);
  EXPECT_EQ(ConsumedEventsOf(op), 0);
  EXPECT_EQ(Num(StockLot(early_lot), "quantidade"), Q("60"));
}

// RULES R5: Estoque is down during the call. The client gets 503 and the intent stays
// pendente; meanwhile the OP cannot be concluded or cancelled under it. Estoque comes back and
// the recovery task completes the intent: the allocation is recorded and the event published,
// each once.
// proves: R5
TEST_F(Producao, AnIntentLeftPendingWhileEstoqueIsDownIsCompletedByTheRecoveryTask) {
  const std::string op = StartedOp();
  f.Kill(f.estoque);
  auto first = Consume(op, "3");
  EXPECT_EQ(first.status, 503) << first.body;
  EXPECT_EQ(IntentsOf(op), std::vector<std::string>{"pendente"});
  EXPECT_EQ(RecordedConsumptionsOf(op), 0);
  auto cancel = Prod("/v1/ordens-producao/" + op + "/cancelar", object{{"motivo", "teste de consumo pendente"}});
  EXPECT_EQ(cancel.status, 409) << cancel.body;
  EXPECT_EQ(Slug(cancel), "conflito");
  f.Restart(f.estoque);
  ASSERT_TRUE(Eventually([&] { return IntentsOf(op) == std::vector<std::string>{"concluida"}; }, 30s));
  EXPECT_EQ(RecordedConsumptionsOf(op), 1);
  EXPECT_EQ(RecordedLotsOf(op), 1);
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(Num(StockLot(early_lot), "quantidade"), Q("57"));
  EXPECT_TRUE(Eventually([&] { return SentConsumedEventsOf(op) == 1; }, 10s));
  EXPECT_EQ(ConsumedEventsOf(op), 1);
  // Relatórios' queue received it once.
  int received = 0;
  for (const auto& e : f.Drain("relatorios.eventos")) {
    if (e.tipo == "insumos.consumidos" && e.dados.at("op_id").as_string() == op) ++received;
  }
  EXPECT_EQ(received, 1);
  // Settled, and the recovery task's later rounds change nothing.
  std::this_thread::sleep_for(5s);
  EXPECT_EQ(RecordedConsumptionsOf(op), 1);
  EXPECT_EQ(ConsumedEventsOf(op), 1);
  EXPECT_EQ(Str(ProdGet("/v1/ordens-producao/" + op), "status"), "em_execucao");
}

// Without the OP's row lock across the call, two consumptions on one OP at once are still
// serial where it matters: Estoque allocates them one after the other (70 + 70 of 120 kg: one
// is taken, the other refused), and each intent ends once.
// proves: R5
TEST_F(Producao, TwoConsumptionsAtOnceOnOneOrderAreAllocatedOneAfterTheOther) {
  const std::string op = StartedOp();
  auto a = std::async(std::launch::async, [&] { return Consume(op, "70"); });
  auto b = std::async(std::launch::async, [&] { return Consume(op, "70"); });
  std::vector<int> statuses{a.get().status, b.get().status};
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<int>{201, 409}));
  auto states = IntentsOf(op);
  std::sort(states.begin(), states.end());
  EXPECT_EQ(states, (std::vector<std::string>{"concluida", "recusada"}));
  EXPECT_EQ(RecordedConsumptionsOf(op), 1);
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(Num(StockLot(late_lot), "quantidade"), Q("50"));  // 60 from the early lot, 10 from this one
  EXPECT_EQ(ConsumedEventsOf(op), 1);
}

// RULES R1/R5: kill -9 of Produção at each step of a consumption, then a restart. Either way
// the intent ends concluida, with the allocation recorded once, the stock taken once and one
// insumos.consumidos; the client's retry with its key gets that allocation.
class ProducaoKilled : public Producao, public ::testing::WithParamInterface<const char*> {};

// proves: R1 R5
TEST_P(ProducaoKilled, AtEachStepOfAConsumptionTheIntentEndsConcluidaOnce) {
  const std::string point = GetParam();
  const std::string op = StartedOp();
  const std::string key = ids::NewUuidV7();
  f.PauseAt(point);
  auto first = std::async(std::launch::async, [&] {
    try {
      return Consume(op, "6", {{"Idempotency-Key", key}}).status;
    } catch (const std::exception&) {
      return 0;  // the connection died with Produção
    }
  });
  const bool paused = PausedAt(point);
  f.Kill(f.producao);
  f.Resume();
  EXPECT_NE(first.get(), 201);
  ASSERT_TRUE(paused) << f.ProcessOf(f.producao).Stdout();
  EXPECT_EQ(IntentsOf(op), std::vector<std::string>{"pendente"});
  EXPECT_EQ(RecordedConsumptionsOf(op), 0);
  EXPECT_EQ(EstoqueConsumptionsOf(op), point == "consumo.estoque-respondeu" ? 1 : 0);
  f.Restart(f.producao);
  ASSERT_TRUE(Eventually([&] { return IntentsOf(op) == std::vector<std::string>{"concluida"}; }, 30s));
  EXPECT_EQ(RecordedConsumptionsOf(op), 1);
  EXPECT_EQ(RecordedLotsOf(op), 1);
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(Num(StockLot(early_lot), "quantidade"), Q("54"));
  EXPECT_EQ(ConsumedEventsOf(op), 1);
  auto retry = Consume(op, "6", {{"Idempotency-Key", key}});
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(json::Parse(retry.body).at("lotes").as_array().size(), 1u);
  EXPECT_EQ(EstoqueConsumptionsOf(op), 1);
  EXPECT_EQ(RecordedConsumptionsOf(op), 1);
  EXPECT_EQ(ConsumedEventsOf(op), 1);
  EXPECT_EQ(ProdGet("/v1/ordens-producao/" + op).at("consumos").as_array().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Producao, ProducaoKilled,
                         ::testing::Values("consumo.intencao-registrada", "consumo.estoque-respondeu"),
                         [](const auto& point_info) {
                           return std::string(point_info.param) == "consumo.intencao-registrada"
                                      ? "AfterTheIntentCommit"
                                      : "AfterEstoquesCommit";
                         });

}  // namespace
}  // namespace pharmasys
