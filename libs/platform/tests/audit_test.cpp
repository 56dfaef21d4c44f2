#include "pharmasys/audit/audit.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <random>
#include <thread>

#include "pg_support.hpp"
#include "pharmasys/audit/sealer.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/metrics/metrics.hpp"
#include "pharmasys/pg/migrations.hpp"

namespace pharmasys::audit {
namespace {

using namespace std::chrono_literals;

constexpr pg::Query kSequences{"seqs", "SELECT min(sequencia), max(sequencia), count(*) FROM auditoria"};
constexpr pg::Query kAuditEvents{"audit_events", "SELECT count(*) FROM outbox WHERE tipo = 'auditoria.registrada'"};

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetServiceName("estoque");
    pool_ = std::make_unique<pg::Pool>(pg::PoolOptions{.conninfo = db_.url(), .max_size = 16});
    pg::Migrate(*pool_, pg::PlatformMigrations(), "plataforma");
  }

  void Change(const std::string& id, bool commit = true) {
    try {
      pool_->Transact([&](pg::Transaction& tx) {
        Audit(tx, Actor{"sub-1", "estoquista", "Ana Estoquista", "req-" + id},
              Record{.acao = "lote.status_alterado",
                     .entidade = "lote",
                     .entidade_id = id,
                     .antes = {{"status", "quarentena"}},
                     .depois = {{"status", "liberado"}},
                     .motivo = "laudo aprovado"});
        if (!commit) throw Conflict("rolled back");
      });
    } catch (const Conflict&) {
    }
  }

  void SealAll() {
    Sealer sealer(*pool_);
    while (sealer.SealOnce() > 0) {
    }
  }

  testing::TestDatabase db_;
  std::unique_ptr<pg::Pool> pool_;
};

// proves: A1 A2
TEST_F(AuditTest, CommittedRecordsAreSealedIntoAGapFreeValidChain) {
  for (int i = 0; i < 25; ++i) Change("L-" + std::to_string(i));
  Change("L-rolled-back", false);
  SealAll();
  auto seq = pool_->Exec(kSequences).Single();
  EXPECT_EQ(seq.Int(0), 1);
  EXPECT_EQ(seq.Int(1), 25);
  EXPECT_EQ(seq.Int(2), 25);  // the rolled-back change left no record
  auto report = VerifyChain(*pool_);
  EXPECT_TRUE(report.integra) << report.motivo;
  EXPECT_EQ(report.registros, 25);
  EXPECT_EQ(report.pendentes, 0);
  EXPECT_EQ(pool_->Exec(kAuditEvents).Single().Int(0), 25);  // A4: each one goes to Relatórios
}

// proves: A1
TEST_F(AuditTest, ARecordCarriesEveryFieldOfA1) {
  Change("L-fields");
  SealAll();
  auto records = SealedRecords(*pool_, 0, 10);
  ASSERT_EQ(records.size(), 1u);
  const auto& r = records[0];
  for (auto field : {"id", "servico", "sequencia", "ocorrido_em", "usuario", "acao", "entidade", "entidade_id", "antes",
                     "depois", "motivo", "assinatura", "request_id", "hash_anterior", "hash"}) {
    EXPECT_TRUE(r.contains(field)) << field;
  }
  EXPECT_EQ(r.at("servico").as_string(), "estoque");
  EXPECT_EQ(r.at("usuario").at("username").as_string(), "estoquista");
  EXPECT_EQ(r.at("usuario").at("nome").as_string(), "Ana Estoquista");
  EXPECT_EQ(r.at("antes").at("status").as_string(), "quarentena");
  EXPECT_EQ(r.at("depois").at("status").as_string(), "liberado");
  EXPECT_EQ(r.at("motivo").as_string(), "laudo aprovado");
  EXPECT_EQ(r.at("request_id").as_string(), "req-L-fields");
  EXPECT_EQ(r.at("hash_anterior").as_string(), std::string(64, '0'));
  EXPECT_EQ(r.at("hash").as_string().size(), 64u);
}

// proves: A1 A2
TEST_F(AuditTest, ConcurrentWritersStillMakeOneGapFreeChain) {
  Sealer sealer(*pool_, 20ms);
  sealer.Start();
  std::vector<std::future<void>> writers;
  for (int t = 0; t < 8; ++t) {
    writers.push_back(std::async(std::launch::async, [this, t] {
      for (int i = 0; i < 25; ++i) Change("T" + std::to_string(t) + "-" + std::to_string(i));
    }));
  }
  for (auto& w : writers) w.get();
  sealer.Stop();
  SealAll();
  auto seq = pool_->Exec(kSequences).Single();
  EXPECT_EQ(seq.Int(1), 200);
  EXPECT_EQ(seq.Int(2), 200);
  auto report = VerifyChain(*pool_);
  EXPECT_TRUE(report.integra) << report.motivo;
  EXPECT_EQ(report.registros, 200);
}

// Woken by a commit, the sealer waits for more: records committed one by one in that moment are
// sealed by one transaction (one disk flush), not one each.
TEST_F(AuditTest, RecordsCommittedTogetherAreSealedInOneTransaction) {
  constexpr pg::Query kSealTransactions{"seal_transactions",
                                        "SELECT count(*), count(DISTINCT xmin::text) FROM auditoria"};
  Sealer sealer(*pool_, 10s);
  sealer.GatherFor(1500ms);
  sealer.Start();
  for (int i = 0; i < 5; ++i) Change("G-" + std::to_string(i));
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (pool_->Exec(kSealTransactions).Single().Int(0) < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  sealer.Stop();
  auto sealed = pool_->Exec(kSealTransactions).Single();
  EXPECT_EQ(sealed.Int(0), 5);
  EXPECT_EQ(sealed.Int(1), 1);  // one seal transaction for the five
  auto report = VerifyChain(*pool_);
  EXPECT_TRUE(report.integra) << report.motivo;
}

// proves: A2
TEST_F(AuditTest, TheServiceItsOwnRoleCannotUpdateDeleteOrTruncate) {
  Change("L-1");
  SealAll();
  // db_.url() is the owner role, which gave these rights up too (the runtime role the service
  // runs as never had them: ServiceBinary.TheRuntimeRoleCannotAlterDropTruncateOrDisableTheTrail).
  for (const char* sql : {"UPDATE auditoria_registro SET motivo = 'x'", "DELETE FROM auditoria_registro",
                          "TRUNCATE auditoria_registro CASCADE", "UPDATE auditoria SET hash = 'x'",
                          "DELETE FROM auditoria", "TRUNCATE auditoria"}) {
    try {
      pool_->Transact([&](pg::Transaction& tx) { tx.connection().ExecSimple(sql); });
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const pg::SqlError& e) {
      EXPECT_EQ(e.sqlstate(), "42501") << sql << ": " << e.what();
    }
  }
  // The trigger holds even where privileges do not: a superuser is refused too.
  EXPECT_THROW(db_.Superuser("UPDATE auditoria_registro SET motivo = 'x'"), pg::SqlError);
  EXPECT_THROW(db_.Superuser("DELETE FROM auditoria"), pg::SqlError);
  EXPECT_TRUE(VerifyChain(*pool_).integra);
}

// proves: A3
TEST_F(AuditTest, ADirectEditIsFoundByVerification) {
  for (int i = 0; i < 10; ++i) Change("L-" + std::to_string(i));
  SealAll();
  ASSERT_TRUE(VerifyChain(*pool_).integra);
  // An intruder with superuser rights switches the guard off and rewrites record 4.
  db_.Superuser(
      "ALTER TABLE auditoria_registro DISABLE TRIGGER auditoria_registro_imutavel;"
      "UPDATE auditoria_registro SET motivo = 'outro motivo' WHERE id = (SELECT registro_id FROM auditoria WHERE "
      "sequencia = 4);"
      "ALTER TABLE auditoria_registro ENABLE TRIGGER auditoria_registro_imutavel;");
  auto report = VerifyChain(*pool_);
  EXPECT_FALSE(report.integra);
  ASSERT_TRUE(report.primeiro_registro_invalido);
  EXPECT_EQ(*report.primeiro_registro_invalido, 4);
}

// proves: A3
TEST_F(AuditTest, ADeletedSealIsFoundByVerification) {
  for (int i = 0; i < 6; ++i) Change("L-" + std::to_string(i));
  SealAll();
  db_.Superuser(
      "ALTER TABLE auditoria DISABLE TRIGGER auditoria_imutavel;"
      "DELETE FROM auditoria WHERE sequencia = 3;"
      "ALTER TABLE auditoria ENABLE TRIGGER auditoria_imutavel;");
  auto report = VerifyChain(*pool_);
  EXPECT_FALSE(report.integra);
  EXPECT_EQ(report.primeiro_registro_invalido.value_or(0), 3);
}

// ---- RULES.md A6: the trail never stalls ----------------------------------------------------

constexpr pg::Query kOutboxAudit{"outbox_audit", "SELECT envelope FROM outbox WHERE tipo = 'auditoria.registrada'"};
constexpr pg::Query kUnpublishedCount{"unpublished", "SELECT count(*) FROM auditoria_nao_publicada"};

// Every auditoria.registrada in the outbox passes its schema; returns how many there are.
std::int64_t ValidAuditEvents(pg::Pool& pool) {
  auto rows = pool.Exec(kOutboxAudit);
  for (int i = 0; i < rows.size(); ++i) {
    auto violations = events::SchemaViolations(json::Parse(rows[i].Text(0)));
    EXPECT_TRUE(violations.empty()) << violations.front();
  }
  return rows.size();
}

// proves: A6
TEST(NormalizeText, MakesValidBoundedUtf8) {
  EXPECT_EQ(NormalizeText("Fábrica", 100), "Fábrica");
  EXPECT_EQ(NormalizeText(std::string("a\0b", 3), 100),
            "a\xEF\xBF\xBD"
            "b");                                                                         // NUL
  EXPECT_EQ(NormalizeText("a\xC3(b", 100), "a\xEF\xBF\xBD(b");                            // a cut sequence
  EXPECT_EQ(NormalizeText("\xC0\xAF", 100), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
  EXPECT_EQ(NormalizeText("\xED\xA0\x80", 100), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(NormalizeText("\xF4\x90\x80\x80", 100).find("\xF4"), std::string::npos);      // past U+10FFFF
  EXPECT_EQ(NormalizeText("abcdef", 6), "abcdef");
  EXPECT_EQ(NormalizeText("abcdefg", 6), "abcde\xE2\x80\xA6");  // cut, and it says so
  EXPECT_EQ(NormalizeText("ááááááá", 3), "áá\xE2\x80\xA6");     // characters, not bytes
  EXPECT_EQ(NormalizeText("", 10), "");
}

// proves: A6 A4
TEST_F(AuditTest, HostileValuesStillMakeValidRecordsThatAreSealedAndPublished) {
  const std::string huge(5000, 'u');
  const std::string nul("ad\0min", 6);
  const std::string invalid = "\xFF\xFEusu\xC3\x28rio";
  const std::vector<std::pair<Actor, Record>> hostile{
      {Actor{"", "", "", ""}, Record{.acao = "cliente.falha", .entidade = "cliente", .entidade_id = ""}},
      {Actor{"", huge, huge, huge}, Record{.acao = "login.falha", .entidade = "usuario", .entidade_id = huge}},
      {Actor{"", nul, nul, ""}, Record{.acao = "login.falha", .entidade = "usuario", .entidade_id = nul}},
      {Actor{"", invalid, invalid, invalid},
       Record{.acao = "login.falha",
              .entidade = "usuario",
              .entidade_id = invalid,
              .depois = {{invalid, invalid}, {"lista", boost::json::array{nul, huge}}},
              .motivo = std::string(20000, 'm')}},
      {Actor{"s", "u", "n", "r"}, Record{.acao = "", .entidade = "", .entidade_id = ""}},
  };
  for (const auto& [actor, record] : hostile) {
    pool_->Transact([&](pg::Transaction& tx) { Audit(tx, actor, record); });
  }
  Change("L-after");  // the record behind them
  SealAll();
  auto report = VerifyChain(*pool_);
  EXPECT_TRUE(report.integra) << report.motivo;
  EXPECT_EQ(report.registros, static_cast<std::int64_t>(hostile.size()) + 1);
  EXPECT_EQ(report.pendentes, 0);
  EXPECT_EQ(report.nao_publicados, 0);
  EXPECT_EQ(ValidAuditEvents(*pool_), static_cast<std::int64_t>(hostile.size()) + 1);
  auto records = SealedRecords(*pool_, 0, 10);
  EXPECT_EQ(records[0].at("entidade_id").as_string(), "(vazio)");
  EXPECT_EQ(records[1].at("entidade_id").as_string().size(), kMaxIdChars - 1 + 3);  // 199 × 'u' and "…"
  EXPECT_EQ(records[4].at("acao").as_string(), "(vazio)");
}

// proves: A6
TEST_F(AuditTest, RandomBytesInEveryFieldNeverStallTheChain) {
  std::mt19937 random(20261201);
  auto bytes = [&](std::size_t max) {
    std::string out(random() % (max + 1), '\0');
    for (auto& c : out) c = static_cast<char>(random() % 256);
    return out;
  };
  constexpr int kRecords = 300;
  for (int i = 0; i < kRecords; ++i) {
    Actor actor{bytes(300), bytes(300), bytes(300), bytes(300)};
    Record record{.acao = bytes(150),
                  .entidade = bytes(150),
                  .entidade_id = bytes(300),
                  .antes = {{bytes(20), bytes(100)}},
                  .depois = {{bytes(20), bytes(5000)}}};
    if (i % 2) record.motivo = bytes(5000);
    if (i % 3 == 0) record.assinatura = Signature{bytes(300), bytes(300), "2026-12-01T10:00:00.000Z"};
    pool_->Transact([&](pg::Transaction& tx) { Audit(tx, actor, record); });
  }
  SealAll();
  auto report = VerifyChain(*pool_);
  EXPECT_TRUE(report.integra) << report.motivo;
  EXPECT_EQ(report.registros, kRecords);
  EXPECT_EQ(report.pendentes, 0);
  EXPECT_EQ(report.nao_publicados, 0);
  EXPECT_EQ(ValidAuditEvents(*pool_), kRecords);
}

// proves: A6
TEST_F(AuditTest, ARecordThatCannotBePublishedIsSealedKeptAndCountedWithoutHoldingTheChain) {
  Change("L-1");
  // Written past the writer (an older version, a hand-made INSERT): it breaks the event schema.
  db_.Superuser(
      "INSERT INTO auditoria_registro (id, servico, ocorrido_em, usuario, acao, entidade, entidade_id)"
      " VALUES ('" +
      ids::NewUuidV7() +
      "', 'estoque', '2026-12-01T10:00:00.000Z', 'não é JSON', 'x', 'y', '');"
      "INSERT INTO auditoria_pendente SELECT id, ordem FROM auditoria_registro WHERE entidade_id = ''");
  Change("L-2");
  Change("L-3");
  SealAll();
  auto report = VerifyChain(*pool_);
  EXPECT_TRUE(report.integra) << report.motivo;  // sealed into the chain like any other
  EXPECT_EQ(report.registros, 4);
  EXPECT_EQ(report.pendentes, 0);
  EXPECT_EQ(report.nao_publicados, 1);
  EXPECT_EQ(pool_->Exec(kUnpublishedCount).Single().Int(0), 1);
  EXPECT_EQ(ValidAuditEvents(*pool_), 3);  // the ones behind it were published
  auto text = metrics::Registry::Global().Render();
  EXPECT_NE(text.find("audit_records_unpublished 1"), std::string::npos) << text;
  // Still unpublishable: it stays kept.
  Sealer sealer(*pool_);
  EXPECT_EQ(sealer.RepublishOnce(), 0u);
  EXPECT_EQ(pool_->Exec(kUnpublishedCount).Single().Int(0), 1);
}

// ---- RULES.md A8: checkpoints -----------------------------------------------------------------

// proves: A8
TEST_F(AuditTest, TheSealerSignsTheHeadOnceItMovesWithAKeyOutsideTheDatabase) {
  const std::string dir = "/tmp/pharmasys-test-keys/" + db_.name() + "-unit";
  auto key = NewSigningKey(dir);
  EXPECT_EQ(
      std::filesystem::status(dir + "/" + key.chave_id + ".key").permissions() & std::filesystem::perms::group_all,
      std::filesystem::perms::none);
  Sealer sealer(*pool_);
  sealer.UseCheckpoints(std::make_shared<CheckpointSigner>(dir), 0ms);
  EXPECT_FALSE(sealer.CheckpointOnce());  // an empty chain has no head
  for (int i = 0; i < 3; ++i) Change("L-" + std::to_string(i));
  SealAll();
  EXPECT_TRUE(sealer.CheckpointOnce());
  EXPECT_FALSE(sealer.CheckpointOnce());  // the head has not moved
  auto checkpoints = Checkpoints(*pool_, 0, 10);
  ASSERT_EQ(checkpoints.size(), 1u);
  const auto& c = checkpoints[0];
  EXPECT_EQ(c.sequencia, 3);
  EXPECT_EQ(c.hash, ChainHead(*pool_)->hash);
  EXPECT_EQ(c.chave_id, key.chave_id);
  EXPECT_TRUE(TrustedKeys::Verify(c, key.chave_publica));
  Checkpoint forged = c;
  forged.sequencia = 2;
  EXPECT_FALSE(TrustedKeys::Verify(forged, key.chave_publica));
  // Published, and the event passes its schema.
  auto rows = pool_->Exec(pg::Query{"cp_events", "SELECT envelope FROM outbox WHERE tipo = 'auditoria.checkpoint'"});
  ASSERT_EQ(rows.size(), 1);
  EXPECT_TRUE(events::SchemaViolations(json::Parse(rows[0].Text(0))).empty());
  // A new key (rotation) signs what comes next; a verifier that knows both accepts both.
  std::this_thread::sleep_for(1100ms);  // key ids sort by their second
  auto next = NewSigningKey(dir);
  Sealer rotated(*pool_);
  rotated.UseCheckpoints(std::make_shared<CheckpointSigner>(dir), 0ms);
  Change("L-9");
  SealAll();
  EXPECT_TRUE(rotated.CheckpointOnce());
  auto after = Checkpoints(*pool_, 3, 10);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].chave_id, next.chave_id);
  const std::string trusted = dir + "-trusted";
  std::filesystem::create_directories(trusted + "/estoque");
  for (const auto& id : {key.chave_id, next.chave_id})
    std::filesystem::copy_file(dir + "/" + id + ".pub", trusted + "/estoque/" + id + ".pub");
  TrustedKeys keys(trusted);
  EXPECT_EQ(keys.Check(c), std::nullopt);
  EXPECT_EQ(keys.Check(after[0]), std::nullopt);
  EXPECT_NE(keys.Check(forged), std::nullopt);
  Checkpoint other_service = c;
  other_service.servico = "cq";
  EXPECT_NE(keys.Check(other_service), std::nullopt);
}

// proves: A2
TEST(CanonicalJson, SortsKeysAtEveryLevel) {
  auto v = json::Parse(R"({"b":1,"a":{"d":[{"z":1,"y":2}],"c":"x"}})");
  EXPECT_EQ(CanonicalJson(v), R"({"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1})");
}

}  // namespace
}  // namespace pharmasys::audit
