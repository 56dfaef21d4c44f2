// RULES.md X6 through the gateway: the administrator manages accounts and configuration but
// performs no GMP act. Holding a valid electronic signature changes nothing: an admin is
// refused the laudo and the receipt, and neither leaves a trace in the records.
#include <gtest/gtest.h>

#include <chrono>

#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "system.hpp"

namespace pharmasys {
namespace {

using namespace std::chrono_literals;
using testing::FrontDoor;

std::string Slug(const http::ClientResponse& res) {
  std::string type(json::Parse(res.body).at("type").as_string());
  return type.substr(type.rfind('/') + 1);
}

std::string InDays(int days) {
  auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return json::FormatDate(std::chrono::year_month_day(today + std::chrono::days(days)));
}

std::string SignatureOf(const std::string& token, const std::string& recurso, const std::string& significado) {
  auto res =
      FrontDoor::Get().Call("POST", "/v1/auth/assinaturas", token,
                            json::Serialize(boost::json::object{
                                {"senha", "pharmasys-demo"}, {"significado", significado}, {"recurso", recurso}}));
  if (res.status != 201) throw std::runtime_error("signature: " + res.body);
  return std::string(json::Parse(res.body).at("assinatura_token").as_string());
}

// proves: X6
TEST(SecurityX6, AnAdministratorWithAValidSignatureIssuesNoLaudoAndReceivesNoStock) {
  auto& door = FrontDoor::Get();
  const std::string admin = door.AccessToken("admin");
  const std::string estoquista = door.AccessToken("estoquista");
  const std::string analista = door.AccessToken("analista");

  // A lot in quarantine with its sample, made by the people whose job it is.
  const std::string material = "X6-" + ids::NewUuidV7().substr(24);
  ASSERT_EQ(door.Call("POST", "/v1/materiais", estoquista,
                      json::Serialize(boost::json::object{{"codigo", material},
                                                          {"nome", "Insumo de teste X6"},
                                                          {"tipo", "insumo"},
                                                          {"unidade", "kg"},
                                                          {"prazo_validade_dias", 365},
                                                          {"vida_util_minima_expedicao_dias", 0}}))
                .status,
            201);
  const std::string receipt = json::Serialize(boost::json::object{{"material", material},
                                                                  {"quantidade", 10},
                                                                  {"validade", InDays(300)},
                                                                  {"fornecedor", "Fornecedor Alfa"},
                                                                  {"lote_fornecedor", "F-X6"},
                                                                  {"nota_fiscal", "NF-X6"}});
  auto received = door.Call("POST", "/v1/recebimentos", estoquista, receipt);
  ASSERT_EQ(received.status, 201) << received.body;
  const std::string lote_id(json::Parse(received.body).at("id").as_string());
  std::string amostra_id;
  ASSERT_TRUE(testing::Eventually(
      [&] {
        auto res = door.Call("GET", "/v1/amostras?lote_id=" + lote_id, analista);
        if (res.status != 200) return false;
        auto page = json::Parse(res.body);
        const auto& items = page.at("items").as_array();
        if (items.empty()) return false;
        amostra_id = std::string(items.at(0).at("id").as_string());
        return true;
      },
      20s));

  // The laudo, with the admin's own valid signature for exactly this record and meaning.
  auto signature = SignatureOf(admin, "amostra:" + amostra_id, "aprovacao");
  auto laudo = door.Call(
      "POST", "/v1/laudos", admin,
      json::Serialize(boost::json::object{{"amostra_id", amostra_id}, {"decisao", "aprovado"}, {"observacao", "X6"}}),
      "application/json", {{"X-Assinatura", signature}});
  EXPECT_EQ(laudo.status, 403) << laudo.body;
  EXPECT_EQ(Slug(laudo), "sem-permissao");
  auto quality = json::Parse(door.Call("GET", "/v1/cq/lotes/" + lote_id, analista).body);
  EXPECT_TRUE(quality.at("laudos").as_array().empty());

  // The receipt, signed as well: still not the administrator's act.
  auto signed_receipt = door.Call("POST", "/v1/recebimentos", admin, receipt, "application/json",
                                  {{"X-Assinatura", SignatureOf(admin, "lote:" + lote_id, "liberacao")}});
  EXPECT_EQ(signed_receipt.status, 403) << signed_receipt.body;
  EXPECT_EQ(Slug(signed_receipt), "sem-permissao");
  auto saldos = json::Parse(door.Call("GET", "/v1/estoque/saldos?material=" + material, estoquista).body);
  EXPECT_EQ(saldos.at("items").as_array().size(), 1u);  // only the clerk's lot
}

}  // namespace
}  // namespace pharmasys
