// The Relatórios service as a process, fed with events as the other services publish them,
// with the real Auth for tokens.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "http_support.hpp"
#include "list_support.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/audit/sealer.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/crypto.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"
#include "pharmasys/ids.hpp"
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

// proves: B5
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

// proves: B1 B5
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

// The lot lifecycle (pharmasys/domain/lote.hpp): a reprovado lot never becomes available, even
// when a laudo aprovado is the latest one issued, and whichever of the two arrives first.
// proves: B1
TEST_F(Relatorios, ALaterLaudoAprovadoNeverReleasesAReprovadoLot) {
  auto laudo = [&](const std::string& id, const std::string& codigo, const char* decisao, const char* em) {
    return events::Event::New("laudo.emitido", "cq",
                              {{"laudo_id", ids::NewUuidV7()},
                               {"amostra_id", ids::NewUuidV7()},
                               {"lote_id", id},
                               {"lote_codigo", codigo},
                               {"decisao", decisao},
                               {"emitido_por", "Analista"},
                               {"emitido_em", em},
                               {"assinatura", object{{"nome", "Analista"}, {"significado", "aprovacao"}, {"em", em}}}});
  };
  auto processed = [&](const events::Event& e) {
    return Eventually(
        [&] {
          return r.db()
                     .Exec(pg::Query{"t_processed", "SELECT count(*) FROM eventos_processados WHERE id = $1::uuid"},
                           pg::Params(e.id))
                     .Single()
                     .Int(0) == 1;
        },
        20s);
  };
  auto status = [&](const std::string& codigo) {
    return Str(r.GetJson("/v1/relatorios/rastreabilidade/" + codigo, "auditor").at("lote"), "status");
  };
  for (bool in_order : {true, false}) {
    SCOPED_TRACE(in_order ? "reprovado arrives first" : "aprovado arrives first");
    const std::string id = Lot("MP", std::nullopt, "2028-01-01");
    const std::string codigo = CodeOf(id);
    auto reprovado = laudo(id, codigo, "reprovado", "2026-11-29T10:00:00.000Z");
    auto aprovado = laudo(id, codigo, "aprovado", "2026-11-29T11:00:00.000Z");  // the latest issued
    r.PublishEvent(in_order ? reprovado : aprovado);
    r.PublishEvent(in_order ? aprovado : reprovado);
    ASSERT_TRUE(processed(reprovado));
    ASSERT_TRUE(processed(aprovado));
    EXPECT_EQ(status(codigo), "reprovado");
  }
}

// proves: A3 A4 A8
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

// proves: A4
TEST_F(Relatorios, TheAuditTrailListsNewestFirstAcrossPages) {
  std::string previous(64, '0');
  std::vector<std::string> created;
  for (std::int64_t sequencia = 1; sequencia <= 3; ++sequencia) {
    object rec{{"id", ids::NewUuidV7()},
               {"servico", "producao"},
               {"sequencia", sequencia},
               {"ocorrido_em", clock::NowRfc3339()},
               {"usuario", object{{"sub", "s-2"}, {"username", "gestor"}, {"nome", "Gestor"}}},
               {"acao", "receita.criada"},
               {"entidade", "receita"},
               {"entidade_id", "r-" + std::to_string(sequencia)},
               {"antes", nullptr},
               {"depois", object{{"versao", sequencia}}},
               {"motivo", nullptr},
               {"assinatura", nullptr},
               {"request_id", nullptr}};
    const std::string hash = crypto::Sha256Hex(previous + audit::CanonicalJson(rec));
    rec["hash_anterior"] = previous;
    rec["hash"] = hash;
    previous = hash;
    created.push_back(Str(rec, "id"));
    r.PublishEvent(events::Event::New("auditoria.registrada", "producao", rec));
    // One at a time: the trail is paged by the order records arrive in.
    ASSERT_TRUE(Eventually(
        [&] {
          return r.db()
                     .Exec(pg::Query{"t_copy_count",
                                     "SELECT count(*) FROM auditoria_consolidada WHERE servico = 'producao'"})
                     .Single()
                     .Int(0) == sequencia;
        },
        20s));
  }
  auto get = [&](const std::string& target) { return r.GetJson(target, "auditor"); };
  // The cursor is the record's place in the consolidated trail, not a field of the record. (The
  // trail of Produção alone: Auth's records of the logins come in meanwhile.)
  ExpectNewestFirst(get, "/v1/relatorios/auditoria?servico=producao", created, IdOf, false);
  ExpectNewestFirst(get, "/v1/relatorios/auditoria?servico=producao&entidade=receita", created, IdOf, false);
  ExpectOrdemRefused(r.GetAs("/v1/relatorios/auditoria?ordem=recente", "auditor"));

  // The CSV export follows the same order.
  auto csv = r.GetAs("/v1/relatorios/auditoria?servico=producao&ordem=desc&formato=csv", "auditor");
  ASSERT_EQ(csv.status, 200) << csv.body;
  std::vector<std::string> ids_in_csv;
  std::istringstream lines(csv.body);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    auto first = line.find(',');
    auto second = line.find(',', first + 1);
    auto third = line.find(',', second + 1);
    ids_in_csv.push_back(line.substr(second + 1, third - second - 1));
  }
  EXPECT_EQ(ids_in_csv, std::vector<std::string>(created.rbegin(), created.rend()));
}

// The signature log for the periodic review: every signed record of every service, oldest
// first, with the signer's name, meaning and instant and what was signed; unsigned records are
// not in it. For auditors and administrators, as JSON, CSV and PDF.
// proves: S3
TEST_F(Relatorios, TheSignatureLogListsEverySignedActWithItsMeaning) {
  const std::string user = Unique("assinante");
  // Records of their own place in CQ's copy, so that the test can run again on the same database.
  const std::int64_t base =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::string previous(64, '0');
  auto record = [&](std::int64_t sequencia, const std::string& acao, boost::json::value assinatura) {
    object rec{{"id", ids::NewUuidV7()},
               {"servico", "cq"},
               {"sequencia", base + sequencia},
               {"ocorrido_em", clock::NowRfc3339()},
               {"usuario", object{{"sub", "s-9"}, {"username", user}, {"nome", "Ana Assinante"}}},
               {"acao", acao},
               {"entidade", "laudo"},
               {"entidade_id", "l-" + std::to_string(sequencia)},
               {"antes", nullptr},
               {"depois", object{{"decisao", "aprovado"}}},
               {"motivo", sequencia == 2 ? boost::json::value("lote conforme") : boost::json::value(nullptr)},
               {"assinatura", assinatura},
               {"request_id", nullptr}};
    const std::string hash = crypto::Sha256Hex(previous + audit::CanonicalJson(rec));
    rec["hash_anterior"] = previous;
    rec["hash"] = hash;
    previous = hash;
    r.PublishEvent(events::Event::New("auditoria.registrada", "cq", rec));
  };
  record(1, "laudo.emitido",
         object{{"nome", "Ana Assinante"}, {"significado", "aprovacao"}, {"em", "2026-11-30T10:00:00.000Z"}});
  record(2, "desvio.encerrado",
         object{{"nome", "Ana Assinante"}, {"significado", "revisao"}, {"em", "2026-11-30T11:00:00.000Z"}});
  record(3, "amostra.registrada", nullptr);
  const std::string path = "/v1/relatorios/assinaturas?usuario=" + user;
  boost::json::value log;
  ASSERT_TRUE(Eventually(
      [&] {
        log = r.GetJson(path, "auditor");
        return log.at("items").as_array().size() == 2 &&
               r.db().Exec(pg::Query{"t_copy_count_user",
                                     "SELECT count(*) FROM auditoria_consolidada WHERE usuario_username = $1"},
                           pg::Params(user))
                       .Single()
                       .Int(0) == 3;
      },
      20s))
      << json::Serialize(log);
  log = r.GetJson(path, "auditor");
  const auto& items = log.at("items").as_array();
  ASSERT_EQ(items.size(), 2U);  // the unsigned record is not a signature
  EXPECT_EQ(Str(items[0], "acao"), "laudo.emitido");
  EXPECT_EQ(Str(items[0], "significado"), "aprovacao");
  EXPECT_EQ(Str(items[0], "nome"), "Ana Assinante");
  EXPECT_EQ(Str(items[0], "em"), "2026-11-30T10:00:00.000Z");
  EXPECT_EQ(Str(items[1], "significado"), "revisao");
  EXPECT_EQ(Str(items[1], "motivo"), "lote conforme");
  EXPECT_EQ(Str(items[1], "servico"), "cq");
  EXPECT_EQ(r.GetAs(path, "estoquista").status, 403);

  auto csv = r.GetAs(path, "admin", {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.body.rfind(
                "em,nome,usuario,significado,servico,sequencia,acao,entidade,entidade_id,motivo,ocorrido_em\r\n", 0),
            0U);
  EXPECT_NE(csv.body.find("2026-11-30T11:00:00.000Z,Ana Assinante," + user + ",revisao,cq," + std::to_string(base + 2) +
                          ",desvio.encerrado,laudo,l-2,lote conforme,"),
            std::string::npos)
      << csv.body;

  auto pdf = r.GetAs(path, "auditor", {{"Accept", "application/pdf"}});
  ASSERT_EQ(pdf.status, 200);
  const std::string text = PdfText(pdf.body);
  EXPECT_NE(text.find("Registro de assinaturas eletrônicas"), std::string::npos) << text;
  EXPECT_NE(text.find("Ana Assinante (" + user + ")"), std::string::npos) << text;
  EXPECT_NE(text.find("aprovação"), std::string::npos) << text;
  EXPECT_NE(text.find("lote conforme"), std::string::npos) << text;
}

// RULES.md X8: a customer named like a formula is exported as text; the quantity stays a
// number; `?formato=excel` is the pt-BR spreadsheet flavour.
// proves: X8 B5
TEST_F(Relatorios, TheRecallExportIsSafeInASpreadsheetAndHasAPtBrFlavour) {
  auto lote = Lot("PA-CSV", std::nullopt, "2028-01-01");
  auto codigo = CodeOf(lote);
  r.PublishEvent(events::Event::New(
      "expedicao.confirmada", "estoque",
      {{"expedicao_id", ids::NewUuidV7()},
       {"cliente", object{{"nome", "=HYPERLINK(\"http://x.invalid\";\"abrir\")"}, {"documento", "+55 11 4000-0000"}}},
       {"itens",
        array{object{{"lote_id", lote}, {"lote_codigo", codigo}, {"material", "PA-CSV"}, {"quantidade", 2.5}}}},
       {"confirmada_em", clock::NowRfc3339()}}));
  const std::string path = "/v1/relatorios/recolhimento/" + codigo;
  http::ClientResponse csv;
  ASSERT_TRUE(Eventually(
      [&] {
        csv = r.GetAs(path, "auditor", {{"Accept", "text/csv"}});
        return csv.status == 200 && csv.body.find("PA-CSV") != std::string::npos;
      },
      20s));
  EXPECT_EQ(csv.body.rfind("cliente_nome,cliente_documento,", 0), 0u) << csv.body;
  EXPECT_NE(csv.body.find("\"'=HYPERLINK(\"\"http://x.invalid\"\";\"\"abrir\"\")\",'+55 11 4000-0000,"),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(",PA-CSV,2.5,0\r\n"), std::string::npos) << csv.body;

  auto excel = r.GetAs(path + "?formato=excel", "auditor");
  ASSERT_EQ(excel.status, 200) << excel.body;
  EXPECT_EQ(excel.headers.GetOr("Content-Type", ""), "text/csv; charset=utf-8");
  EXPECT_EQ(excel.headers.GetOr("Content-Disposition", ""), "attachment; filename=\"recolhimento-" + codigo + ".csv\"");
  EXPECT_EQ(excel.body.rfind("\xEF\xBB\xBF"
                             "cliente_nome;cliente_documento;",
                             0),
            0u)
      << excel.body;
  EXPECT_NE(excel.body.find("\"'=HYPERLINK(\"\"http://x.invalid\"\";\"\"abrir\"\")\";'+55 11 4000-0000;"),
            std::string::npos)
      << excel.body;
  EXPECT_NE(excel.body.find(";PA-CSV;2,5;0\r\n"), std::string::npos) << excel.body;
  EXPECT_EQ(excel.body.find("\n", 0), excel.body.find("\r\n", 0) + 1);  // CRLF line ends
  EXPECT_EQ(r.GetAs(path + "?formato=planilha", "auditor").status, 422);
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

// ---- Loss control (GET /v1/relatorios/perdas) ------------------------------------------------

class Perdas : public Relatorios {
 protected:
  const std::string material = Unique("MP-PERDA");
  std::string today = r.db()
                          .Exec(pg::Query{"t_today", "SELECT (now() AT TIME ZONE 'America/Sao_Paulo')::date::text"})
                          .Single()
                          .String(0);
  std::string InDays(int days) {
    return json::FormatDate(
        std::chrono::year_month_day(std::chrono::sys_days(*json::ParseDate(today)) + std::chrono::days(days)));
  }
  void Laudo(const std::string& lote_id, const std::string& decisao) {
    r.PublishEvent(events::Event::New(
        "laudo.emitido", "cq",
        {{"laudo_id", ids::NewUuidV7()},
         {"amostra_id", ids::NewUuidV7()},
         {"lote_id", lote_id},
         {"lote_codigo", CodeOf(lote_id)},
         {"decisao", decisao},
         {"emitido_por", "Analista"},
         {"emitido_em", clock::NowRfc3339()},
         {"assinatura", object{{"nome", "Analista"}, {"significado", "aprovacao"}, {"em", clock::NowRfc3339()}}}}));
  }
  void Returned(const std::string& lote_id, int quantidade, const std::string& decisao) {
    const std::string devolucao = ids::NewUuidV7();
    r.PublishEvent(events::Event::New("devolucao.registrada", "estoque",
                                      {{"devolucao_id", devolucao},
                                       {"expedicao_id", ids::NewUuidV7()},
                                       {"lote_id", lote_id},
                                       {"quantidade", quantidade},
                                       {"motivo", "avaria no transporte"}}));
    r.PublishEvent(events::Event::New("devolucao.avaliada", "estoque",
                                      {{"devolucao_id", devolucao},
                                       {"lote_id", lote_id},
                                       {"lote_codigo", CodeOf(lote_id)},
                                       {"decisao", decisao},
                                       {"quantidade", quantidade},
                                       {"motivo", "avaliada pelo CQ"},
                                       {"avaliado_por", "analista"},
                                       {"avaliado_em", clock::NowRfc3339()}}));
  }
  std::map<std::string, std::pair<std::string, std::int64_t>> ByCause(const boost::json::value& report) {
    std::map<std::string, std::pair<std::string, std::int64_t>> out;  // causa → (quantidade, lotes)
    for (const auto& line : report.at("perdas").as_array()) {
      if (Str(line, "material") != material) continue;
      out[Str(line, "causa")] = {json::Serialize(line.at("quantidade")), line.at("lotes").as_int64()};
    }
    return out;
  }
};

// Each cause once, with what the lot still had: an expired lot whole, a reprovado lot whole, a
// recalled lot less what it gave, a discarded return its quantity; a reintegrated return is
// no loss and goes back into stock.
TEST_F(Perdas, EachCauseCountsWhatWasLostInTheMonthItWasLost) {
  const auto vencido = Lot(material, std::nullopt, "2026-01-10");  // in quarantine, expired
  const auto reprovado = Lot(material, std::nullopt, InDays(300));
  Laudo(reprovado, "reprovado");
  const auto recolhido = Lot(material, std::nullopt, InDays(300));
  Laudo(recolhido, "aprovado");
  r.PublishEvent(events::Event::New(
      "insumos.consumidos", "producao",
      {{"op_id", ids::NewUuidV7()},
       {"consumo_id", ids::NewUuidV7()},
       {"material", material},
       {"lotes", array{object{{"lote_id", recolhido}, {"lote_codigo", CodeOf(recolhido)}, {"quantidade", 30}}}}}));
  r.PublishEvent(events::Event::New(
      "lote.recolhido", "cq", {{"lote_id", recolhido}, {"lote_codigo", CodeOf(recolhido)}, {"motivo", "queixa"}}));
  const auto devolvido = Lot(material, std::nullopt, InDays(2000));
  Laudo(devolvido, "aprovado");
  Returned(devolvido, 4, "descartar");
  Returned(devolvido, 3, "reintegrar");

  const std::string path = "/v1/relatorios/perdas?de=2020-01-01&material=" + material;
  boost::json::value report;
  ASSERT_TRUE(Eventually(
      [&] {
        report = r.GetJson(path, "estoquista");
        return ByCause(report).size() == 4;
      },
      20s))
      << json::Serialize(report);
  using Perda = std::pair<std::string, std::int64_t>;
  auto causes = ByCause(report);
  EXPECT_EQ(causes["vencido"], Perda("100", 1));
  EXPECT_EQ(causes["reprovado"], Perda("100", 1));
  EXPECT_EQ(causes["recolhido"], Perda("70", 1));
  EXPECT_EQ(causes["descartado"], Perda("4", 1));
  for (const auto& line : report.at("perdas").as_array()) {
    if (Str(line, "causa") == "vencido") {
      EXPECT_EQ(Str(line, "mes"), "2026-01");  // expired on 2026-01-11
    }
    EXPECT_EQ(Str(line, "unidade"), "kg");
  }
  ASSERT_EQ(report.at("totais").as_array().size(), 1U);
  EXPECT_EQ(json::Serialize(report.at("totais").at(0).at("quantidade")), "274");
  EXPECT_EQ(Str(report, "ate"), today);

  // Out of the period, nothing; the expired lot alone in January.
  auto january = r.GetJson("/v1/relatorios/perdas?de=2026-01-01&ate=2026-01-31&material=" + material, "auditor");
  auto only = ByCause(january);
  ASSERT_EQ(only.size(), 1U);
  EXPECT_TRUE(only.contains("vencido"));

  auto csv = r.GetAs(path, "auditor", {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("material,material_nome,unidade,causa,mes,quantidade,lotes,lote_codigo,validade\r\n", 0), 0U)
      << csv.body;
  EXPECT_NE(csv.body.find(material + ",,kg,descartado,"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(material + ",,kg,vencido,2026-01,100,1,,\r\n"), std::string::npos) << csv.body;

  // Today's three losses are on the dashboard.
  EXPECT_GE(r.GetJson("/v1/relatorios/painel", "estoquista").at("perdas_30_dias").as_int64(), 3);
  EXPECT_EQ(r.GetAs("/v1/relatorios/perdas?de=2026-13-01", "auditor").status, 422);
  EXPECT_EQ(r.GetAs("/v1/relatorios/perdas?de=2026-02-01&ate=2026-01-01", "auditor").status, 422);
}

// A lot's stock, kept as its events come: a consumption told before the lot itself, the same
// consumption told twice, then a shipment — 100 − 30 − 20 = 50, whatever the order.
TEST_F(Perdas, TheStockOfALotHoldsWhicheverOrderItsEventsComeIn) {
  const std::string id = ids::NewUuidV7(), codigo = Unique("L");
  const events::Event consumed =
      events::Event::New("insumos.consumidos", "producao",
                         {{"op_id", ids::NewUuidV7()},
                          {"consumo_id", ids::NewUuidV7()},
                          {"material", material},
                          {"lotes", array{object{{"lote_id", id}, {"lote_codigo", codigo}, {"quantidade", 30}}}}});
  r.PublishEvent(consumed);
  r.PublishEvent(events::Event::New("lote.criado", "estoque",
                                    {{"lote_id", id},
                                     {"codigo", codigo},
                                     {"material", material},
                                     {"quantidade", 100},
                                     {"unidade", "kg"},
                                     {"validade", InDays(0)},
                                     {"origem", "recebimento"}}));
  // The same consumption again, in another event: it is one consumption.
  r.PublishEvent(events::Event::New(consumed.tipo, consumed.origem, consumed.dados));
  Laudo(id, "aprovado");
  r.PublishEvent(events::Event::New(
      "expedicao.confirmada", "estoque",
      {{"expedicao_id", ids::NewUuidV7()},
       {"cliente", object{{"nome", "Farmácia"}, {"documento", "11.222.333/0001-44"}}},
       {"itens", array{object{{"lote_id", id}, {"lote_codigo", codigo}, {"material", material}, {"quantidade", 20}}}},
       {"confirmada_em", clock::NowRfc3339()}}));
  ASSERT_TRUE(Eventually(
      [&] {
        return r.db()
                   .Exec(pg::Query{"t_timeline_count", "SELECT count(*) FROM eventos_lote WHERE lote_id = $1::uuid"},
                         pg::Params(id))
                   .Single()
                   .Int(0) == 5;
      },
      20s));
  auto report = r.GetJson("/v1/relatorios/perdas?material=" + material, "estoquista");
  const auto& evitaveis = report.at("evitaveis").as_array();
  ASSERT_EQ(evitaveis.size(), 1U) << json::Serialize(report);
  EXPECT_EQ(json::Serialize(evitaveis[0].at("saldo")), "50");
}

// A released lot FEFO will not reach before it expires is listed with what it will lose; the
// lots after it, reached in time, are not.
TEST_F(Perdas, ALotFefoWillNotReachInTimeIsAnAvoidableLoss) {
  const auto busy = Lot(material, std::nullopt, InDays(1000));
  Laudo(busy, "aprovado");
  const auto soon = Lot(material, std::nullopt, InDays(0));  // usable today only
  Laudo(soon, "aprovado");
  r.PublishEvent(events::Event::New(
      "expedicao.confirmada", "estoque",
      {{"expedicao_id", ids::NewUuidV7()},
       {"cliente", object{{"nome", "Distribuidora"}, {"documento", "11.222.333/0001-44"}}},
       {"itens",
        array{object{{"lote_id", busy}, {"lote_codigo", CodeOf(busy)}, {"material", material}, {"quantidade", 40.5}}}},
       {"confirmada_em", clock::NowRfc3339()}}));
  // 40.5 over 90 days: 0.45 a day. `soon` (100, one day left) gets 0.45 and loses 99.55;
  // `busy` (59.5 left, 1001 days) is reached tomorrow and used up long before it expires.
  const std::string path = "/v1/relatorios/perdas?material=" + material;
  boost::json::value report;
  ASSERT_TRUE(Eventually(
      [&] {
        report = r.GetJson(path, "estoquista");
        return !report.at("evitaveis").as_array().empty() &&
               json::Serialize(report.at("evitaveis").at(0).at("uso_por_dia")) == "0.45";
      },
      20s))
      << json::Serialize(report);
  const auto& evitaveis = report.at("evitaveis").as_array();
  ASSERT_EQ(evitaveis.size(), 1U) << json::Serialize(report);
  EXPECT_EQ(Str(evitaveis[0], "lote_id"), soon);
  EXPECT_EQ(json::Serialize(evitaveis[0].at("saldo")), "100");
  EXPECT_EQ(json::Serialize(evitaveis[0].at("quantidade_em_risco")), "99.55");
  EXPECT_EQ(Str(evitaveis[0], "alcancado_em"), today);
  EXPECT_EQ(Str(evitaveis[0], "validade"), today);
  auto painel = r.GetJson("/v1/relatorios/painel", "estoquista");
  EXPECT_GE(painel.at("perdas_evitaveis").as_int64(), 1);
}

// ---- RULES.md A8: a cut or a rewrite of a service's chain is found -----------------------------

// Estoque and Relatórios, Relatórios verifying Estoque's chain and keeping its checkpoints.
class WitnessedPlant : public ServiceUnderTest {
  static constexpr pg::Query kPendingRecords{"t_pending_records", "SELECT count(*) FROM auditoria_pendente"};

 public:
  WitnessedPlant() : ServiceUnderTest(PHARMASYS_ESTOQUE_BIN) {
    relatorios = StartService(PHARMASYS_RELATORIOS_BIN, {"PHARMASYS_AUDIT_SOURCES=estoque=" + base()});
  }
  std::string relatorios;

  // A few audited changes in Estoque.
  void Activity() {
    const std::string material = Unique("MP");
    ASSERT_EQ(Post("/v1/materiais",
                   object{{"codigo", material},
                          {"nome", "Material " + material},
                          {"tipo", "insumo"},
                          {"unidade", "kg"},
                          {"prazo_validade_dias", 720},
                          {"vida_util_minima_expedicao_dias", 0}},
                   "estoquista")
                  .status,
              201);
    for (int i = 0; i < 4; ++i) {
      auto res = Post("/v1/recebimentos",
                      object{{"material", material},
                             {"quantidade", 10},
                             {"validade", "2030-01-01"},
                             {"fornecedor", "Fornecedor Alfa"},
                             {"lote_fornecedor", Unique("F")},
                             {"nota_fiscal", Unique("NF")}},
                      "estoquista");
      ASSERT_EQ(res.status, 201) << res.body;
    }
  }
  boost::json::object Verification() {
    auto res = Call(relatorios, http::Method::Get, "/v1/relatorios/auditoria/verificacao", "", Token("auditor"));
    EXPECT_EQ(res.status, 200) << res.body;
    return json::Parse(res.body).as_object();
  }
  static boost::json::object EntryOf(const boost::json::object& report, const std::string& servico) {
    for (const auto& e : report.at("servicos").as_array()) {
      if (e.at("servico").as_string() == servico) return e.as_object();
    }
    throw std::runtime_error("no entry for " + servico);
  }
  // Waits until every record Estoque wrote is sealed, in the copy and witnessed by a
  // checkpoint; its head. The sealer takes the records committed in one gathering window
  // together, so a head a checkpoint covers may still leave later records queued.
  std::int64_t Witnessed() {
    boost::json::object estoque;
    EXPECT_TRUE(Eventually(
        [&] {
          if (DbOf(base()).Exec(kPendingRecords).Single().Int(0) != 0) return false;
          estoque = EntryOf(Verification(), "estoque");
          const auto head = estoque.at("ultima_sequencia").as_int64();
          return head > 0 && estoque.at("integra").as_bool() && estoque.at("checkpoint").is_object() &&
                 estoque.at("checkpoint").at("sequencia").as_int64() == head &&
                 estoque.at("copia_consolidada").at("registros").as_int64() == head;
        },
        30s))
        << json::Serialize(estoque);
    EXPECT_EQ(estoque.at("checkpoints_invalidos").as_int64(), 0);
    return estoque.at("ultima_sequencia").as_int64();
  }
};

// proves: A3
TEST(AuditWitness, EstoqueKilledIsNamedInItsEntryAndTheReportStillAnswers) {
  WitnessedPlant plant;
  plant.Activity();
  plant.Witnessed();
  plant.Kill(plant.base());  // kill -9 of Estoque
  const auto start = std::chrono::steady_clock::now();
  auto report = plant.Verification();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  EXPECT_FALSE(report.at("integra").as_bool());
  auto estoque = WitnessedPlant::EntryOf(report, "estoque");
  EXPECT_FALSE(estoque.at("integra").as_bool());
  EXPECT_TRUE(estoque.at("sem_resposta").as_bool());
  ASSERT_FALSE(estoque.at("achados").as_array().empty()) << json::Serialize(estoque);
  const auto& achado = estoque.at("achados").as_array().back();
  EXPECT_EQ(Str(achado, "tipo"), "sem-resposta");
  EXPECT_NE(Str(achado, "descricao").find("estoque"), std::string::npos);
  // What Relatórios holds of Estoque's trail is still checked.
  EXPECT_TRUE(estoque.at("copia_consolidada").at("integra").as_bool());
}

// proves: A8
TEST(AuditWitness, TheLastThreeRecordsDeletedFromAChainAreReported) {
  WitnessedPlant plant;
  plant.Activity();
  const std::int64_t head = plant.Witnessed();
  ASSERT_GE(head, 5);
  // A superuser of Estoque's database deletes the last three records, guards off.
  plant.DatabaseOf(plant.base())
      .Superuser(
          "SET session_replication_role = replica;"
          "DELETE FROM auditoria_registro WHERE id IN (SELECT registro_id FROM auditoria WHERE sequencia > " +
          std::to_string(head - 3) + "); DELETE FROM auditoria WHERE sequencia > " + std::to_string(head - 3) +
          "; DELETE FROM auditoria_checkpoint;");
  auto report = plant.Verification();
  EXPECT_FALSE(report.at("integra").as_bool());
  auto estoque = WitnessedPlant::EntryOf(report, "estoque");
  EXPECT_FALSE(estoque.at("integra").as_bool()) << json::Serialize(estoque);
  EXPECT_EQ(estoque.at("primeiro_registro_invalido").as_int64(), head - 2) << json::Serialize(estoque);
  const auto& achados = estoque.at("achados").as_array();
  ASSERT_EQ(achados.size(), 1u) << json::Serialize(estoque);
  EXPECT_EQ(achados[0].at("tipo").as_string(), "cauda-ausente");
  EXPECT_EQ(achados[0].at("primeiro_registro").as_int64(), head - 2);
}

// proves: A8
TEST(AuditWitness, AChainRewrittenAndReHashedIsReportedFromTheFirstRecordChanged) {
  WitnessedPlant plant;
  plant.Activity();
  const std::int64_t head = plant.Witnessed();
  // The intruder changes record 3 and re-computes every hash after it: the chain on its own
  // is perfect again.
  auto& pool = plant.DbOf(plant.base());
  auto records = audit::SealedRecords(pool, 0, head);
  ASSERT_EQ(static_cast<std::int64_t>(records.size()), head);
  std::string sql = "SET session_replication_role = replica;";
  std::string previous = std::string(records[1].at("hash").as_string());
  for (std::int64_t k = 3; k <= head; ++k) {
    auto record = records[static_cast<std::size_t>(k - 1)];
    if (k == 3) {
      record["entidade_id"] = "adulterado";
      sql += "UPDATE auditoria_registro SET entidade_id = 'adulterado' WHERE id = '" +
             std::string(record.at("id").as_string()) + "';";
    }
    record.erase("hash_anterior");
    record.erase("hash");
    const std::string hash = crypto::Sha256Hex(previous + audit::CanonicalJson(record));
    sql += "UPDATE auditoria SET hash_anterior = '" + previous + "', hash = '" + hash +
           "' WHERE sequencia = " + std::to_string(k) + ";";
    previous = hash;
  }
  plant.DatabaseOf(plant.base()).Superuser(sql);
  ASSERT_TRUE(audit::VerifyChain(pool).integra);  // re-hashing alone cannot find it
  auto estoque = WitnessedPlant::EntryOf(plant.Verification(), "estoque");
  EXPECT_FALSE(estoque.at("integra").as_bool());
  EXPECT_EQ(estoque.at("primeiro_registro_invalido").as_int64(), 3) << json::Serialize(estoque);
  const auto& achados = estoque.at("achados").as_array();
  ASSERT_GE(achados.size(), 1u) << json::Serialize(estoque);
  EXPECT_EQ(achados[0].at("tipo").as_string(), "cadeia-reescrita") << json::Serialize(estoque);
  EXPECT_EQ(achados[0].at("primeiro_registro").as_int64(), 3);
}

// The export an inspector takes away, re-verified offline with the public keys alone.
// proves: A8
TEST(AuditWitness, AnExportedTrailIsReVerifiedOfflineAndAnEditInItIsFound) {
  WitnessedPlant plant;
  plant.Activity();
  const std::int64_t head = plant.Witnessed();
  auto res = plant.Call(plant.relatorios, http::Method::Get, "/v1/relatorios/auditoria/exportacao?servico=estoque", "",
                        plant.Token("auditor"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_NE(res.headers.GetOr("Content-Type", "").find("application/x-ndjson"), std::string::npos);
  const std::string dir = "/tmp/pharmasys-test-keys/export-" + ids::RandomHex(4);
  std::filesystem::create_directories(dir);
  auto verify = [&](const std::string& text) {
    const std::string file = dir + "/trilha.ndjson";
    std::ofstream(file) << text;
    ChildProcess verifier(PHARMASYS_AUDIT_VERIFY_BIN, {}, {"--chaves", plant.trusted_keys(), file});
    int rc = verifier.Wait(30s);
    return std::make_pair(rc, verifier.Stdout());
  };
  auto [rc, out] = verify(res.body);
  EXPECT_EQ(rc, 0) << out;
  auto report = json::Parse(out);
  ASSERT_EQ(report.at("servicos").as_array().size(), 1u) << out;
  const auto& estoque = report.at("servicos").as_array()[0];
  EXPECT_EQ(estoque.at("registros").as_int64(), head);
  EXPECT_GE(estoque.at("checkpoints_validos").as_int64(), 1);
  // One field changed in one record: the offline check names it.
  std::string edited;
  std::istringstream lines(res.body);
  for (std::string line; std::getline(lines, line);) {
    auto value = json::Parse(line).as_object();
    if (auto* r = value.if_contains("registro"); r && r->at("sequencia").as_int64() == 2) {
      r->as_object()["entidade_id"] = "outro";
      line = json::Serialize(value);
    }
    edited += line + "\n";
  }
  auto [rc2, out2] = verify(edited);
  EXPECT_EQ(rc2, 1) << out2;
  EXPECT_EQ(json::Parse(out2).at("servicos").as_array()[0].at("primeiro_registro_invalido").as_int64(), 2) << out2;
  // The last record left out: the checkpoint that witnessed it says so.
  std::string cut = res.body;
  auto last = cut.rfind("{\"registro\":");
  cut.erase(last, cut.find('\n', last) + 1 - last);
  auto [rc3, out3] = verify(cut);
  EXPECT_EQ(rc3, 1) << out3;
  EXPECT_NE(out3.find("cauda-ausente"), std::string::npos) << out3;
}

// proves: A8
TEST(AuditWitness, ACheckpointWithAForgedSignatureCountsForNothing) {
  WitnessedPlant plant;
  plant.Activity();
  const std::int64_t head = plant.Witnessed();
  // Someone who can publish claims a longer chain, signed with a key nobody trusts.
  auto forger = "/tmp/pharmasys-test-keys/forger-" + ids::RandomHex(4);
  audit::NewSigningKey(forger);
  audit::CheckpointSigner signer(forger);
  audit::Checkpoint fake{
      .servico = "estoque", .sequencia = head + 50, .hash = std::string(64, 'a'), .em = clock::NowRfc3339()};
  signer.Sign(fake);
  plant.PublishEvent(events::Event::New("auditoria.checkpoint", "estoque",
                                        object{{"servico", fake.servico},
                                               {"sequencia", fake.sequencia},
                                               {"hash", fake.hash},
                                               {"em", fake.em},
                                               {"chave_id", fake.chave_id},
                                               {"assinatura", fake.assinatura}}));
  boost::json::object estoque;
  ASSERT_TRUE(Eventually(
      [&] {
        estoque = WitnessedPlant::EntryOf(plant.Verification(), "estoque");
        return estoque.at("checkpoints_invalidos").as_int64() == 1;
      },
      20s))
      << json::Serialize(estoque);
  EXPECT_TRUE(estoque.at("integra").as_bool()) << json::Serialize(estoque);
  EXPECT_EQ(estoque.at("checkpoint").at("sequencia").as_int64(), head);
}

// ---- The batch record from the read models -----------------------------------------------------

// proves: B8
TEST_F(Relatorios, TheBatchRecordIsBuiltFromProducaosEventsAlone) {
  const std::string op = ids::NewUuidV7(), receita = ids::NewUuidV7(), registro = ids::NewUuidV7();
  const std::string insumo = Lot("MP", std::nullopt, "2028-01-01");
  const std::string insumo_code = CodeOf(insumo);
  const array etapas{
      object{{"ordem", 1},
             {"nome", "Granulação"},
             {"parametros", array{object{{"nome", "umidade"}, {"unidade", "%"}, {"minimo", 2}, {"maximo", 5}}}}}};
  auto status = [&](const char* para, boost::json::value de, object extra) {
    object d{{"op_id", op},
             {"codigo", "OP-2026-900001"},
             {"produto", "PA"},
             {"status", para},
             {"status_anterior", de},
             {"quantidade", 100},
             {"receita_id", receita},
             {"receita_versao", 1},
             {"etapas", etapas},
             {"criado_por", "gestor"},
             {"criado_em", "2026-11-29T10:00:00.000Z"},
             {"status_antes_do_bloqueio", nullptr},
             {"desvios_abertos", 0},
             {"motivo_cancelamento", nullptr},
             {"iniciada_em", nullptr},
             {"concluida_em", nullptr},
             {"cancelada_em", nullptr}};
    for (auto& [k, v] : extra) d[k] = v;
    auto e = events::Event::New("op.status_alterado", "producao", d, {"s-1", "gestor"});
    std::this_thread::sleep_for(5ms);  // each change a later instant than the one before
    return e;
  };
  // Out of order: the step record, then the start, and only then the creation.
  r.PublishEvent(
      events::Event::New("etapa.registrada", "producao",
                         {{"op_id", op},
                          {"registro_id", registro},
                          {"ordem", 1},
                          {"parametros", object{{"umidade", 5.5}}},
                          {"fora_dos_limites", array{object{{"parametro", "umidade"}, {"valor", 5.5}, {"maximo", 5}}}},
                          {"motivo", "Secador em manutenção"},
                          {"observacao", nullptr},
                          {"registrado_por", "gestor"},
                          {"registrado_em", "2026-11-29T10:05:00.000Z"}},
                         {"s-1", "gestor"}));
  auto criada = status("planejada", nullptr, {{"versao", 1}});
  auto iniciada = status("em_execucao", "planejada", {{"iniciada_em", "2026-11-29T10:01:00.000Z"}, {"versao", 2}});
  r.PublishEvent(iniciada);
  r.PublishEvent(criada);
  const std::string consumo = ids::NewUuidV7(), estoque_consumo = ids::NewUuidV7();
  r.PublishEvent(events::Event::New(
      "insumos.consumidos", "producao",
      {{"op_id", op},
       {"consumo_id", consumo},
       {"material", "MP"},
       {"lotes",
        array{
            object{{"lote_id", insumo}, {"lote_codigo", insumo_code}, {"quantidade", 5}, {"validade", "2028-01-01"}}}},
       {"quantidade", 5},
       {"estoque_consumo_id", estoque_consumo},
       {"criado_por", "gestor"},
       {"criado_em", "2026-11-29T10:06:00.000Z"}},
      {"s-1", "gestor"}));
  boost::json::value record;
  ASSERT_TRUE(Eventually(
      [&] {
        auto res = r.GetAs("/v1/relatorios/ordens-producao/" + op, "auditor");
        if (res.status != 200) return false;
        record = json::Parse(res.body);
        const auto& o = record.at("ordem_producao");
        return Str(o, "status") == "em_execucao" && o.at("receita_versao").is_int64() &&
               !o.at("consumos").as_array().empty() && o.at("etapas").at(0).at("registro").is_object();
      },
      20s))
      << json::Serialize(record);
  const auto& o = record.at("ordem_producao");
  EXPECT_EQ(Str(o, "codigo"), "OP-2026-900001");
  EXPECT_EQ(Num(o, "quantidade"), Q("100"));
  EXPECT_EQ(Str(o, "receita_id"), receita);
  EXPECT_EQ(Str(o, "criado_em"), "2026-11-29T10:00:00.000Z");
  EXPECT_EQ(Str(o, "iniciada_em"), "2026-11-29T10:01:00.000Z");
  EXPECT_EQ(o.at("versao").as_int64(), 2);  // the later change wins whatever the order of arrival
  EXPECT_EQ(Str(o.at("etapas").at(0), "nome"), "Granulação");
  const auto& reg = o.at("etapas").at(0).at("registro");
  EXPECT_EQ(Str(reg, "id"), registro);
  EXPECT_TRUE(reg.at("sinalizado").as_bool());
  EXPECT_EQ(Str(reg, "motivo"), "Secador em manutenção");
  EXPECT_EQ(Num(reg.at("parametros"), "umidade"), Q("5.5"));
  const auto& c = o.at("consumos").at(0);
  EXPECT_EQ(Str(c, "consumo_id"), consumo);
  EXPECT_EQ(Str(c, "estoque_consumo_id"), estoque_consumo);
  EXPECT_EQ(Str(c.at("lotes").at(0), "validade"), "2028-01-01");
  EXPECT_EQ(Num(c.at("lotes").at(0), "quantidade"), Q("5"));
  EXPECT_EQ(record.at("historico_status").as_array().size(), 2u);
  EXPECT_EQ(r.GetAs("/v1/relatorios/ordens-producao/" + ids::NewUuidV7(), "auditor").status, 404);
}

// ---- The verification asks every service at once, within a bound below the gateway's ----------

// A service's GET /auditoria/verificacao that answers an empty, intact chain after `delay`.
class SlowAuditSource {
 public:
  explicit SlowAuditSource(std::string servico, std::chrono::milliseconds delay) {
    router_.Get("/auditoria/verificacao", [servico, delay](http::Request&) {
      std::this_thread::sleep_for(delay);
      return http::Response::Json(200, object{{"servico", servico},
                                              {"registros", 0},
                                              {"pendentes", 0},
                                              {"integra", true},
                                              {"ultima_sequencia", 0},
                                              {"ultimo_hash", nullptr}});
    });
    http::ServerOptions options;
    options.address = "127.0.0.1";
    options.shutdown_grace = std::chrono::milliseconds(500);
    server_ = std::make_unique<http::Server>(options, [this](http::Request& r) { return router_.Dispatch(r); });
    server_->Start();
    url_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  const std::string& url() const { return url_; }
  void Stop() { server_->Stop(); }

 private:
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::string url_;
};

std::chrono::milliseconds Timed(const std::function<void()>& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

// proves: A3
TEST(AuditVerification, FourSlowServicesTakeAboutTheSlowestNotTheSum) {
  std::vector<std::unique_ptr<SlowAuditSource>> sources;
  std::string config;
  // Not "auth": the real Auth of the fixture publishes its own trail, which would not match a stub.
  for (const char* servico : {"laboratorio", "producao", "cq", "estoque"}) {
    sources.push_back(std::make_unique<SlowAuditSource>(servico, 3s));
    config += std::string(config.empty() ? "" : ",") + servico + "=" + sources.back()->url();
  }
  ServiceUnderTest plant(PHARMASYS_RELATORIOS_BIN, {}, {"PHARMASYS_AUDIT_SOURCES=" + config});
  boost::json::value report;
  const auto took = Timed([&] { report = plant.GetJson("/v1/relatorios/auditoria/verificacao", "auditor"); });
  EXPECT_GE(took, 3s);
  EXPECT_LT(took, 6s) << "asked one after another, the four would take 12 s";
  EXPECT_TRUE(report.at("integra").as_bool()) << json::Serialize(report);
  const auto& servicos = report.at("servicos").as_array();
  ASSERT_EQ(servicos.size(), 5u);
  const std::array<const char*, 5> order{"laboratorio", "producao", "cq", "estoque", "relatorios"};
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(Str(servicos[i], "servico"), order[i]);
    EXPECT_TRUE(servicos[i].at("integra").as_bool()) << json::Serialize(servicos[i]);
  }
}

// proves: A3
TEST(AuditVerification, AServiceKilledOrHungIsNamedAndTheReportComesWithinTheBound) {
  SlowAuditSource laboratorio("laboratorio", 0ms), hung("cq", 8s), estoque("estoque", 100ms);
  SlowAuditSource producao("producao", 0ms);
  producao.Stop();  // gone: nothing listens on its port any more
  ServiceUnderTest plant(PHARMASYS_RELATORIOS_BIN, {},
                         {"PHARMASYS_AUDIT_VERIFY_TIMEOUT=2s",
                          "PHARMASYS_AUDIT_SOURCES=laboratorio=" + laboratorio.url() + ",producao=" + producao.url() +
                              ",cq=" + hung.url() + ",estoque=" + estoque.url()});
  http::ClientResponse res;
  const auto took = Timed([&] { res = plant.GetAs("/v1/relatorios/auditoria/verificacao", "auditor"); });
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_LT(took, 4s) << "the bound is 2 s";
  auto report = json::Parse(res.body);
  EXPECT_FALSE(report.at("integra").as_bool());
  std::map<std::string, object> entries;
  for (const auto& e : report.at("servicos").as_array()) entries[Str(e, "servico")] = e.as_object();
  for (const std::string servico : {"producao", "cq"}) {
    const auto& e = entries.at(servico);
    EXPECT_FALSE(e.at("integra").as_bool()) << servico;
    EXPECT_TRUE(e.at("sem_resposta").as_bool()) << servico;
    bool named = false;
    for (const auto& a : e.at("achados").as_array()) {
      named |= Str(a, "tipo") == "sem-resposta" && Str(a, "descricao").find(servico) != std::string::npos;
    }
    EXPECT_TRUE(named) << json::Serialize(e);
  }
  EXPECT_NE(Str(entries.at("cq"), "motivo").find("prazo"), std::string::npos) << json::Serialize(entries.at("cq"));
  for (const std::string servico : {"laboratorio", "estoque", "relatorios"}) {
    EXPECT_TRUE(entries.at(servico).at("integra").as_bool()) << json::Serialize(entries.at(servico));
    EXPECT_FALSE(entries.at(servico).contains("sem_resposta"));
  }
}

}  // namespace
}  // namespace pharmasys
