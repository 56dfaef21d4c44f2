// The end-to-end flow of a plant, through the gateway only, as a client would: two insumo lots
// received and approved (signed, four eyes); a recipe and an OP, started, steps recorded,
// insumos consumed (FEFO takes the earlier expiry); a deviation blocks the OP and its signed
// close unblocks it; the produced lot is born in quarantine and cannot ship; QC approves it;
// it ships (FEFO) and the shipment is confirmed; the insumo lot's traceability reaches the
// customer; its recall report lists that customer; the audit trail shows every step with its
// user, and the verification across all services says the trail is intact.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdlib>
#include <fstream>
#include <set>

#include "http_support.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "plant.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;
using namespace std::chrono_literals;
using boost::json::array;
using boost::json::object;

class EndToEnd : public ::testing::Test {
 protected:
  Plant plant;
  std::string today;

  http::ClientResponse Post(const std::string& path, const boost::json::value& body, const std::string& user,
                            std::vector<std::pair<std::string, std::string>> headers = {}) {
    return plant.SendTo(plant.gateway, http::Method::Post, path, body, user, std::move(headers));
  }
  http::ClientResponse Put(const std::string& path, const boost::json::value& body, const std::string& user) {
    return plant.SendTo(plant.gateway, http::Method::Put, path, body, user);
  }
  http::ClientResponse GetAs(const std::string& path, const std::string& user,
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
    return plant.Call(plant.gateway, http::Method::Get, path, "", plant.Token(user), headers);
  }
  boost::json::value Json(const std::string& path, const std::string& user) {
    auto res = GetAs(path, user);
    if (res.status != 200) throw std::runtime_error(path + ": " + std::to_string(res.status) + " " + res.body);
    return json::Parse(res.body);
  }
  // A signature through the gateway, as the UI asks for it right before the act.
  std::string Sign(const std::string& user, const std::string& recurso, const std::string& significado) {
    auto res = plant.Call(
        plant.gateway, http::Method::Post, "/v1/auth/assinaturas",
        json::Serialize(object{{"senha", "pharmasys-demo"}, {"recurso", recurso}, {"significado", significado}}),
        plant.Token(user));
    EXPECT_EQ(res.status, 201) << res.body;
    return Str(json::Parse(res.body), "assinatura_token");
  }
  std::string Plus(int days) {
    auto ymd = *json::ParseDate(today);
    return json::FormatDate(std::chrono::year_month_day(std::chrono::sys_days(ymd) + std::chrono::days(days)));
  }
  // QC's analysis of a lot: the sample, collected; results by `analista`; `analista` cannot sign
  // its laudo (four eyes). Returns the sample.
  std::string Analyse(const std::string& lote_id) {
    std::string amostra;
    EXPECT_TRUE(Eventually(
        [&] {
          auto items = Json("/v1/amostras?lote_id=" + lote_id, "analista").at("items").as_array();
          if (!items.empty()) amostra = Str(items[0], "id");
          return !items.empty();
        },
        30s));
    EXPECT_EQ(Post("/v1/amostras/" + amostra + "/coleta", object{{"quantidade", 0.5}}, "analista").status, 200);
    auto ph = Post("/v1/amostras/" + amostra + "/resultados", object{{"ensaio", "PH"}, {"valor", 6.5}}, "analista");
    EXPECT_EQ(ph.status, 201) << ph.body;
    EXPECT_EQ(
        Post("/v1/amostras/" + amostra + "/resultados", object{{"ensaio", "ASP"}, {"valor", "conforme"}}, "analista")
            .status,
        201);
    // Four eyes: the analyst who entered the results cannot sign.
    auto own = Post("/v1/laudos", object{{"amostra_id", amostra}, {"decisao", "aprovado"}}, "analista",
                    {{"X-Assinatura", Sign("analista", "amostra:" + amostra, "aprovacao")}});
    EXPECT_EQ(own.status, 403) << own.body;
    return amostra;
  }
  // The approval of the analysed sample, signed by `analista2`.
  http::ClientResponse SignApproval(const std::string& amostra) {
    return Post("/v1/laudos", object{{"amostra_id", amostra}, {"decisao", "aprovado"}, {"observacao", "ok"}},
                "analista2", {{"X-Assinatura", Sign("analista2", "amostra:" + amostra, "aprovacao")}});
  }
  void Released(const std::string& lote_id) {
    ASSERT_TRUE(Eventually(
        [&] { return Str(Json("/v1/estoque/lotes/" + lote_id, "estoquista"), "status") == "liberado"; }, 30s));
  }
  // QC's whole work on a received lot.
  void Approve(const std::string& lote_id) {
    const std::string amostra = Analyse(lote_id);
    auto laudo = SignApproval(amostra);
    ASSERT_EQ(laudo.status, 201) << laudo.body;
    Released(lote_id);
  }
  void Specify(const std::string& material) {
    ASSERT_TRUE(Eventually(
        [&] {
          return Put("/v1/especificacoes/" + material,
                     object{
                         {"ensaios", array{object{{"codigo", "PH"}, {"nome", "pH"}, {"minimo", 5}, {"maximo", 8}},
                                           object{{"codigo", "ASP"}, {"nome", "Aspecto"}, {"esperado", "Conforme"}}}}},
                     "analista")
                     .status == 200;
        },
        30s));
  }
};

// With PHARMASYS_TEST_ARTIFACTS set to a folder, the printouts the test reads are kept there.
void KeepArtifact(const std::string& name, const std::string& bytes) {
  if (const char* dir = std::getenv("PHARMASYS_TEST_ARTIFACTS")) std::ofstream(std::string(dir) + "/" + name) << bytes;
}

// proves: B1 B2 B3 B4 B5 G1 G2 S3 A3 A4
TEST_F(EndToEnd, FromReceiptToCustomerAndBackThroughTheGateway) {
  today = plant.DbOf(plant.base())
              .Exec(pg::Query{"t_today", "SELECT (now() AT TIME ZONE 'America/Sao_Paulo')::date::text"})
              .Single()
              .String(0);
  // The catalogue.
  for (auto [codigo, tipo, prazo, minimo] :
       {std::tuple{"MP-LAC", "insumo", 720, 0}, std::tuple{"PA-CPR", "produto", 365, 30}}) {
    auto res = Post("/v1/materiais",
                    object{{"codigo", codigo},
                           {"nome", std::string(tipo) == "insumo" ? "Lactose monoidratada" : "Comprimido 500 mg"},
                           {"tipo", tipo},
                           {"unidade", "kg"},
                           {"prazo_validade_dias", prazo},
                           {"vida_util_minima_expedicao_dias", minimo}},
                    "estoquista");
    ASSERT_EQ(res.status, 201) << res.body;
  }
  Specify("MP-LAC");
  Specify("PA-CPR");

  // Two insumo lots with different expiry, received in quarantine.
  auto receive = [&](const std::string& validade) {
    auto res = Post("/v1/recebimentos",
                    object{{"material", "MP-LAC"},
                           {"quantidade", 100},
                           {"validade", validade},
                           {"fornecedor", "Lactose Brasil S.A."},
                           {"lote_fornecedor", "LB-" + validade},
                           {"nota_fiscal", "NF-" + validade}},
                    "estoquista");
    EXPECT_EQ(res.status, 201) << res.body;
    auto lot = json::Parse(res.body);
    EXPECT_EQ(Str(lot, "status"), "quarentena");
    return lot;
  };
  auto late = receive(Plus(300));
  auto early = receive(Plus(150));
  const std::string early_id = Str(early, "id"), early_code = Str(early, "codigo");
  Approve(Str(late, "id"));
  Approve(early_id);

  // The recipe and the OP.
  std::string receita;
  ASSERT_TRUE(Eventually(
      [&] {
        auto res = Post(
            "/v1/receitas",
            object{{"produto", "PA-CPR"},
                   {"versao", 1},
                   {"etapas",
                    array{object{{"ordem", 1},
                                 {"nome", "Granulação"},
                                 {"parametros",
                                  array{object{{"nome", "umidade"}, {"unidade", "%"}, {"minimo", 2}, {"maximo", 5}}}}},
                          object{{"ordem", 2},
                                 {"nome", "Compressão"},
                                 {"parametros", array{object{{"nome", "dureza"}, {"minimo", 80}, {"maximo", 120}}}}}}},
                   {"insumos", array{object{{"material", "MP-LAC"}, {"quantidade_por_unidade", 0.5}}}}},
            "gestor");
        if (res.status == 201) receita = Str(json::Parse(res.body), "id");
        return res.status == 201;
      },
      30s));
  auto created = Post("/v1/ordens-producao",
                      object{{"produto", "PA-CPR"}, {"quantidade", 100}, {"receita_id", receita}}, "gestor");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string op = Str(json::Parse(created.body), "id");
  const std::string op_codigo = Str(json::Parse(created.body), "codigo");
  ASSERT_EQ(Post("/v1/ordens-producao/" + op + "/iniciar", object{}, "gestor").status, 200);
  // Step 1 by a person who also holds analista_cq (two roles, granted by the administrator):
  // that person may not review this batch record later (RULES G1).
  const std::string dual = "gestor.cq." + ids::RandomHex(4);
  if (plant.keycloak() != nullptr) {  // the realm's administrator grants the roles there
    plant.keycloak()->AddUser(dual, "Gestora e Analista", "pharmasys-demo", {"gestor_producao", "analista_cq"});
  } else {
    auto granted = Post("/v1/usuarios",
                        object{{"username", dual},
                               {"nome", "Gestora e Analista"},
                               {"email", dual + "@plant.example"},
                               {"roles", array{"gestor_producao", "analista_cq"}},
                               {"senha", "pharmasys-demo"}},
                        "admin");
    ASSERT_EQ(granted.status, 201) << granted.body;
  }
  ASSERT_EQ(
      Post("/v1/ordens-producao/" + op + "/etapas/1/registros", object{{"parametros", object{{"umidade", 3.2}}}}, dual)
          .status,
      201);
  // Step 2 out of its limits, with its motivo: an exception of the batch record.
  ASSERT_EQ(
      Post("/v1/ordens-producao/" + op + "/etapas/2/registros",
           object{{"parametros", object{{"dureza", 125}}}, {"motivo", "Punção trocado; dureza reavaliada"}}, "gestor")
          .status,
      201);
  // FEFO takes the earlier expiry.
  auto consumed =
      Post("/v1/ordens-producao/" + op + "/consumos", object{{"material", "MP-LAC"}, {"quantidade", 50}}, "gestor");
  ASSERT_EQ(consumed.status, 201) << consumed.body;
  auto consumed_lots = json::Parse(consumed.body).at("lotes").as_array();
  ASSERT_EQ(consumed_lots.size(), 1u);
  EXPECT_EQ(Str(consumed_lots[0], "lote_id"), early_id);
  EXPECT_EQ(Num(consumed_lots[0], "quantidade"), Q("50"));

  // A deviation blocks the OP; its signed close unblocks it.
  auto desvio = Post("/v1/desvios",
                     object{{"op_id", op}, {"classificacao", "maior"}, {"descricao", "Umidade do granulado no limite"}},
                     "gestor");
  ASSERT_EQ(desvio.status, 201) << desvio.body;
  const std::string desvio_id = Str(json::Parse(desvio.body), "id");
  ASSERT_TRUE(
      Eventually([&] { return Str(Json("/v1/ordens-producao/" + op, "gestor"), "status") == "bloqueada"; }, 30s));
  auto blocked =
      Post("/v1/ordens-producao/" + op + "/lotes", object{{"quantidade", 95}, {"data_fabricacao", today}}, "gestor");
  EXPECT_EQ(blocked.status, 409);
  EXPECT_EQ(Slug(blocked), "op-bloqueada");
  auto closed = Post("/v1/desvios/" + desvio_id + "/encerrar",
                     object{{"conclusao", "Sem impacto na qualidade"}, {"acao_corretiva", "Secador recalibrado"}},
                     "analista", {{"X-Assinatura", Sign("analista", "desvio:" + desvio_id, "revisao")}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  ASSERT_TRUE(
      Eventually([&] { return Str(Json("/v1/ordens-producao/" + op, "gestor"), "status") == "em_execucao"; }, 30s));

  // The produced lot: quarantine, and it cannot ship.
  auto made =
      Post("/v1/ordens-producao/" + op + "/lotes", object{{"quantidade", 95}, {"data_fabricacao", today}}, "gestor");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string product_id = Str(json::Parse(made.body), "id");
  const std::string product_code = Str(json::Parse(made.body), "codigo");
  EXPECT_EQ(Str(json::Parse(made.body), "status"), "quarentena");
  ASSERT_TRUE(Eventually([&] { return GetAs("/v1/estoque/lotes/" + product_id, "estoquista").status == 200; }, 30s));
  EXPECT_EQ(Str(Json("/v1/estoque/lotes/" + product_id, "estoquista"), "status"), "quarentena");
  object cliente{{"nome", "Drogaria São Lucas Ltda"}, {"documento", "11.222.333/0001-44"}};
  auto refused =
      Post("/v1/expedicoes",
           object{{"cliente", cliente},
                  {"itens", array{object{{"material", "PA-CPR"}, {"quantidade", 10}, {"lote_id", product_id}}}}},
           "estoquista");
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(Slug(refused), "lote-nao-liberado");

  // QC analyses it, but cannot approve it before its batch record is reviewed (RULES G1).
  const std::string product_sample = Analyse(product_id);
  auto unreviewed = SignApproval(product_sample);
  ASSERT_EQ(unreviewed.status, 409) << unreviewed.body;
  EXPECT_EQ(Slug(unreviewed), "registro-de-lote-nao-revisado");
  // The OP concludes; the review lists its exceptions — the value out of limits with its
  // motivo, the desvio with its closure — and is signed by an analyst who recorded no step.
  ASSERT_EQ(Post("/v1/ordens-producao/" + op + "/concluir", object{}, "gestor").status, 200);
  auto excecoes = Json("/v1/ordens-producao/" + op + "/excecoes", "analista").at("items").as_array();
  ASSERT_EQ(excecoes.size(), 2u) << json::Serialize(excecoes);
  EXPECT_EQ(Str(excecoes[0], "tipo"), "parametro_fora_dos_limites");
  EXPECT_EQ(excecoes[0].at("etapa").to_number<int>(), 2);
  EXPECT_EQ(Str(excecoes[0], "motivo"), "Punção trocado; dureza reavaliada");
  EXPECT_EQ(Str(excecoes[1], "tipo"), "desvio");
  EXPECT_EQ(Str(excecoes[1], "referencia"), "desvio:" + desvio_id);
  EXPECT_NE(Str(excecoes[1], "descricao").find("encerrado"), std::string::npos) << Str(excecoes[1], "descricao");
  const std::string recurso = "op:" + op;
  auto own_review = Post("/v1/ordens-producao/" + op + "/revisao", object{{"observacao", "Revisado"}}, dual,
                         {{"X-Assinatura", Sign(dual, recurso, "revisao")}});
  ASSERT_EQ(own_review.status, 403) << own_review.body;
  EXPECT_EQ(Slug(own_review), "sem-permissao");
  auto review = Post("/v1/ordens-producao/" + op + "/revisao",
                     object{{"observacao", "Exceções avaliadas: sem impacto na qualidade"}}, "analista",
                     {{"X-Assinatura", Sign("analista", recurso, "revisao")}});
  ASSERT_EQ(review.status, 200) << review.body;
  const auto revisao = json::Parse(review.body).at("revisao");
  EXPECT_EQ(Str(revisao, "revisado_por"), "analista");
  EXPECT_EQ(revisao.at("excecoes").to_number<int>(), 2);
  EXPECT_EQ(Str(revisao.at("assinatura"), "significado"), "revisao");
  auto again = Post("/v1/ordens-producao/" + op + "/revisao", object{}, "analista",
                    {{"X-Assinatura", Sign("analista", recurso, "revisao")}});
  EXPECT_EQ(again.status, 409) << again.body;
  // op.revisada reaches CQ: now the laudo approves the lot; it ships by FEFO and the shipment
  // is confirmed.
  ASSERT_TRUE(Eventually([&] { return SignApproval(product_sample).status == 201; }, 30s));
  Released(product_id);
  auto reserved = Post(
      "/v1/expedicoes",
      object{{"cliente", cliente}, {"itens", array{object{{"material", "PA-CPR"}, {"quantidade", 10}}}}}, "estoquista");
  ASSERT_EQ(reserved.status, 201) << reserved.body;
  const std::string expedicao = Str(json::Parse(reserved.body), "id");
  EXPECT_EQ(Str(json::Parse(reserved.body).at("itens").at(0).at("lotes").at(0), "lote_id"), product_id);
  auto confirmed = Post("/v1/expedicoes/" + expedicao + "/confirmar", object{}, "estoquista");
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;

  // Traceability of the insumo lot reaches the customer.
  boost::json::value trace;
  ASSERT_TRUE(Eventually(
      [&] {
        auto res = GetAs("/v1/relatorios/rastreabilidade/" + early_code + "?direcao=ambos", "auditor");
        if (res.status != 200) return false;
        trace = json::Parse(res.body);
        return !trace.at("descendente").at("expedicoes").as_array().empty();
      },
      30s));
  const auto& lote = trace.at("lote");
  EXPECT_EQ(Str(lote, "id"), early_id);
  EXPECT_EQ(Str(lote, "material"), "MP-LAC");
  EXPECT_EQ(Str(lote, "origem"), "recebimento");
  EXPECT_EQ(Str(lote, "status"), "liberado");
  EXPECT_EQ(Str(lote, "fornecedor"), "Lactose Brasil S.A.");
  EXPECT_EQ(Str(lote, "validade"), Plus(150));
  EXPECT_TRUE(trace.at("ascendente").as_array().empty());
  ASSERT_EQ(trace.at("laudos").as_array().size(), 1u);
  EXPECT_EQ(Str(trace.at("laudos").at(0), "decisao"), "aprovado");
  EXPECT_EQ(Str(trace.at("laudos").at(0).at("assinatura"), "significado"), "aprovacao");
  auto down = trace.at("descendente").at("lotes").as_array();
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(Str(down[0], "lote_id"), product_id);
  EXPECT_EQ(Str(down[0], "lote_codigo"), product_code);
  EXPECT_EQ(Str(down[0], "material"), "PA-CPR");
  EXPECT_EQ(Str(down[0], "op_id"), op);
  EXPECT_EQ(Str(down[0], "op_codigo"), op_codigo);
  EXPECT_EQ(down[0].at("nivel").as_int64(), 1);
  auto shipped = trace.at("descendente").at("expedicoes").as_array();
  ASSERT_EQ(shipped.size(), 1u);
  EXPECT_EQ(Str(shipped[0], "expedicao_id"), expedicao);
  EXPECT_EQ(Str(shipped[0], "lote_id"), product_id);
  EXPECT_EQ(Num(shipped[0], "quantidade"), Q("10"));
  EXPECT_EQ(Str(shipped[0].at("cliente"), "nome"), "Drogaria São Lucas Ltda");
  EXPECT_EQ(Str(shipped[0].at("cliente"), "documento"), "11.222.333/0001-44");
  auto clientes = trace.at("descendente").at("clientes").as_array();
  ASSERT_EQ(clientes.size(), 1u);
  EXPECT_EQ(Str(clientes[0], "documento"), "11.222.333/0001-44");
  std::set<std::string> timeline;
  for (const auto& t : trace.at("linha_do_tempo").as_array()) timeline.insert(Str(t, "tipo"));
  EXPECT_EQ(timeline, (std::set<std::string>{"lote.criado", "laudo.emitido", "insumos.consumidos"}));

  // And upward from the product: the insumo lot, with the quantity that went in.
  auto up = Json("/v1/relatorios/rastreabilidade/" + product_code + "?direcao=ascendente", "estoquista");
  auto ancestors = up.at("ascendente").as_array();
  ASSERT_EQ(ancestors.size(), 1u);
  EXPECT_EQ(Str(ancestors[0], "lote_id"), early_id);
  EXPECT_EQ(Num(ancestors[0], "quantidade"), Q("50"));
  EXPECT_EQ(Str(ancestors[0], "op_id"), op);
  EXPECT_TRUE(up.at("descendente").is_null());

  // The recall report of the insumo lot lists that customer, in JSON and in CSV.
  auto recall = Json("/v1/relatorios/recolhimento/" + early_code, "analista");
  auto afetados = recall.at("lotes_afetados").as_array();
  ASSERT_EQ(afetados.size(), 2u);
  EXPECT_EQ(Str(afetados[0], "lote_id"), early_id);
  EXPECT_EQ(afetados[0].at("nivel").as_int64(), 0);
  EXPECT_EQ(Str(afetados[1], "lote_id"), product_id);
  EXPECT_EQ(afetados[1].at("nivel").as_int64(), 1);
  ASSERT_EQ(recall.at("clientes").as_array().size(), 1u);
  EXPECT_EQ(Str(recall.at("clientes").at(0), "nome"), "Drogaria São Lucas Ltda");
  EXPECT_EQ(recall.at("totais").at("expedicoes").as_int64(), 1);
  auto csv = GetAs("/v1/relatorios/recolhimento/" + early_code, "analista", {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("cliente_nome,cliente_documento,expedicao_id"), std::string::npos);
  EXPECT_NE(csv.body.find("Drogaria São Lucas Ltda,11.222.333/0001-44," + expedicao), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(product_code + ",PA-CPR,10,1"), std::string::npos) << csv.body;

  // The batch record: steps, consumption, the lot and its QC outcome.
  auto record = Json("/v1/relatorios/ordens-producao/" + op, "auditor");
  EXPECT_EQ(Str(record.at("ordem_producao"), "status"), "concluida");
  EXPECT_EQ(Str(record.at("ordem_producao").at("etapas").at(0).at("registro"), "registrado_por"), dual);
  EXPECT_EQ(Str(record.at("ordem_producao").at("etapas").at(1).at("registro"), "registrado_por"), "gestor");
  ASSERT_TRUE(record.at("revisao").is_object()) << json::Serialize(record);
  EXPECT_EQ(record.at("revisao").at("excecoes").to_number<int>(), 2);
  EXPECT_EQ(Str(record.at("revisao").at("assinatura"), "significado"), "revisao");
  // Its exceptions are the ones the review listed (libs/domain, both sides).
  ASSERT_EQ(record.at("excecoes").as_array().size(), 2u) << json::Serialize(record.at("excecoes"));
  EXPECT_EQ(Str(record.at("excecoes").at(0), "tipo"), "parametro_fora_dos_limites");
  EXPECT_EQ(Str(record.at("excecoes").at(1), "referencia"), "desvio:" + desvio_id);

  // RULES G2: the batch record printed — every step and parameter with its limits, the
  // exception marked with its motivo, the insumo lot, the signatures manifested, page numbers
  // and the record's hash on every page, the same hash as its JSON.
  auto printed = GetAs("/v1/relatorios/ordens-producao/" + op, "auditor", {{"Accept", "application/pdf"}});
  ASSERT_EQ(printed.status, 200) << printed.body.substr(0, 300);
  EXPECT_EQ(printed.headers.GetOr("Content-Type", ""), "application/pdf");
  ASSERT_TRUE(printed.body.starts_with("%PDF-"));
  const std::string hash = Str(record, "hash");
  EXPECT_EQ(printed.headers.GetOr("X-Hash-Do-Registro", ""), hash);
  KeepArtifact("registro-de-lote.pdf", printed.body);
  const std::string page_text = testing::PdfText(printed.body);
  for (const std::string& expected :
       {"REGISTRO DE LOTE — " + op_codigo, std::string("Granulação"), std::string("Compressão"), std::string("umidade"),
        std::string("3.2"), std::string("dureza"), std::string("125"), std::string("80 a 120"),
        std::string("EXCEÇÃO: fora dos limites"), std::string("Punção trocado; dureza reavaliada"), early_code,
        product_code, std::string("Desvio maior"), std::string("Assinatura eletrônica (laudo)"),
        std::string("Assinatura eletrônica (revisão do registro de lote)"), std::string("Revisado por"),
        std::string("página 1 de"), hash}) {
    EXPECT_NE(page_text.find(expected), std::string::npos) << expected << " not in the printout:\n" << page_text;
  }
  // The history of the OP's record: every change oldest first, old → new per field, who and when.
  auto history = Json("/v1/relatorios/auditoria/historico/ordem_producao/" + op, "auditor");
  const auto& changes = history.at("items").as_array();
  ASSERT_GE(changes.size(), 3u) << json::Serialize(history);
  EXPECT_EQ(Str(changes.at(0), "acao"), "ordem_producao.criada");
  bool started = false;
  for (const auto& c : changes) {
    for (const auto& a : c.at("alteracoes").as_array()) {
      if (Str(a, "campo") == "status" && a.at("antes") == boost::json::value("planejada") &&
          a.at("depois") == boost::json::value("em_execucao")) {
        started = Str(c.at("usuario"), "username") == "gestor";
      }
    }
  }
  EXPECT_TRUE(started) << json::Serialize(history);
  EXPECT_EQ(Str(changes.back(), "acao"), "ordem_producao.revisada");
  EXPECT_EQ(Str(changes.back().at("assinatura"), "significado"), "revisao");
  auto history_pdf =
      GetAs("/v1/relatorios/auditoria/historico/ordem_producao/" + op, "auditor", {{"Accept", "application/pdf"}});
  ASSERT_EQ(history_pdf.status, 200);
  KeepArtifact("historico-de-auditoria.pdf", history_pdf.body);
  const std::string history_text = testing::PdfText(history_pdf.body);
  EXPECT_NE(history_text.find("HISTÓRICO DE AUDITORIA"), std::string::npos) << history_text;
  EXPECT_NE(history_text.find("planejada → em_execucao"), std::string::npos) << history_text;
  EXPECT_NE(history_text.find("ordem_producao.revisada"), std::string::npos) << history_text;
  EXPECT_EQ(GetAs("/v1/relatorios/auditoria/historico/ordem_producao/" + op, "gestor").status, 403);
  EXPECT_EQ(GetAs("/v1/relatorios/auditoria/historico/ordem_producao/nada", "auditor").status, 404);
  EXPECT_EQ(Str(record.at("ordem_producao").at("lotes").at(0), "resultado_cq"), "aprovado");
  EXPECT_EQ(Str(record.at("desvios").at(0), "status"), "encerrado");

  // The audit trail shows every step with its user.
  const std::vector<std::pair<std::string, std::string>> steps{{"lote.recebido", "estoquista"},
                                                               {"laudo.emitido", "analista2"},
                                                               {"receita.criada", "gestor"},
                                                               {"ordem_producao.criada", "gestor"},
                                                               {"etapa.registrada", "gestor"},
                                                               {"insumos.consumidos", "gestor"},
                                                               {"desvio.aberto", "gestor"},
                                                               {"desvio.encerrado", "analista"},
                                                               {"lote.criado", "gestor"},
                                                               {"ordem_producao.revisada", "analista"},
                                                               {"expedicao.reservada", "estoquista"},
                                                               {"expedicao.confirmada", "estoquista"},
                                                               {"assinatura.emitida", "analista2"}};
  ASSERT_TRUE(Eventually(
      [&] {
        std::set<std::pair<std::string, std::string>> seen;
        std::optional<std::string> cursor;
        do {
          auto page =
              Json("/v1/relatorios/auditoria?limit=500" + (cursor ? "&cursor=" + *cursor : std::string()), "auditor");
          for (const auto& r : page.at("items").as_array()) {
            seen.emplace(Str(r, "acao"), Str(r.at("usuario"), "username"));
          }
          cursor.reset();
          if (page.at("next_cursor").is_string()) cursor = Str(page, "next_cursor");
        } while (cursor);
        for (const auto& s : steps) {
          if (!seen.count(s)) return false;
        }
        return true;
      },
      30s))
      << "some step is missing from the consolidated audit trail";
  EXPECT_EQ(GetAs("/v1/relatorios/auditoria", "estoquista").status, 403);
  auto trail_csv = GetAs("/v1/relatorios/auditoria?entidade=desvio", "auditor", {{"Accept", "text/csv"}});
  EXPECT_NE(trail_csv.body.find("desvio.encerrado"), std::string::npos);
  EXPECT_NE(trail_csv.body.find("revisao"), std::string::npos);  // the signature's meaning

  // The verification across all services says the trail is intact.
  boost::json::value verification;
  ASSERT_TRUE(Eventually(
      [&] {
        verification = Json("/v1/relatorios/auditoria/verificacao", "auditor");
        return verification.at("integra").as_bool();
      },
      30s))
      << json::Serialize(verification);
  std::set<std::string> servicos;
  for (const auto& s : verification.at("servicos").as_array()) {
    servicos.insert(Str(s, "servico"));
    EXPECT_TRUE(s.at("integra").as_bool());
    // Relatórios only reads: its own chain may be empty; every other service acted here.
    if (Str(s, "servico") != "relatorios") {
      EXPECT_GT(s.at("registros").as_int64(), 0) << Str(s, "servico");
    }
    EXPECT_TRUE(s.at("copia_consolidada").at("integra").as_bool());
  }
  EXPECT_EQ(servicos, (std::set<std::string>{"auth", "producao", "cq", "estoque", "relatorios"}));

  // The web client is served by the gateway, beside the API.
  auto page = plant.Call(plant.gateway, http::Method::Get, "/", "", "");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<title>PharmaSys</title>"), std::string::npos);
  // ... with the script its index names, and a page of the application opens the index too.
  auto script = page.body.find("/assets/");
  ASSERT_NE(script, std::string::npos) << page.body;
  auto name = page.body.substr(script, page.body.find('"', script) - script);
  EXPECT_EQ(plant.Call(plant.gateway, http::Method::Get, name, "", "").status, 200) << name;
  auto deep = plant.Call(plant.gateway, http::Method::Get, "/lotes/LP260101-00001", "", "");
  EXPECT_EQ(deep.status, 200);
  EXPECT_EQ(deep.body, page.body);

  // The dashboard counts what happened.
  auto painel = Json("/v1/relatorios/painel", "estoquista");
  EXPECT_EQ(painel.at("lotes_por_status").at("liberado").as_int64(), 3);
  EXPECT_EQ(painel.at("ops_por_status").at("concluida").as_int64(), 1);
  EXPECT_EQ(painel.at("desvios_abertos").as_int64(), 0);

  // The batch record is Relatórios' own, built from the events: field for field the OP as
  // Produção holds it (the document it used to be read from on every request), each lot
  // extended with its QC outcome; and it still reads, whole, once Produção is gone.
  const auto own = Json("/v1/ordens-producao/" + op, "auditor").as_object();
  object built;
  ASSERT_TRUE(Eventually(
      [&] {
        built = Json("/v1/relatorios/ordens-producao/" + op, "auditor").at("ordem_producao").as_object();
        return built.at("versao") == own.at("versao");
      },
      30s))
      << json::Serialize(built);
  for (const auto& [key, value] : own) {
    // The review is a part of the record of its own (`revisao` beside `ordem_producao`, from
    // op.revisada), checked above.
    if (key == "lotes" || key == "revisao") continue;
    EXPECT_EQ(built.at(key), value) << key << ": " << json::Serialize(built.at(key))
                                    << " != " << json::Serialize(value);
  }
  ASSERT_EQ(built.at("lotes").as_array().size(), own.at("lotes").as_array().size());
  for (std::size_t i = 0; i < own.at("lotes").as_array().size(); ++i) {
    const auto& theirs = own.at("lotes").at(i).as_object();
    const auto& ours = built.at("lotes").at(i).as_object();
    for (const auto& [key, value] : theirs) EXPECT_EQ(ours.at(key), value) << "lotes[" << i << "]." << key;
    EXPECT_EQ(ours.size(), theirs.size() + 2) << "each lot adds laudos and resultado_cq";
  }
  EXPECT_EQ(built.size(), own.size() - 1);  // all but `revisao`
  plant.Kill(plant.producao);
  EXPECT_NE(GetAs("/v1/ordens-producao/" + op, "auditor").status, 200);
  auto without = GetAs("/v1/relatorios/ordens-producao/" + op, "auditor");
  ASSERT_EQ(without.status, 200) << without.body;
  const auto after = json::Parse(without.body);
  EXPECT_EQ(after.at("ordem_producao"), boost::json::value(built));
  const auto& etapas = after.at("ordem_producao").at("etapas").as_array();
  ASSERT_EQ(etapas.size(), 2u);
  EXPECT_EQ(Num(etapas[0].at("registro").at("parametros"), "umidade"), Q("3.2"));
  EXPECT_EQ(Str(etapas[1], "nome"), "Compressão");
  EXPECT_EQ(Str(after.at("ordem_producao").at("consumos").at(0).at("lotes").at(0), "lote_id"), early_id);
  EXPECT_EQ(Str(after.at("ordem_producao").at("consumos").at(0).at("lotes").at(0), "validade"), Plus(150));
  EXPECT_EQ(Str(after.at("ordem_producao").at("lotes").at(0), "resultado_cq"), "aprovado");
  EXPECT_EQ(after.at("historico_status").as_array().size(),
            5u);  // planejada, em_execucao, bloqueada, em_execucao, concluida
  EXPECT_EQ(Str(after.at("desvios").at(0), "status"), "encerrado");

  if (plant.keycloak() != nullptr) {
    // Every token above came from the realm; every signature's password was checked there.
    EXPECT_GT(plant.keycloak()->password_checks(), 4);
    http::ClientRequest password{
        http::Method::Post,
        plant.gateway + "/v1/auth/token",
        {},
        "grant_type=password&username=analista&password=pharmasys-demo&client_id=pharmasys-web"};
    password.headers.Set("Content-Type", "application/x-www-form-urlencoded");
    auto no_grant = http::Client().Send(password, 10s);
    EXPECT_EQ(no_grant.status, 400) << no_grant.body;
    EXPECT_NE(no_grant.body.find("unsupported_grant_type"), std::string::npos) << no_grant.body;
  }
}

}  // namespace
}  // namespace pharmasys
