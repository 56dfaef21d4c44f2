// The demo plant, loaded through the gateway as its users would build it: a few materials and
// their specifications, received lots approved (four eyes, signed), one rejected, one still in
// quarantine, one recalled; recipes; production orders in every status, one made, approved,
// shipped and partly returned. Run by `./pharmasys up` in demo mode; safe to run again (a plant
// that already has the demo catalogue is left as it is).
//
//   pharmasys-demo [gateway URL]      (default http://127.0.0.1:8080)
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <thread>

#include "pharmasys/http/client.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace {

using namespace pharmasys;
using boost::json::array;
using boost::json::object;
using namespace std::chrono_literals;

constexpr const char* kPassword = "pharmasys-demo";

class Api {
 public:
  explicit Api(std::string gateway) : gateway_(std::move(gateway)) {}

  http::ClientResponse Send(http::Method method, const std::string& path, const std::string& user,
                            const boost::json::value& body = nullptr,
                            std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::ClientRequest r{method, gateway_ + path, {}, body.is_null() ? "" : json::Serialize(body)};
    if (!body.is_null()) r.headers.Set("Content-Type", "application/json");
    r.headers.Set("Authorization", "Bearer " + Token(user));
    if (method != http::Method::Get) r.headers.Set("Idempotency-Key", ids::NewUuidV7());
    for (auto& [k, v] : headers) r.headers.Set(k, v);
    return client_.Send(r, 30s);
  }
  boost::json::value Post(const std::string& path, const std::string& user, const boost::json::value& body,
                          std::vector<std::pair<std::string, std::string>> headers = {}, int expected = 0) {
    auto res = Send(http::Method::Post, path, user, body, std::move(headers));
    Check(res, path, expected);
    return json::Parse(res.body);
  }
  boost::json::value Put(const std::string& path, const std::string& user, const boost::json::value& body) {
    auto res = Send(http::Method::Put, path, user, body);
    Check(res, path, 0);
    return json::Parse(res.body);
  }
  boost::json::value Get(const std::string& path, const std::string& user) {
    auto res = Send(http::Method::Get, path, user);
    Check(res, path, 0);
    return json::Parse(res.body);
  }
  std::string Sign(const std::string& user, const std::string& recurso, const std::string& significado) {
    auto res = Send(http::Method::Post, "/v1/auth/assinaturas", user,
                    object{{"senha", kPassword}, {"recurso", recurso}, {"significado", significado}});
    Check(res, "/v1/auth/assinaturas", 201);
    return std::string(json::Parse(res.body).at("assinatura_token").as_string());
  }
  // Waits (up to a minute) until `ready` says yes: events take a moment to reach the others.
  template <typename F>
  void WaitFor(const std::string& what, F ready) {
    for (int i = 0; i < 600; ++i) {
      try {
        if (ready()) return;
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(100ms);
    }
    throw std::runtime_error("timed out waiting for " + what);
  }
  // Logs the user in, retrying while the plant is still starting.
  std::string Token(const std::string& user) {
    auto& token = tokens_[user];
    if (!token.empty()) return token;
    for (int attempt = 0;; ++attempt) {
      http::ClientRequest r{
          http::Method::Post,
          gateway_ + "/v1/auth/token",
          {},
          "grant_type=password&username=" + user + "&password=" + kPassword + "&client_id=pharmasys-web"};
      r.headers.Set("Content-Type", "application/x-www-form-urlencoded");
      try {
        auto res = client_.Send(r, 10s);
        if (res.status == 200) return token = std::string(json::Parse(res.body).at("access_token").as_string());
        if (attempt > 120) throw std::runtime_error("login of " + user + ": HTTP " + std::to_string(res.status));
      } catch (const http::UpstreamError&) {
        if (attempt > 120) throw;
      }
      std::this_thread::sleep_for(500ms);
    }
  }

 private:
  static void Check(const http::ClientResponse& res, const std::string& path, int expected) {
    const bool ok = expected != 0 ? res.status == expected : res.status >= 200 && res.status < 300;
    if (!ok) throw std::runtime_error(path + ": HTTP " + std::to_string(res.status) + " " + res.body);
  }
  std::string gateway_;
  http::Client client_;
  std::map<std::string, std::string> tokens_;
};

std::string S(const boost::json::value& v, const char* key) {
  return std::string(v.at(key).as_string());
}

void Progress(const std::string& what) {
  std::cout << "  " << what << std::endl;
}

std::string Today(Api& api) {
  // The plant's day, as Estoque sees it: the expiry of a lot received with no validade problem.
  auto painel = api.Get("/v1/relatorios/painel", "admin");
  std::string instant = S(painel, "gerado_em");
  return instant.substr(0, 10);
}

std::string Plus(const std::string& date, int days) {
  auto ymd = *json::ParseDate(date);
  return json::FormatDate(std::chrono::year_month_day(std::chrono::sys_days(ymd) + std::chrono::days(days)));
}

struct Demo {
  Api& api;
  std::string today;

  void Materials() {
    struct M {
      const char *codigo, *nome, *tipo, *unidade;
      int prazo, minimo;
    };
    for (const M& m : {M{"LAC-01", "Lactose monoidratada", "insumo", "kg", 720, 0},
                       M{"CEL-01", "Celulose microcristalina 101", "insumo", "kg", 900, 0},
                       M{"PCM-01", "Paracetamol (princípio ativo)", "insumo", "kg", 1080, 0},
                       M{"EST-01", "Estearato de magnésio", "insumo", "kg", 720, 0},
                       M{"PCT-500", "Paracetamol 500 mg comprimidos (cx 20)", "produto", "cx", 730, 180}}) {
      api.Post("/v1/materiais", "estoquista",
               object{{"codigo", m.codigo},
                      {"nome", m.nome},
                      {"tipo", m.tipo},
                      {"unidade", m.unidade},
                      {"prazo_validade_dias", m.prazo},
                      {"vida_util_minima_expedicao_dias", m.minimo}});
    }
    Progress("5 materials");
    for (const char* material : {"LAC-01", "CEL-01", "PCM-01", "EST-01", "PCT-500"}) {
      array ensaios{object{{"codigo", "ASP"}, {"nome", "Aspecto"}, {"esperado", "Conforme"}},
                    object{{"codigo", "UMI"}, {"nome", "Umidade"}, {"unidade", "%"}, {"maximo", 5}}};
      if (std::string(material) == "PCT-500") {
        ensaios.push_back(object{
            {"codigo", "TEOR"}, {"nome", "Teor de paracetamol"}, {"unidade", "%"}, {"minimo", 95}, {"maximo", 105}});
      }
      api.WaitFor(std::string("CQ to know ") + material, [&] {
        return api.Send(http::Method::Put, "/v1/especificacoes/" + std::string(material), "analista",
                        object{{"ensaios", ensaios}})
                   .status == 200;
      });
    }
    Progress("their specifications");
  }

  boost::json::value Receive(const std::string& material, int quantidade, int days, const std::string& fornecedor) {
    return api.Post("/v1/recebimentos", "estoquista",
                    object{{"material", material},
                           {"quantidade", quantidade},
                           {"validade", Plus(today, days)},
                           {"fornecedor", fornecedor},
                           {"lote_fornecedor", fornecedor.substr(0, 3) + "-" + std::to_string(days)},
                           {"nota_fiscal", "NF-" + std::to_string(100000 + days)}});
  }

  std::string SampleOf(const std::string& lote_id) {
    std::string id;
    api.WaitFor("the sample of lot " + lote_id, [&] {
      auto items = api.Get("/v1/amostras?lote_id=" + lote_id, "analista").at("items").as_array();
      if (!items.empty()) id = S(items[0], "id");
      return !items.empty();
    });
    return id;
  }

  // Collection and results by `analista`; the laudo by `analista2` (four eyes).
  void Analyse(const std::string& lote_id, bool conforme, const std::string& decisao, bool product = false) {
    const std::string amostra = SampleOf(lote_id);
    api.Post("/v1/amostras/" + amostra + "/coleta", "analista",
             object{{"quantidade", 0.2}, {"observacao", "Amostragem em 3 pontos"}});
    api.Post("/v1/amostras/" + amostra + "/resultados", "analista", object{{"ensaio", "ASP"}, {"valor", "Conforme"}});
    api.Post("/v1/amostras/" + amostra + "/resultados", "analista",
             object{{"ensaio", "UMI"}, {"valor", conforme ? 2.4 : 6.8}});
    if (product) {
      api.Post("/v1/amostras/" + amostra + "/resultados", "analista", object{{"ensaio", "TEOR"}, {"valor", 99.2}});
    }
    if (decisao.empty()) return;
    object body{{"amostra_id", amostra}, {"decisao", decisao}, {"observacao", "Análise completa"}};
    if (decisao == "reprovado") body["motivo"] = "Umidade acima do limite da especificação";
    const std::string significado = decisao == "aprovado" ? "aprovacao" : "reprovacao";
    if (product) {
      // A produced lot is approved once CQ has its OP's reviewed batch record (RULES G1).
      api.WaitFor("CQ to have the review of the batch record", [&] {
        auto res = api.Send(http::Method::Post, "/v1/laudos", "analista2", body,
                            {{"X-Assinatura", api.Sign("analista2", "amostra:" + amostra, significado)}});
        return res.status == 201;
      });
    } else {
      api.Post("/v1/laudos", "analista2", body,
               {{"X-Assinatura", api.Sign("analista2", "amostra:" + amostra, significado)}});
    }
    const std::string expected = decisao == "aprovado" ? "liberado" : "reprovado";
    api.WaitFor("lot " + lote_id + " " + expected,
                [&] { return S(api.Get("/v1/estoque/lotes/" + lote_id, "estoquista"), "status") == expected; });
  }

  void Run() {
    Materials();
    auto lac1 = Receive("LAC-01", 500, 200, "Lactobras Ingredientes");
    auto lac2 = Receive("LAC-01", 500, 420, "Lactobras Ingredientes");
    auto cel1 = Receive("CEL-01", 300, 600, "Celuquímica do Brasil");
    auto cel2 = Receive("CEL-01", 200, 500, "Celuquímica do Brasil");
    auto pcm1 = Receive("PCM-01", 250, 800, "Fine Pharma Chemicals");
    auto est1 = Receive("EST-01", 50, 300, "Minerais Sul");
    auto est2 = Receive("EST-01", 50, 330, "Minerais Sul");
    Progress("7 insumo lots received (quarantine)");
    for (const auto* lot : {&lac1, &lac2, &cel1, &pcm1, &est1}) Analyse(S(*lot, "id"), true, "aprovado");
    Analyse(S(est2, "id"), false, "reprovado");
    Analyse(S(cel2, "id"), true, "");  // results in, laudo pending: still quarantine
    Progress("QC: 5 approved, 1 rejected, 1 in analysis");

    // The recipe (Produção learns the catalogue from events).
    boost::json::value receita;
    api.WaitFor("Produção to know PCT-500", [&] {
      auto res = api.Send(
          http::Method::Post, "/v1/receitas", "gestor",
          object{
              {"produto", "PCT-500"},
              {"versao", 1},
              {"etapas",
               array{
                   object{
                       {"ordem", 1},
                       {"nome", "Pesagem"},
                       {"parametros",
                        array{object{{"nome", "desvio_massa"}, {"unidade", "%"}, {"minimo", -0.5}, {"maximo", 0.5}}}}},
                   object{{"ordem", 2},
                          {"nome", "Granulação úmida"},
                          {"parametros",
                           array{object{{"nome", "umidade_final"}, {"unidade", "%"}, {"minimo", 1.5}, {"maximo", 3}}}}},
                   object{{"ordem", 3},
                          {"nome", "Compressão"},
                          {"parametros",
                           array{object{{"nome", "dureza"}, {"unidade", "N"}, {"minimo", 80}, {"maximo", 120}}}}}}},
              {"insumos", array{object{{"material", "PCM-01"}, {"quantidade_por_unidade", 0.25}},
                                object{{"material", "LAC-01"}, {"quantidade_por_unidade", 0.12}},
                                object{{"material", "CEL-01"}, {"quantidade_por_unidade", 0.08}},
                                object{{"material", "EST-01"}, {"quantidade_por_unidade", 0.005}}}}});
      if (res.status == 201) receita = json::Parse(res.body);
      return res.status == 201;
    });
    const std::string receita_id = S(receita, "id");
    auto op = [&](int quantidade) {
      return S(api.Post("/v1/ordens-producao", "gestor",
                        object{{"produto", "PCT-500"}, {"quantidade", quantidade}, {"receita_id", receita_id}}),
               "id");
    };
    auto record = [&](const std::string& id, int ordem, const char* nome, double valor) {
      api.Post("/v1/ordens-producao/" + id + "/etapas/" + std::to_string(ordem) + "/registros", "gestor",
               object{{"parametros", object{{nome, valor}}}, {"observacao", "Conforme instrução de fabricação"}});
    };

    // OP 1: made, approved, shipped, partly returned.
    const std::string op1 = op(400);
    api.Post("/v1/ordens-producao/" + op1 + "/iniciar", "gestor", object{});
    record(op1, 1, "desvio_massa", 0.1);
    for (auto [material, q] :
         {std::pair{"PCM-01", 100}, std::pair{"LAC-01", 48}, std::pair{"CEL-01", 32}, std::pair{"EST-01", 2}}) {
      api.Post("/v1/ordens-producao/" + op1 + "/consumos", "gestor", object{{"material", material}, {"quantidade", q}});
    }
    record(op1, 2, "umidade_final", 2.2);
    record(op1, 3, "dureza", 98);
    auto lote = api.Post("/v1/ordens-producao/" + op1 + "/lotes", "gestor",
                         object{{"quantidade", 395}, {"data_fabricacao", Plus(today, -1)}});
    api.Post("/v1/ordens-producao/" + op1 + "/concluir", "gestor", object{});
    // The batch record reviewed by exception (none: one signature) by an analyst who recorded
    // no step of it (RULES G1).
    api.Post("/v1/ordens-producao/" + op1 + "/revisao", "analista",
             object{{"observacao", "Registro de lote conforme; nenhuma exceção"}},
             {{"X-Assinatura", api.Sign("analista", "op:" + op1, "revisao")}});
    api.WaitFor("the produced lot in stock", [&] {
      return api.Send(http::Method::Get, "/v1/estoque/lotes/" + S(lote, "id"), "estoquista").status == 200;
    });
    Analyse(S(lote, "id"), true, "aprovado", true);
    Progress("OP 1 concluded, its batch record reviewed; its lot approved");
    auto shipment = api.Post("/v1/expedicoes", "estoquista",
                             object{{"cliente", object{{"nome", "Distribuidora Farmacêutica Aurora Ltda"},
                                                       {"documento", "12.345.678/0001-95"}}},
                                    {"itens", array{object{{"material", "PCT-500"}, {"quantidade", 120}}}}});
    api.Post("/v1/expedicoes/" + S(shipment, "id") + "/confirmar", "estoquista", object{});
    api.Post("/v1/devolucoes", "estoquista",
             object{{"expedicao_id", shipment.at("id")},
                    {"lote_id", lote.at("id")},
                    {"quantidade", 4},
                    {"motivo", "Caixas avariadas no transporte"}});
    // A second return with its seal broken: QC discards it, a loss on the loss report.
    auto violada = api.Post("/v1/devolucoes", "estoquista",
                            object{{"expedicao_id", shipment.at("id")},
                                   {"lote_id", lote.at("id")},
                                   {"quantidade", 2},
                                   {"motivo", "Lacre de segurança violado"}});
    api.Post("/v1/devolucoes/" + S(violada, "id") + "/avaliar", "analista",
             object{{"decisao", "descartar"}, {"motivo", "Lacre violado: integridade não garantida, descartar"}},
             {{"X-Assinatura", api.Sign("analista", "devolucao:" + S(violada, "id"), "reprovacao")}});
    auto reserved =
        api.Post("/v1/expedicoes", "estoquista",
                 object{{"cliente", object{{"nome", "Rede Saúde Popular S.A."}, {"documento", "98.765.432/0001-10"}}},
                        {"itens", array{object{{"material", "PCT-500"}, {"quantidade", 60}}}}});
    Progress("1 shipment confirmed (a return awaiting QC, one discarded), 1 reserved");

    // OP 2: running; OP 3: blocked by an open deviation; OP 4: planned; OP 5: cancelled.
    const std::string op2 = op(300);
    api.Post("/v1/ordens-producao/" + op2 + "/iniciar", "gestor", object{});
    record(op2, 1, "desvio_massa", -0.2);
    const std::string op3 = op(200);
    api.Post("/v1/ordens-producao/" + op3 + "/iniciar", "gestor", object{});
    api.Post("/v1/desvios", "analista",
             object{{"op_id", op3}, {"classificacao", "maior"}, {"descricao", "Granulador parou durante a etapa 2"}});
    op(150);
    const std::string op5 = op(100);
    api.Post("/v1/ordens-producao/" + op5 + "/cancelar", "gestor",
             object{{"motivo", "Pedido do cliente reprogramado para o próximo mês"}});
    api.WaitFor("OP 3 blocked",
                [&] { return S(api.Get("/v1/ordens-producao/" + op3, "gestor"), "status") == "bloqueada"; });
    Progress("OPs running, blocked, planned and cancelled");

    // A recall of an insumo lot that was never used.
    api.Post("/v1/recolhimentos", "analista",
             object{{"lote_id", lac2.at("id")}, {"motivo", "Comunicado do fornecedor: contaminação no lote de origem"}},
             {{"X-Assinatura", api.Sign("analista", "lote:" + S(lac2, "id"), "recolhimento")}});
    Progress("1 insumo lot recalled");
    (void)reserved;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::string gateway = argc > 1 ? argv[1] : "http://127.0.0.1:8080";
  try {
    Api api(gateway);
    if (api.Send(http::Method::Get, "/v1/materiais/LAC-01", "admin").status == 200) {
      std::cout << "demo data already loaded" << std::endl;
      return 0;
    }
    std::cout << "loading the demo plant through " << gateway << std::endl;
    Demo demo{api, Today(api)};
    demo.Run();
    std::cout << "demo data loaded" << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "pharmasys-demo: " << e.what() << std::endl;
    return 1;
  }
}
