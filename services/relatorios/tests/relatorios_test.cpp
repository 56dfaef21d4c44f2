// The Relatórios service as a process, fed with events as the other services publish them,
// with the real Auth for tokens.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <map>
#include <set>

#include "http_support.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/crypto.hpp"
#include "pharmasys/json/fields.hpp"
#include "plant_support.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;
using namespace std::chrono_literals;
using boost::json::array;
using boost::json::object;

class Reports : public ServiceUnderTest {
 public:
  static Reports& Get() {
    static Reports reports;
    return reports;
  }

 private:
  // Estoque's chain is "at" an address nobody answers: its own check fails with an error and
  // the consolidated copy is still checked.
  Reports() : ServiceUnderTest(PHARMASYS_RELATORIOS_BIN, {}, {"PHARMASYS_AUDIT_SOURCES=estoque=http://127.0.0.1:9"}) {}
};

class Relatorios : public ::testing::Test {
 protected:
  Reports& r = Reports::Get();

  std::string Lot(const std::string& material, std::optional<std::string> op_id, const std::string& validade) {
    const std::string id = ids::NewUuidV7();
    object d{{"lote_id", id},
             {"codigo", Unique("L")},
             {"material", material},
             {"quantidade", 100},
             {"unidade", "kg"},
             {"validade", validade},
             {"origem", op_id ? "producao" : "recebimento"}};
    if (op_id) d["op_id"] = *op_id;
    r.PublishEvent(events::Event::New("lote.criado", op_id ? "producao" : "estoque", d));
    return id;
  }
  void Consumed(const std::string& op_id, const std::string& lote_id, const std::string& codigo) {
    r.PublishEvent(events::Event::New(
        "insumos.consumidos", "producao",
        {{"op_id", op_id},
         {"consumo_id", ids::NewUuidV7()},
         {"material", "MP"},
         {"lotes", array{object{{"lote_id", lote_id}, {"lote_codigo", codigo}, {"quantidade", 5}}}}}));
  }
  std::string CodeOf(const std::string& lote_id) {
    std::string code;
    EXPECT_TRUE(Eventually(
        [&] {
          auto rows =
              r.db().Exec(pg::Query{"t_code", "SELECT codigo FROM lotes WHERE id = $1::uuid"}, pg::Params(lote_id));
          if (!rows.empty()) code = rows.Single().String(0);
          return !rows.empty();
        },
        20s));
    return code;
  }
};

TEST_F(Relatorios, TraceFollowsTwoLevelsDownToTheCustomerAndUpToTheRawMaterial) {
  const std::string op1 = ids::NewUuidV7(), op2 = ids::NewUuidV7();
  auto raw = Lot("MP", std::nullopt, "2028-01-01");
  auto mid = Lot("SEMI", op1, "2027-06-01");
  auto end = Lot("PA", op2, "2027-03-01");
  auto raw_code = CodeOf(raw), mid_code = CodeOf(mid), end_code = CodeOf(end);
  Consumed(op1, raw, raw_code);
  Consumed(op2, mid, mid_code);
  const std::string expedicao = ids::NewUuidV7();
  r.PublishEvent(events::Event::New(
      "expedicao.confirmada", "estoque",
      {{"expedicao_id", expedicao},
       {"cliente", object{{"nome", "Hospital Central"}, {"documento", "99.888.777/0001-66"}}},
       {"itens", array{object{{"lote_id", end}, {"lote_codigo", end_code}, {"material", "PA"}, {"quantidade", 7}}}},
       {"confirmada_em", clock::NowRfc3339()}}));
  boost::json::value trace;
  ASSERT_TRUE(Eventually(
      [&] {
        trace = r.GetJson("/v1/relatorios/rastreabilidade/" + raw_code + "?direcao=descendente", "auditor");
        return !trace.at("descendente").at("expedicoes").as_array().empty();
      },
      20s));
  auto lotes = trace.at("descendente").at("lotes").as_array();
  ASSERT_EQ(lotes.size(), 2u);
  EXPECT_EQ(Str(lotes[0], "lote_id"), mid);
  EXPECT_EQ(lotes[0].at("nivel").as_int64(), 1);
  EXPECT_EQ(Str(lotes[1], "lote_id"), end);
  EXPECT_EQ(lotes[1].at("nivel").as_int64(), 2);
  EXPECT_EQ(Str(trace.at("descendente").at("clientes").at(0), "nome"), "Hospital Central");
  EXPECT_TRUE(trace.at("ascendente").is_null());

  auto up = r.GetJson("/v1/relatorios/rastreabilidade/" + end_code + "?direcao=ascendente", "auditor");
  auto ancestors = up.at("ascendente").as_array();
  ASSERT_EQ(ancestors.size(), 2u);
  EXPECT_EQ(Str(ancestors[0], "lote_id"), mid);
  EXPECT_EQ(Str(ancestors[1], "lote_id"), raw);
  EXPECT_EQ(ancestors[1].at("nivel").as_int64(), 2);

  auto recall = r.GetJson("/v1/relatorios/recolhimento/" + raw_code, "gestor");
  EXPECT_EQ(recall.at("lotes_afetados").as_array().size(), 3u);
  EXPECT_EQ(recall.at("totais").at("clientes").as_int64(), 1);
  EXPECT_EQ(r.GetAs("/v1/relatorios/rastreabilidade/NAO-EXISTE", "auditor").status, 404);
  EXPECT_EQ(r.GetAs("/v1/relatorios/rastreabilidade/" + raw_code + "?direcao=lateral", "auditor").status, 422);
}

// Twenty levels of diamonds: every lot of level k (two per level, X and Y) is made by its own
// OP from both lots of level k + 1, so 2^20 paths lead from the top lot to the bottom. The
// trace answers each (ancestor, consuming OP) once, with its own quantity and level, and each
// descendant once.
TEST_F(Relatorios, ADeepStackOfDiamondsIsTracedOncePerLotNotOncePerPath) {
  constexpr int kLevels = 20;
  struct Made {
    std::string id, codigo, op_id;
  };
  auto make = [&](bool produced) {
    Made m{ids::NewUuidV7(), Unique("DIA"), produced ? ids::NewUuidV7() : ""};
    object d{{"lote_id", m.id},
             {"codigo", m.codigo},
             {"material", "SEMI"},
             {"quantidade", 100},
             {"unidade", "kg"},
             {"validade", "2028-01-01"},
             {"origem", produced ? "producao" : "recebimento"}};
    if (produced) d["op_id"] = m.op_id;
    r.PublishEvent(events::Event::New("lote.criado", produced ? "producao" : "estoque", d));
    return m;
  };
  auto top = make(true);
  std::vector<std::array<Made, 2>> level(kLevels + 1);  // level[1..kLevels]
  for (int k = 1; k <= kLevels; ++k) level[k] = {make(k < kLevels), make(k < kLevels)};
  std::vector<std::string> ops{top.op_id};
  auto consumed = [&](const std::string& op_id, const std::array<Made, 2>& inputs) {
    array lotes;
    for (const auto& in : inputs)
      lotes.push_back(object{{"lote_id", in.id}, {"lote_codigo", in.codigo}, {"quantidade", 5}});
    r.PublishEvent(events::Event::New(
        "insumos.consumidos", "producao",
        {{"op_id", op_id}, {"consumo_id", ids::NewUuidV7()}, {"material", "SEMI"}, {"lotes", std::move(lotes)}}));
  };
  consumed(top.op_id, level[1]);
  for (int k = 1; k < kLevels; ++k) {
    for (const auto& maker : level[k]) {
      consumed(maker.op_id, level[k + 1]);
      ops.push_back(maker.op_id);
    }
  }
  const std::size_t edges = 2 + 4 * (kLevels - 1);
  auto uuid_array = [](const std::vector<std::string>& ids) {
    std::string list = "{";
    for (const auto& id : ids) list += (list.size() > 1 ? "," : "") + id;
    return list + "}";
  };
  std::vector<std::string> lots{top.id};
  for (int k = 1; k <= kLevels; ++k) lots.insert(lots.end(), {level[k][0].id, level[k][1].id});
  ASSERT_TRUE(Eventually(
      [&] {
        auto n = r.db()
                     .Exec(pg::Query{"t_diamond_edges", "SELECT count(*) FROM consumos WHERE op_id = ANY($1::uuid[])"},
                           pg::Params(uuid_array(ops)))
                     .Single()
                     .Int(0);
        auto known = r.db()
                         .Exec(pg::Query{"t_diamond_lots", "SELECT count(*) FROM lotes WHERE id = ANY($1::uuid[])"},
                               pg::Params(uuid_array(lots)))
                         .Single()
                         .Int(0);
        return static_cast<std::size_t>(n) == edges && static_cast<std::size_t>(known) == lots.size();
      },
      30s));

  auto up = r.GetJson("/v1/relatorios/rastreabilidade/" + top.codigo + "?direcao=ascendente", "auditor");
  auto ancestors = up.at("ascendente").as_array();
  ASSERT_EQ(ancestors.size(), edges);
  std::map<std::string, int> levels;                   // lote_id -> nivel
  std::set<std::pair<std::string, std::string>> seen;  // (lote_id, op_id)
  for (const auto& a : ancestors) {
    EXPECT_TRUE(seen.insert({Str(a, "lote_id"), Str(a, "op_id")}).second) << "twice: " << json::Serialize(a);
    EXPECT_EQ(Num(a, "quantidade"), Q("5")) << json::Serialize(a);  // each consumption counted once
    levels[Str(a, "lote_id")] = static_cast<int>(a.at("nivel").as_int64());
  }
  EXPECT_EQ(levels.size(), 2u * kLevels);
  for (int k = 1; k <= kLevels; ++k) {
    for (const auto& lot : level[k]) EXPECT_EQ(levels[lot.id], k) << lot.codigo;
  }
  for (std::size_t i = 1; i < ancestors.size(); ++i) {  // by level, then code
    EXPECT_LE(ancestors[i - 1].at("nivel").as_int64(), ancestors[i].at("nivel").as_int64());
  }

  auto down =
      r.GetJson("/v1/relatorios/rastreabilidade/" + level[kLevels][0].codigo + "?direcao=descendente", "auditor");
  auto descendants = down.at("descendente").at("lotes").as_array();
  std::set<std::string> below;
  for (const auto& d : descendants) EXPECT_TRUE(below.insert(Str(d, "lote_id")).second) << json::Serialize(d);
  // Both lots of every level above the bottom, and the top lot.
  EXPECT_EQ(below.size(), 2u * (kLevels - 1) + 1);
  EXPECT_TRUE(below.count(top.id));
}

TEST_F(Relatorios, ALaudoOrARecallArrivingBeforeTheLotStillDecidesItsStatus) {
  const std::string id = ids::NewUuidV7(), codigo = Unique("L");
  r.PublishEvent(events::Event::New(
      "laudo.emitido", "cq",
      {{"laudo_id", ids::NewUuidV7()},
       {"amostra_id", ids::NewUuidV7()},
       {"lote_id", id},
       {"lote_codigo", codigo},
       {"decisao", "aprovado"},
       {"emitido_por", "Analista"},
       {"emitido_em", clock::NowRfc3339()},
       {"assinatura", object{{"nome", "Analista"}, {"significado", "aprovacao"}, {"em", clock::NowRfc3339()}}}}));
  r.PublishEvent(events::Event::New("lote.criado", "estoque",
                                    {{"lote_id", id},
                                     {"codigo", codigo},
                                     {"material", "MP"},
                                     {"quantidade", 1},
                                     {"unidade", "kg"},
                                     {"validade", "2028-01-01"},
                                     {"origem", "recebimento"}}));
  ASSERT_TRUE(Eventually(
      [&] {
        auto res = r.GetAs("/v1/relatorios/rastreabilidade/" + codigo, "auditor");
        return res.status == 200 && Str(json::Parse(res.body).at("lote"), "status") == "liberado";
      },
      20s));
  r.PublishEvent(
      events::Event::New("lote.recolhido", "cq", {{"lote_id", id}, {"lote_codigo", codigo}, {"motivo", "xyz"}}));
  ASSERT_TRUE(Eventually(
      [&] {
        return Str(r.GetJson("/v1/relatorios/rastreabilidade/" + codigo, "auditor").at("lote"), "status") ==
               "recolhido";
      },
      20s));
}

TEST_F(Relatorios, TheConsolidatedCopyIsVerifiedOnItsOwnAndABrokenRecordIsNamed) {
  // Three records of a chain, as Estoque's sealer would publish them, then a fourth whose
  // content does not match its hash.
  std::string previous(64, '0');
  auto record = [&](std::int64_t sequencia, const std::string& acao) {
    object rec{{"id", ids::NewUuidV7()},
               {"servico", "estoque"},
               {"sequencia", sequencia},
               {"ocorrido_em", clock::NowRfc3339()},
               {"usuario", object{{"sub", "s-1"}, {"username", "estoquista"}, {"nome", "Estoquista"}}},
               {"acao", acao},
               {"entidade", "lote"},
               {"entidade_id", "x"},
               {"antes", nullptr},
               {"depois", object{{"quantidade", 12.5}}},
               {"motivo", nullptr},
               {"assinatura", nullptr},
               {"request_id", nullptr}};
    const std::string hash = crypto::Sha256Hex(previous + audit::CanonicalJson(rec));
    rec["hash_anterior"] = previous;
    rec["hash"] = hash;
    previous = hash;
    return rec;
  };
  for (int i = 1; i <= 3; ++i) {
    r.PublishEvent(events::Event::New("auditoria.registrada", "estoque", record(i, "lote.recebido")));
  }
  auto tampered = record(4, "lote.recebido");
  tampered["acao"] = "lote.apagado";  // changed after hashing
  r.PublishEvent(events::Event::New("auditoria.registrada", "estoque", tampered));
  ASSERT_TRUE(Eventually(
      [&] {
        return r.db()
                   .Exec(pg::Query{"t_copy", "SELECT count(*) FROM auditoria_consolidada WHERE servico = 'estoque'"})
                   .Single()
                   .Int(0) == 4;
      },
      20s));
  auto report = r.GetJson("/v1/relatorios/auditoria/verificacao", "auditor");
  EXPECT_FALSE(report.at("integra").as_bool());
  for (const auto& s : report.at("servicos").as_array()) {
    if (Str(s, "servico") != "estoque") continue;
    EXPECT_FALSE(s.at("copia_consolidada").at("integra").as_bool());
    EXPECT_EQ(s.at("copia_consolidada").at("primeiro_registro_invalido").as_int64(), 4);
    EXPECT_TRUE(s.as_object().contains("erro"));  // the service itself did not answer
  }
  // The trail itself is queryable by entity and user, and only by auditors.
  auto trail = r.GetJson("/v1/relatorios/auditoria?servico=estoque&usuario=estoquista", "auditor");
  EXPECT_EQ(trail.at("items").as_array().size(), 4u);
  EXPECT_EQ(r.GetAs("/v1/relatorios/auditoria", "gestor").status, 403);
  EXPECT_EQ(r.GetAs("/v1/relatorios/auditoria?de=ontem", "auditor").status, 422);
}

TEST_F(Relatorios, ExpiringLotsAndTheDashboard) {
  const std::string today =
      r.db()
          .Exec(pg::Query{"t_today", "SELECT (now() AT TIME ZONE 'America/Sao_Paulo')::date::text"})
          .Single()
          .String(0);
  auto soon = json::FormatDate(
      std::chrono::year_month_day(std::chrono::sys_days(*json::ParseDate(today)) + std::chrono::days(10)));
  auto id = Lot("MP-VENC", std::nullopt, soon);
  CodeOf(id);
  auto expiring = r.GetJson("/v1/relatorios/estoque/vencimentos?dias=30&limit=500", "estoquista");
  bool found = false;
  for (const auto& l : expiring.at("items").as_array()) {
    if (Str(l, "lote_id") == id) {
      found = true;
      EXPECT_EQ(l.at("dias_restantes").as_int64(), 10);
    }
  }
  EXPECT_TRUE(found);
  auto painel = r.GetJson("/v1/relatorios/painel", "estoquista");
  EXPECT_GE(painel.at("lotes_vencendo_30_dias").as_int64(), 1);
  EXPECT_GE(painel.at("lotes_por_status").at("quarentena").as_int64(), 1);
  EXPECT_EQ(r.GetAs("/v1/relatorios/estoque/vencimentos?dias=-1", "estoquista").status, 422);
}

}  // namespace
}  // namespace pharmasys
