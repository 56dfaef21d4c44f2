// The CQ service as a process, with the real Auth for tokens and signatures, on the test
// PostgreSQL and RabbitMQ. Lots and materials arrive as events, as Estoque and Produção send
// them.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdio>
#include <fstream>
#include <future>
#include <thread>

#include "http_support.hpp"
#include "list_support.hpp"
#include "pharmasys/amqp/amqp.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/json/fields.hpp"
#include "plant_support.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;
using namespace std::chrono_literals;
using boost::json::array;
using boost::json::object;

// Signatures live 8 s here (120 s in production) so that one test can watch one expire.
constexpr int kSignatureSeconds = 8;

class Lab : public ServiceUnderTest {
 public:
  static Lab& Get() {
    static Lab lab;
    return lab;
  }

 private:
  Lab()
      : ServiceUnderTest(PHARMASYS_CQ_BIN,
                         {"PHARMASYS_AUTH_SIGNATURE_TTL=" + std::to_string(kSignatureSeconds) + "s"}) {}
};

class Cq : public ::testing::Test {
 protected:
  Lab& lab = Lab::Get();

  // A material in CQ's catalogue with a two-ensaio specification (pH 6.0–7.5, aspecto).
  std::string MaterialWithSpecification() {
    const std::string codigo = Unique("MP");
    lab.PublishEvent(events::Event::New("material.cadastrado", "estoque",
                                        {{"codigo", codigo},
                                         {"nome", "Lactose monoidratada"},
                                         {"tipo", "insumo"},
                                         {"unidade", "kg"},
                                         {"prazo_validade_dias", 720},
                                         {"vida_util_minima_expedicao_dias", 30}},
                                        {"s-estoquista", "estoquista"}));
    EXPECT_TRUE(Eventually(
        [&] {
          auto res = Specify(codigo, array{object{{"codigo", "PH"},
                                                  {"nome", "Potencial hidrogeniônico"},
                                                  {"minimo", json::Parse("6.0")},
                                                  {"maximo", json::Parse("7.5")}},
                                           object{{"codigo", "ASP"}, {"nome", "Aspecto"}, {"esperado", "Pó branco"}}});
          return res.status == 200;
        },
        20s));
    return codigo;
  }
  http::ClientResponse Specify(const std::string& material, array ensaios, const std::string& user = "analista") {
    return lab.Send(http::Method::Put, "/v1/especificacoes/" + material, object{{"ensaios", std::move(ensaios)}}, user);
  }
  events::Event LoteCriado(const std::string& material, std::optional<std::string> op_id = std::nullopt) {
    object dados{{"lote_id", ids::NewUuidV7()},
                 {"codigo", Unique("L")},
                 {"material", material},
                 {"quantidade", 100},
                 {"unidade", "kg"},
                 {"validade", "2028-06-30"},
                 {"origem", op_id ? "producao" : "recebimento"}};
    if (op_id) {
      dados["op_id"] = *op_id;
      dados["data_fabricacao"] = "2026-11-20";
    } else {
      dados["fornecedor"] = "Fornecedor Alfa";
      dados["lote_fornecedor"] = "F-77";
    }
    return events::Event::New("lote.criado", op_id ? "producao" : "estoque", std::move(dados),
                              {"s-estoquista", "estoquista"});
  }
  // The lot's sample, once the lote.criado has been consumed.
  boost::json::value SampleOf(const std::string& lote_id) {
    boost::json::value sample;
    EXPECT_TRUE(Eventually(
        [&] {
          auto items = lab.GetJson("/v1/amostras?lote_id=" + lote_id, "analista").at("items").as_array();
          if (items.empty()) return false;
          sample = items[0];
          return true;
        },
        20s));
    return sample;
  }
  // A lot with its sample collected and both results entered by `analista` (conforming unless
  // told otherwise).
  struct Analysed {
    std::string lote_id, lote_codigo, amostra_id, material;
  };
  Analysed Analyse(const char* ph = "6.8", const char* aspecto = "pó branco",
                   std::optional<std::string> op_id = std::nullopt) {
    auto material = MaterialWithSpecification();
    auto e = LoteCriado(material, op_id);
    lab.PublishEvent(e);
    auto sample = SampleOf(Str(e.dados, "lote_id"));
    const std::string id = Str(sample, "id");
    EXPECT_EQ(
        lab.Post("/v1/amostras/" + id + "/coleta", object{{"quantidade", 0.25}, {"observacao", "3 pontos"}}, "analista")
            .status,
        200);
    if (ph) {
      auto r = lab.Post("/v1/amostras/" + id + "/resultados", object{{"ensaio", "PH"}, {"valor", json::Parse(ph)}},
                        "analista");
      EXPECT_EQ(r.status, 201) << r.body;
    }
    if (aspecto) {
      EXPECT_EQ(
          lab.Post("/v1/amostras/" + id + "/resultados", object{{"ensaio", "ASP"}, {"valor", aspecto}}, "analista")
              .status,
          201);
    }
    return {Str(e.dados, "lote_id"), Str(e.dados, "codigo"), id, material};
  }
  http::ClientResponse Laudo(const std::string& amostra_id, const std::string& decisao, const std::string& user,
                             std::optional<std::string> signature = std::nullopt,
                             std::optional<std::string> motivo = std::nullopt) {
    if (!signature) {
      signature = lab.Signature(user, "amostra:" + amostra_id, decisao == "aprovado" ? "aprovacao" : "reprovacao");
    }
    object body{{"amostra_id", amostra_id}, {"decisao", decisao}, {"observacao", "Análise completa."}};
    if (motivo) body["motivo"] = *motivo;
    return lab.Post("/v1/laudos", body, user, {{"X-Assinatura", *signature}});
  }
  std::string LotStatus(const std::string& lote_id) {
    return Str(lab.GetJson("/v1/cq/lotes/" + lote_id, "auditor"), "status");
  }
};

TEST_F(Cq, OneSamplePerLotEvenWhenLoteCriadoIsDeliveredThreeTimes) {
  auto material = MaterialWithSpecification();
  auto e = LoteCriado(material);
  lab.PublishEvent(e);
  lab.PublishEvent(e);
  lab.PublishEvent(e);
  // And the same lot announced again under a new event id (a producer's retry).
  auto again = events::Event::New("lote.criado", "estoque", e.dados, e.usuario);
  lab.PublishEvent(again);
  auto sample = SampleOf(Str(e.dados, "lote_id"));
  EXPECT_EQ(Str(sample, "status"), "aguardando_coleta");
  ASSERT_TRUE(Eventually(
      [&] {
        return lab.db()
                   .Exec(pg::Query{"t_inbox", "SELECT count(*) FROM eventos_processados WHERE id = ANY($1::uuid[])"},
                         pg::Params("{" + e.id + "," + again.id + "}"))
                   .Single()
                   .Int(0) == 2;
      },
      20s));
  auto count = lab.db()
                   .Exec(pg::Query{"t_samples", "SELECT count(*) FROM amostras WHERE lote_id = $1::uuid"},
                         pg::Params(Str(e.dados, "lote_id")))
                   .Single()
                   .Int(0);
  EXPECT_EQ(count, 1);
  EXPECT_EQ(LotStatus(Str(e.dados, "lote_id")), "quarentena");
}

// proves: B1 S1 S3
TEST_F(Cq, ASignedApprovalReleasesTheLotAndPublishesTheLaudoWithItsSignature) {
  lab.Drain("estoque.eventos");
  auto a = Analyse();
  auto res = Laudo(a.amostra_id, "aprovado", "analista2");
  ASSERT_EQ(res.status, 201) << res.body;
  auto laudo = json::Parse(res.body);
  EXPECT_EQ(Str(laudo, "decisao"), "aprovado");
  EXPECT_EQ(Str(laudo.at("assinatura"), "nome"), "Segunda Analista de CQ Demo");
  EXPECT_EQ(Str(laudo.at("assinatura"), "significado"), "aprovacao");
  EXPECT_EQ(LotStatus(a.lote_id), "liberado");
  EXPECT_EQ(Str(lab.GetJson("/v1/amostras/" + a.amostra_id, "analista"), "status"), "concluida");

  std::vector<events::Event> seen;
  ASSERT_TRUE(Eventually(
      [&] {
        for (auto& e : lab.Drain("estoque.eventos")) seen.push_back(e);
        return std::any_of(seen.begin(), seen.end(), [&](auto& e) { return e.tipo == "laudo.emitido"; });
      },
      20s));
  auto emitted = *std::find_if(seen.begin(), seen.end(), [](auto& e) { return e.tipo == "laudo.emitido"; });
  EXPECT_EQ(Str(emitted.dados, "lote_id"), a.lote_id);
  EXPECT_EQ(Str(emitted.dados, "lote_codigo"), a.lote_codigo);
  EXPECT_EQ(Str(emitted.dados, "decisao"), "aprovado");
  EXPECT_EQ(Str(emitted.dados.at("assinatura"), "nome"), "Segunda Analista de CQ Demo");
  EXPECT_EQ(Str(emitted.dados.at("assinatura"), "significado"), "aprovacao");
  EXPECT_FALSE(Str(emitted.dados.at("assinatura"), "em").empty());

  // A concluded sample takes no second laudo, even with a fresh signature.
  EXPECT_EQ(Laudo(a.amostra_id, "reprovado", "analista2", std::nullopt, "segunda opinião").status, 409);
}

TEST_F(Cq, AnApprovalWithAMissingOrNonConformingResultIsOutOfSpecification) {
  auto missing = Analyse("6.8", nullptr);
  auto res = Laudo(missing.amostra_id, "aprovado", "analista2");
  EXPECT_EQ(res.status, 422) << res.body;
  EXPECT_EQ(Slug(res), "fora-de-especificacao");
  EXPECT_NE(res.body.find("ASP"), std::string::npos);

  auto out = Analyse("7.501");
  auto oos = Laudo(out.amostra_id, "aprovado", "analista2");
  EXPECT_EQ(oos.status, 422);
  EXPECT_EQ(Slug(oos), "fora-de-especificacao");
  EXPECT_EQ(LotStatus(out.lote_id), "quarentena");
  // Rejecting it is allowed, with a motivo.
  EXPECT_EQ(Laudo(out.amostra_id, "reprovado", "analista2").status, 422);
  auto rejected = Laudo(out.amostra_id, "reprovado", "analista2", std::nullopt, "pH acima do limite");
  ASSERT_EQ(rejected.status, 201) << rejected.body;
  EXPECT_EQ(LotStatus(out.lote_id), "reprovado");
}

TEST_F(Cq, ResultsAreJudgedAtEntryAndAtTheBoundary) {
  auto material = MaterialWithSpecification();
  auto e = LoteCriado(material);
  lab.PublishEvent(e);
  auto id = Str(SampleOf(Str(e.dados, "lote_id")), "id");
  const std::string path = "/v1/amostras/" + id + "/resultados";
  EXPECT_EQ(lab.Post(path, object{{"ensaio", "PH"}, {"valor", 7}}, "analista").status, 409);  // not collected
  ASSERT_EQ(lab.Post("/v1/amostras/" + id + "/coleta", object{{"quantidade", 1}}, "analista").status, 200);
  auto edge = lab.Post(path, object{{"ensaio", "PH"}, {"valor", json::Parse("7.5")}}, "analista");
  ASSERT_EQ(edge.status, 201) << edge.body;
  EXPECT_TRUE(json::Parse(edge.body).at("conforme").as_bool());
  EXPECT_FALSE(json::Parse(edge.body).at("fora_de_especificacao").as_bool());
  // A correction needs a motivo; the new value replaces the old one as current.
  EXPECT_EQ(lab.Post(path, object{{"ensaio", "PH"}, {"valor", 8}}, "analista").status, 422);
  auto corrected = lab.Post(path, object{{"ensaio", "PH"}, {"valor", 8}, {"motivo", "erro de digitação"}}, "analista");
  ASSERT_EQ(corrected.status, 201);
  EXPECT_FALSE(json::Parse(corrected.body).at("conforme").as_bool());
  EXPECT_TRUE(json::Parse(corrected.body).at("fora_de_especificacao").as_bool());
  auto sample = lab.GetJson("/v1/amostras/" + id, "gestor");
  EXPECT_EQ(sample.at("resultados").as_array().size(), 1u);
  EXPECT_EQ(sample.at("historico_resultados").as_array().size(), 2u);
  EXPECT_EQ(Str(sample, "status"), "em_analise");
  // Wrong kind of value, unknown ensaio, too many decimals.
  EXPECT_EQ(lab.Post(path, object{{"ensaio", "ASP"}, {"valor", 3}}, "analista").status, 422);
  EXPECT_EQ(lab.Post(path, object{{"ensaio", "PH"}, {"valor", "alto"}, {"motivo", "xxx"}}, "analista").status, 422);
  EXPECT_EQ(lab.Post(path, object{{"ensaio", "NOPE"}, {"valor", 1}}, "analista").status, 422);
  EXPECT_EQ(
      lab.Post(path, object{{"ensaio", "PH"}, {"valor", json::Parse("6.0001")}, {"motivo", "xxx"}}, "analista").status,
      422);
  // The clerk does not read samples; a production manager does not enter results.
  EXPECT_EQ(lab.GetAs("/v1/amostras/" + id, "estoquista").status, 403);
  EXPECT_EQ(lab.Post(path, object{{"ensaio", "PH"}, {"valor", 7}}, "gestor").status, 403);
}

// proves: S2
TEST_F(Cq, TheAnalystWhoEnteredTheResultsCannotSignTheLaudo) {
  auto a = Analyse();
  auto res = Laudo(a.amostra_id, "aprovado", "analista");
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_EQ(Slug(res), "sem-permissao");
  EXPECT_EQ(LotStatus(a.lote_id), "quarentena");
}

// proves: S1
TEST_F(Cq, ASignatureForAnotherRecordExpiredOrReusedIsRefused) {
  auto a = Analyse();
  auto b = Analyse();
  auto other = lab.Signature("analista2", "amostra:" + b.amostra_id, "aprovacao");
  auto wrong_record = Laudo(a.amostra_id, "aprovado", "analista2", other);
  EXPECT_EQ(wrong_record.status, 403);
  EXPECT_EQ(Slug(wrong_record), "assinatura-invalida");
  auto wrong_meaning = lab.Signature("analista2", "amostra:" + a.amostra_id, "reprovacao");
  EXPECT_EQ(Slug(Laudo(a.amostra_id, "aprovado", "analista2", wrong_meaning)), "assinatura-invalida");
  auto someone_else = lab.Signature("admin", "amostra:" + a.amostra_id, "aprovacao");
  EXPECT_EQ(Slug(Laudo(a.amostra_id, "aprovado", "analista2", someone_else)), "assinatura-invalida");
  EXPECT_EQ(Slug(lab.Post("/v1/laudos", object{{"amostra_id", a.amostra_id}, {"decisao", "aprovado"}}, "analista2")),
            "assinatura-invalida");

  auto expiring = lab.Signature("analista2", "amostra:" + a.amostra_id, "aprovacao");
  std::this_thread::sleep_for(std::chrono::seconds(kSignatureSeconds + 3));  // past its life and the 2 s of skew
  auto expired = Laudo(a.amostra_id, "aprovado", "analista2", expiring);
  EXPECT_EQ(expired.status, 403);
  EXPECT_EQ(Slug(expired), "assinatura-invalida");

  // A valid one works, and is recorded as used.
  auto once = lab.Signature("analista2", "amostra:" + b.amostra_id, "aprovacao");
  ASSERT_EQ(Laudo(b.amostra_id, "aprovado", "analista2", once).status, 201);
  EXPECT_EQ(LotStatus(a.lote_id), "quarentena");
  auto used = lab.db()
                  .Exec(pg::Query{"t_used", "SELECT count(*) FROM assinaturas_usadas WHERE recurso = $1"},
                        pg::Params("amostra:" + b.amostra_id))
                  .Single()
                  .Int(0);
  EXPECT_EQ(used, 1);
}

// proves: S1
TEST_F(Cq, AReusedSignatureTokenIsRefused) {
  auto a = Analyse();
  auto token = lab.Signature("analista2", "amostra:" + a.amostra_id, "reprovacao");
  // First use fails for another reason (no motivo) and rolls back: the token is still unused.
  EXPECT_EQ(Laudo(a.amostra_id, "reprovado", "analista2", token).status, 422);
  ASSERT_EQ(Laudo(a.amostra_id, "reprovado", "analista2", token, "lacre rompido").status, 201);
  // Recorded as used with the committed laudo: presented again, it is refused as used.
  auto reused = Laudo(a.amostra_id, "reprovado", "analista2", token, "segunda vez");
  EXPECT_EQ(reused.status, 403);
  EXPECT_EQ(Slug(reused), "assinatura-invalida");
  EXPECT_NE(reused.body.find("já foi usada"), std::string::npos) << reused.body;
}

// proves: B3
TEST_F(Cq, AnOpenDeviationOnTheLotOrItsOrderBlocksApprovalUntilClosed) {
  lab.Drain("producao.eventos");
  const std::string op = ids::NewUuidV7();
  auto a = Analyse("6.8", "pó branco", op);
  auto opened =
      lab.Post("/v1/desvios",
               object{{"op_id", op}, {"classificacao", "maior"}, {"descricao", "Temperatura fora da faixa"}}, "gestor");
  ASSERT_EQ(opened.status, 201) << opened.body;
  const std::string desvio = Str(json::Parse(opened.body), "id");
  auto blocked = Laudo(a.amostra_id, "aprovado", "analista2");
  EXPECT_EQ(blocked.status, 409) << blocked.body;
  EXPECT_EQ(LotStatus(a.lote_id), "quarentena");
  EXPECT_EQ(lab.GetJson("/v1/cq/lotes/" + a.lote_id, "gestor").at("desvios_abertos").as_int64(), 1);

  const std::string close = "/v1/desvios/" + desvio + "/encerrar";
  object body{{"conclusao", "Sem impacto no produto"}, {"acao_corretiva", "Sensor recalibrado"}};
  EXPECT_EQ(lab.Post(close, body, "gestor").status, 403);  // only QC closes
  EXPECT_EQ(Slug(lab.Post(close, body, "analista")), "assinatura-invalida");
  auto closed =
      lab.Post(close, body, "analista", {{"X-Assinatura", lab.Signature("analista", "desvio:" + desvio, "revisao")}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Str(json::Parse(closed.body), "status"), "encerrado");
  EXPECT_EQ(Str(json::Parse(closed.body).at("assinatura"), "significado"), "revisao");
  // A produced lot: approved only once its OP's batch record is reviewed (RULES G1), which CQ
  // learns from op.revisada.
  auto unreviewed = Laudo(a.amostra_id, "aprovado", "analista2");
  EXPECT_EQ(unreviewed.status, 409) << unreviewed.body;
  EXPECT_EQ(Slug(unreviewed), "registro-de-lote-nao-revisado");
  lab.PublishEvent(
      events::NewEvent("producao", events::OpRevisada{.op_id = op,
                                                      .codigo = "OP-2026-000001",
                                                      .revisado_por = "Ana Analista",
                                                      .revisado_em = clock::NowRfc3339(),
                                                      .excecoes = 1,
                                                      .assinatura = {"Ana Analista", "revisao", clock::NowRfc3339()}}));
  ASSERT_TRUE(Eventually([&] { return Laudo(a.amostra_id, "aprovado", "analista2").status == 201; }, 20s));

  std::vector<std::string> tipos;
  ASSERT_TRUE(Eventually(
      [&] {
        for (auto& e : lab.Drain("producao.eventos")) {
          if (e.dados.contains("desvio_id") && Str(e.dados, "desvio_id") == desvio) tipos.push_back(e.tipo);
        }
        return tipos.size() == 2;
      },
      20s));
  EXPECT_EQ(tipos, (std::vector<std::string>{"desvio.aberto", "desvio.encerrado"}));
  auto list = lab.GetJson("/v1/desvios?status=encerrado&op_id=" + op, "auditor").at("items").as_array();
  ASSERT_EQ(list.size(), 1u);
}

// proves: B3
TEST_F(Cq, ADeviationOnTheLotItselfBlocksApproval) {
  auto a = Analyse();
  auto opened = lab.Post("/v1/desvios",
                         object{{"op_id", ids::NewUuidV7()},
                                {"lote_id", a.lote_id},
                                {"classificacao", "critico"},
                                {"descricao", "Embalagem violada no recebimento"}},
                         "analista");
  ASSERT_EQ(opened.status, 201);
  EXPECT_EQ(Laudo(a.amostra_id, "aprovado", "analista2").status, 409);
}

// An approval and a desvio on the same lot, sent at the same instant, round after round.
// Invariant (RULES B3): a laudo is approved only if every desvio on its lot or OP that is
// still open committed after the laudo did (pg_xact_commit_timestamp of the two rows; the
// test cluster runs with track_commit_timestamp). A desvio committed first makes it a 409 and
// the lot stays in quarantine.
// proves: B3
TEST_F(Cq, ADeviationOpenedWhileTheLotIsBeingApprovedIsSeenOrWaits) {
  constexpr int kRounds = 12;
  auto material = MaterialWithSpecification();
  const pg::Query kCommitOrder{"t_commit_order",
                               "SELECT pg_xact_commit_timestamp(d.xmin) > pg_xact_commit_timestamp(l.xmin)"
                               " FROM desvios d, laudos l WHERE d.id = $1::uuid AND l.id = $2::uuid"};
  int approved = 0, refused = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string op = ids::NewUuidV7();
    auto e = LoteCriado(material, op);
    lab.PublishEvent(e);
    const std::string lote_id = Str(e.dados, "lote_id");
    const std::string amostra = Str(SampleOf(lote_id), "id");
    ASSERT_EQ(lab.Post("/v1/amostras/" + amostra + "/coleta", object{{"quantidade", 0.25}}, "analista").status, 200);
    ASSERT_EQ(lab.Post("/v1/amostras/" + amostra + "/resultados", object{{"ensaio", "PH"}, {"valor", 6.8}}, "analista")
                  .status,
              201);
    ASSERT_EQ(lab.Post("/v1/amostras/" + amostra + "/resultados", object{{"ensaio", "ASP"}, {"valor", "pó branco"}},
                       "analista")
                  .status,
              201);
    const auto signature = lab.Signature("analista2", "amostra:" + amostra, "aprovacao");
    // Every other round the desvio names the lot itself, otherwise only its OP.
    object desvio{{"op_id", op}, {"classificacao", "maior"}, {"descricao", "Temperatura fora da faixa"}};
    if (round % 2 == 1) desvio["lote_id"] = lote_id;

    std::promise<void> gun;
    std::shared_future<void> fired = gun.get_future().share();
    auto laudo = std::async(std::launch::async, [&] {
      fired.wait();
      return Laudo(amostra, "aprovado", "analista2", signature);
    });
    auto opened = std::async(std::launch::async, [&, round] {
      fired.wait();
      std::this_thread::sleep_for(std::chrono::milliseconds(round % 4));  // different interleavings
      return lab.Post("/v1/desvios", desvio, "gestor");
    });
    gun.set_value();
    auto laudo_res = laudo.get();
    auto desvio_res = opened.get();
    ASSERT_EQ(desvio_res.status, 201) << desvio_res.body;
    const std::string desvio_id = Str(json::Parse(desvio_res.body), "id");
    if (laudo_res.status == 201) {
      ++approved;
      const std::string laudo_id = Str(json::Parse(laudo_res.body), "id");
      EXPECT_TRUE(lab.db().Exec(kCommitOrder, pg::Params(desvio_id, laudo_id)).Single().Bool(0))
          << "round " << round << ": lot approved although desvio " << desvio_id << " committed before laudo "
          << laudo_id;
      EXPECT_EQ(LotStatus(lote_id), "liberado");
    } else {
      ++refused;
      EXPECT_EQ(laudo_res.status, 409) << laudo_res.body;
      EXPECT_EQ(LotStatus(lote_id), "quarentena");
    }
  }
  EXPECT_EQ(approved + refused, kRounds);
}

// proves: S3
TEST_F(Cq, TheCertificateOfAnalysisIsAPdfWithLotResultsAndSignature) {
  auto a = Analyse("6.85", "Pó branco");
  auto res = Laudo(a.amostra_id, "aprovado", "analista2");
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string id = Str(json::Parse(res.body), "id");
  auto pdf = lab.GetAs("/v1/laudos/" + id, "estoquista", {{"Accept", "application/pdf"}});
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.headers.GetOr("Content-Type", ""), "application/pdf");
  ASSERT_TRUE(pdf.body.starts_with("%PDF-"));
  const std::string text = PdfText(pdf.body);
  EXPECT_NE(text.find("CERTIFICADO DE ANÁLISE"), std::string::npos) << text;
  EXPECT_NE(text.find(a.lote_codigo), std::string::npos) << text;
  EXPECT_NE(text.find(a.material), std::string::npos);
  EXPECT_NE(text.find("6,85"), std::string::npos) << text;  // the pH result
  EXPECT_NE(text.find("6 a 7,5"), std::string::npos);       // against its limits
  EXPECT_NE(text.find("Pó branco"), std::string::npos);     // the qualitative one
  EXPECT_NE(text.find("APROVADO"), std::string::npos);
  EXPECT_NE(text.find("30/06/2028"), std::string::npos) << text;  // the lot's validade, as a Brazilian date
  EXPECT_NE(text.find(" UTC"), std::string::npos);                // the signature's instant
  EXPECT_NE(text.find("Segunda Analista de CQ Demo"), std::string::npos) << text;
  EXPECT_NE(text.find("aprovação"), std::string::npos);
  // JSON by default.
  auto plain = lab.GetAs("/v1/laudos/" + id, "auditor");
  EXPECT_EQ(Str(json::Parse(plain.body), "decisao"), "aprovado");
}

// proves: B5
TEST_F(Cq, ASignedRecallBlocksTheLotAndIsPublished) {
  lab.Drain("estoque.eventos");
  auto a = Analyse();
  ASSERT_EQ(Laudo(a.amostra_id, "aprovado", "analista2").status, 201);
  object body{{"lote_id", a.lote_id}, {"motivo", "Reclamação de cliente: partículas"}};
  EXPECT_EQ(Slug(lab.Post("/v1/recolhimentos", body, "analista")), "assinatura-invalida");
  auto wrong = lab.Signature("analista", "lote:" + a.lote_id, "aprovacao");
  EXPECT_EQ(Slug(lab.Post("/v1/recolhimentos", body, "analista", {{"X-Assinatura", wrong}})), "assinatura-invalida");
  auto recall = lab.Post("/v1/recolhimentos", body, "analista",
                         {{"X-Assinatura", lab.Signature("analista", "lote:" + a.lote_id, "recolhimento")}});
  ASSERT_EQ(recall.status, 201) << recall.body;
  EXPECT_EQ(LotStatus(a.lote_id), "recolhido");
  auto status = lab.GetJson("/v1/cq/lotes/" + a.lote_id, "estoquista");
  EXPECT_EQ(Str(status.at("recolhimento"), "motivo"), "Reclamação de cliente: partículas");
  EXPECT_EQ(status.at("laudos").as_array().size(), 1u);
  EXPECT_EQ(status.at("amostras").as_array().size(), 1u);
  auto again = lab.Post("/v1/recolhimentos", body, "analista",
                        {{"X-Assinatura", lab.Signature("analista", "lote:" + a.lote_id, "recolhimento")}});
  EXPECT_EQ(again.status, 409);
  ASSERT_TRUE(Eventually(
      [&] {
        auto events = lab.Drain("estoque.eventos");
        return std::any_of(events.begin(), events.end(),
                           [&](auto& e) { return e.tipo == "lote.recolhido" && Str(e.dados, "lote_id") == a.lote_id; });
      },
      20s));
}

TEST_F(Cq, ASampleKeepsTheSpecificationVersionOfItsFirstResult) {
  auto a = Analyse("6.8", nullptr);
  // Tighten the specification after the first result: the sample stays on version 1.
  auto v2 = Specify(a.material, array{object{{"codigo", "PH"}, {"nome", "pH"}, {"minimo", 6.9}, {"maximo", 7.0}}});
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_EQ(json::Parse(v2.body).at("versao").as_int64(), 2);
  EXPECT_EQ(lab.GetJson("/v1/especificacoes/" + a.material, "auditor").at("versao").as_int64(), 2);
  EXPECT_EQ(lab.GetJson("/v1/especificacoes/" + a.material + "?versao=1", "auditor").at("versao").as_int64(), 1);
  auto aspecto = lab.Post("/v1/amostras/" + a.amostra_id + "/resultados",
                          object{{"ensaio", "ASP"}, {"valor", "pó branco"}}, "analista");
  ASSERT_EQ(aspecto.status, 201) << aspecto.body;  // ASP exists in version 1 only
  EXPECT_EQ(json::Parse(aspecto.body).at("especificacao_versao").as_int64(), 1);
  EXPECT_EQ(Laudo(a.amostra_id, "aprovado", "analista2").status, 201);  // 6.8 conforms to version 1
  // Bad specifications are refused field by field; only analysts write them; If-Match guards.
  auto bad = Specify(a.material, array{object{{"codigo", "X"}, {"nome", "x"}}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Specify(a.material, array{object{{"codigo", "PH"}, {"nome", "pH"}, {"minimo", 1}}}, "gestor").status, 403);
  auto stale = lab.Send(http::Method::Put, "/v1/especificacoes/" + a.material,
                        object{{"ensaios", array{object{{"codigo", "PH"}, {"nome", "pH"}, {"minimo", 1}}}}}, "analista",
                        {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(Specify("NAO-EXISTE", array{object{{"codigo", "PH"}, {"nome", "pH"}, {"minimo", 1}}}).status, 404);
}

// proves: B6
TEST_F(Cq, ReturnsShowUpForEvaluation) {
  auto a = Analyse();
  const std::string devolucao = ids::NewUuidV7();
  lab.PublishEvent(events::Event::New("devolucao.registrada", "estoque",
                                      {{"devolucao_id", devolucao},
                                       {"expedicao_id", ids::NewUuidV7()},
                                       {"lote_id", a.lote_id},
                                       {"quantidade", 2.5},
                                       {"motivo", "embalagem avariada"}},
                                      {"s-estoquista", "estoquista"}));
  ASSERT_TRUE(Eventually(
      [&] {
        auto items = lab.GetJson("/v1/cq/devolucoes?lote_id=" + a.lote_id, "analista").at("items").as_array();
        return items.size() == 1 && Str(items[0], "devolucao_id") == devolucao;
      },
      20s));
  auto status = lab.GetJson("/v1/cq/lotes/" + a.lote_id, "analista");
  EXPECT_EQ(status.at("devolucoes").as_array().size(), 1u);
}

TEST_F(Cq, SamplesDeviationsAndReturnsListNewestFirstAcrossPages) {
  auto material = MaterialWithSpecification();
  std::vector<std::string> amostras, lotes;
  for (int i = 0; i < 3; ++i) {  // one at a time, so the samples are made in this order
    auto e = LoteCriado(material);
    lab.PublishEvent(e);
    lotes.push_back(Str(e.dados, "lote_id"));
    amostras.push_back(Str(SampleOf(lotes.back()), "id"));
  }
  const std::string op = ids::NewUuidV7();
  std::vector<std::string> desvios;
  for (const char* classificacao : {"menor", "maior", "critico"}) {
    auto res =
        lab.Post("/v1/desvios",
                 object{{"op_id", op}, {"classificacao", classificacao}, {"descricao", "Desvio de teste"}}, "analista");
    ASSERT_EQ(res.status, 201) << res.body;
    desvios.push_back(Str(json::Parse(res.body), "id"));
  }
  std::vector<std::string> devolucoes;
  for (const std::string& lote_id : lotes) {
    devolucoes.push_back(ids::NewUuidV7());
    lab.PublishEvent(events::Event::New("devolucao.registrada", "estoque",
                                        {{"devolucao_id", devolucoes.back()},
                                         {"expedicao_id", ids::NewUuidV7()},
                                         {"lote_id", lote_id},
                                         {"quantidade", 1},
                                         {"motivo", "embalagem avariada"}},
                                        {"s-estoquista", "estoquista"}));
  }
  ASSERT_TRUE(Eventually(
      [&] { return lab.GetJson("/v1/cq/devolucoes", "analista").at("items").as_array().size() == devolucoes.size(); },
      20s));

  auto get = [&](const std::string& target) { return lab.GetJson(target, "analista"); };
  ExpectNewestFirst(get, "/v1/amostras", amostras);
  ExpectNewestFirst(get, "/v1/amostras?status=aguardando_coleta", amostras);
  ExpectNewestFirst(get, "/v1/desvios?op_id=" + op, desvios);
  ExpectNewestFirst(get, "/v1/cq/devolucoes", devolucoes,
                    [](const object& item) { return std::string(item.at("devolucao_id").as_string()); });
  for (const char* path : {"/v1/amostras?ordem=newest", "/v1/desvios?ordem=2", "/v1/cq/devolucoes?ordem=ascending"}) {
    ExpectOrdemRefused(lab.GetAs(path, "analista"));
  }
}

// RULES.md R1 for CQ: killed with -9 while a burst of lots (each announced twice) arrives; after
// the restart every lot has exactly one sample, created (and audited) once.
// proves: R1
TEST_F(Cq, AKill9DuringABurstOfLotsLeavesExactlyOneSampleEach) {
  auto material = MaterialWithSpecification();
  std::vector<events::Event> lots;
  std::vector<amqp::Message> burst;
  for (int i = 0; i < 30; ++i) {
    lots.push_back(LoteCriado(material));
    for (int copy = 0; copy < 2; ++copy) {
      const auto& e = lots.back();
      burst.push_back({.routing_key = e.tipo, .body = json::Serialize(e.ToJson()), .message_id = e.id, .type = e.tipo});
    }
  }
  lab.Channel()->PublishConfirmed(burst, 10s);
  std::this_thread::sleep_for(30ms);
  lab.Kill(lab.base());
  lab.Restart(lab.base());
  auto count = [&](const char* name, const char* sql) {
    return lab.db().Exec(pg::Query{name, sql}, pg::Params(material)).Single().Int(0);
  };
  ASSERT_TRUE(Eventually(
      [&] {
        return count("t_burst_samples",
                     "SELECT count(*) FROM amostras a JOIN lotes l ON l.id = a.lote_id WHERE l.material = $1") == 30;
      },
      30s));
  std::this_thread::sleep_for(500ms);  // the duplicates have been delivered too by now
  EXPECT_EQ(count("t_burst_samples2",
                  "SELECT count(*) FROM amostras a JOIN lotes l ON l.id = a.lote_id WHERE l.material = $1"),
            30);
  EXPECT_EQ(count("t_burst_audit",
                  "SELECT count(*) FROM auditoria_registro r JOIN amostras a ON a.id::text = r.entidade_id"
                  " JOIN lotes l ON l.id = a.lote_id WHERE r.acao = 'amostra.criada' AND l.material = $1"),
            30);
}

// RULES.md B9: the sample counter outgrows its six digits. The code grows a digit instead of
// being cut back onto an existing one (AM-1000000 is not AM-100000), and the lote.criado that
// creates it is consumed like any other: nothing goes to the dead letters.
// proves: B9
TEST_F(Cq, ASampleCodeGrowsADigitPastItsPaddingAndItsLotCriadoIsStillConsumed) {
  lab.Drain("cq.eventos.dlq");
  auto& database = lab.DatabaseOf(lab.base());
  auto material = MaterialWithSpecification();
  auto sample_for = [&](std::int64_t after) {
    database.Superuser("SELECT setval('amostra_seq', " + std::to_string(after) + ")");
    auto e = LoteCriado(material);
    lab.PublishEvent(e);
    return std::pair{e.id, Str(SampleOf(Str(e.dados, "lote_id")), "codigo")};
  };
  auto [first_event, earlier] = sample_for(99999);
  EXPECT_EQ(earlier, "AM-100000");
  auto [second_event, last_padded] = sample_for(999998);
  EXPECT_EQ(last_padded, "AM-999999");
  auto [third_event, grown] = sample_for(999999);
  EXPECT_EQ(grown, "AM-1000000");
  EXPECT_EQ(grown.size(), last_padded.size() + 1);
  for (const auto& dead : lab.Drain("cq.eventos.dlq")) {
    EXPECT_NE(dead.id, third_event) << "the lote.criado went to the dead letters";
  }

  // Deviations count the same way.
  database.Superuser("SELECT setval('desvio_seq', 999998)");
  std::vector<std::string> codes;
  for (int i = 0; i < 2; ++i) {
    auto opened = lab.Post(
        "/v1/desvios",
        object{{"op_id", ids::NewUuidV7()}, {"classificacao", "menor"}, {"descricao", "Etiqueta ilegível"}}, "gestor");
    ASSERT_EQ(opened.status, 201) << opened.body;
    codes.push_back(Str(json::Parse(opened.body), "codigo"));
  }
  EXPECT_EQ(codes[0], "DSV-999999");
  EXPECT_EQ(codes[1], "DSV-1000000");
}

}  // namespace
}  // namespace pharmasys
