#include "pharmasys/audit/audit.hpp"

#include <gtest/gtest.h>

#include <future>

#include "pg_support.hpp"
#include "pharmasys/json/json.hpp"
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

TEST_F(AuditTest, TheServiceItsOwnRoleCannotUpdateDeleteOrTruncate) {
  Change("L-1");
  SealAll();
  // db_.url() is the database owner's own role, as the service connects.
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

TEST(CanonicalJson, SortsKeysAtEveryLevel) {
  auto v = json::Parse(R"({"b":1,"a":{"d":[{"z":1,"y":2}],"c":"x"}})");
  EXPECT_EQ(CanonicalJson(v), R"({"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1})");
}

}  // namespace
}  // namespace pharmasys::audit
