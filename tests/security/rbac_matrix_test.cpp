// RULES.md X2: every endpoint × every role, from one table. The table must name every route
// the service binaries serve (checked against `pharmasys-<service> routes`), so a new endpoint
// without a row fails this test until its roles are written down.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <set>

#include "system.hpp"

namespace pharmasys {
namespace {

using testing::FrontDoor;

const std::vector<std::string> kRoles{"administrador", "gestor_producao", "analista_cq", "estoquista", "auditor"};
const std::map<std::string, std::string> kDemoUser{{"administrador", "admin"},
                                                   {"gestor_producao", "gestor"},
                                                   {"analista_cq", "analista"},
                                                   {"estoquista", "estoquista"},
                                                   {"auditor", "auditor"}};
constexpr const char* kAnyUser = "*";

struct Row {
  std::string method;
  std::string path;                  // the route template, as served
  std::vector<std::string> allowed;  // empty: public; {"*"}: any signed-in user
  std::string example_path;          // with its parameters filled in
  std::string body;                  // enough to get past authorization (it may fail validation)
  std::string content_type = "application/json";
  std::string service;  // set: called on that service's own port (an internal route), GET only
};

const std::vector<Row>& Matrix() {
  static const std::string kSomeone = "/v1/usuarios/00000000-0000-7000-8000-000000000000";
  static const std::string kNone = "00000000-0000-7000-8000-000000000000";
  static const std::string kOp = "/v1/ordens-producao/" + kNone;
  // Recipes and quality records are read by everyone but the warehouse clerk (API.md); the
  // administrator reads everything and is admitted nowhere else unless a row names it (X6).
  static const std::vector<std::string> kRecipeReaders{"gestor_producao", "analista_cq", "auditor", "administrador"};
  static const std::vector<std::string> kQualityReaders{"analista_cq", "gestor_producao", "auditor", "administrador"};
  // No user role at all: Produção's service client only.
  static const std::vector<std::string> kProducaoClientOnly{"servico"};
  static const std::vector<Row> rows{
      {"POST",
       "/v1/auth/token",
       {},
       "/v1/auth/token",
       "grant_type=password&client_id=pharmasys-web",
       "application/x-www-form-urlencoded"},
      {"POST", "/v1/auth/revogar", {}, "/v1/auth/revogar", "token=x", "application/x-www-form-urlencoded"},
      {"GET", "/v1/auth/.well-known/openid-configuration", {}, "/v1/auth/.well-known/openid-configuration", ""},
      {"GET", "/v1/auth/jwks", {}, "/v1/auth/jwks", ""},
      // The authorization endpoint: its sign-in page and form (an empty request gets its error page).
      {"GET", "/v1/auth/autorizar", {}, "/v1/auth/autorizar", ""},
      {"POST",
       "/v1/auth/autorizar",
       {},
       "/v1/auth/autorizar",
       "response_type=code",
       "application/x-www-form-urlencoded"},
      {"GET", "/v1/auth/me", {kAnyUser}, "/v1/auth/me", ""},
      {"POST", "/v1/auth/assinaturas", {kAnyUser}, "/v1/auth/assinaturas", "{}"},
      {"GET", "/v1/usuarios", {"administrador"}, "/v1/usuarios", ""},
      {"POST", "/v1/usuarios", {"administrador"}, "/v1/usuarios", "{}"},
      {"GET", "/v1/usuarios/revisao-de-acesso", {"administrador", "auditor"}, "/v1/usuarios/revisao-de-acesso", ""},
      {"GET", "/v1/usuarios/{id}", {"administrador"}, kSomeone, ""},
      {"PATCH", "/v1/usuarios/{id}", {"administrador"}, kSomeone, "{}"},
      {"POST", "/v1/usuarios/{id}/senha", {"administrador"}, kSomeone + "/senha", "{}"},
      // Every service's own chain verification, internal (tested on Estoque's port).
      {"GET",
       "/auditoria/verificacao",
       {"auditor", "administrador"},
       "/auditoria/verificacao",
       "",
       "application/json",
       "estoque"},
      {"GET",
       "/auditoria/cadeia/{sequencia}",
       {"auditor", "administrador"},
       "/auditoria/cadeia/1",
       "",
       "application/json",
       "estoque"},
      // Estoque
      {"POST", "/v1/materiais", {"estoquista", "administrador"}, "/v1/materiais", "{}"},
      {"GET", "/v1/materiais", {kAnyUser}, "/v1/materiais", ""},
      {"GET", "/v1/materiais/{codigo}", {kAnyUser}, "/v1/materiais/MP-001", ""},
      {"POST", "/v1/recebimentos", {"estoquista"}, "/v1/recebimentos", "{}"},
      {"GET", "/v1/estoque/saldos", {kAnyUser}, "/v1/estoque/saldos", ""},
      {"GET", "/v1/estoque/lotes/{lote_id}", {kAnyUser}, "/v1/estoque/lotes/" + kNone, ""},
      {"GET", "/v1/estoque/movimentacoes", {kAnyUser}, "/v1/estoque/movimentacoes", ""},
      {"POST", "/v1/estoque/consumos", kProducaoClientOnly, "/v1/estoque/consumos", "{}"},
      {"GET", "/v1/estoque/consumos/{id}", {kAnyUser}, "/v1/estoque/consumos/" + kNone, ""},
      {"POST", "/v1/expedicoes", {"estoquista"}, "/v1/expedicoes", "{}"},
      {"GET", "/v1/expedicoes", {kAnyUser}, "/v1/expedicoes", ""},
      {"GET", "/v1/expedicoes/{id}", {kAnyUser}, "/v1/expedicoes/" + kNone, ""},
      {"POST", "/v1/expedicoes/{id}/confirmar", {"estoquista"}, "/v1/expedicoes/" + kNone + "/confirmar", "{}"},
      {"POST", "/v1/expedicoes/{id}/cancelar", {"estoquista"}, "/v1/expedicoes/" + kNone + "/cancelar", "{}"},
      {"POST", "/v1/devolucoes", {"estoquista"}, "/v1/devolucoes", "{}"},
      {"GET", "/v1/devolucoes", {kAnyUser}, "/v1/devolucoes", ""},
      {"GET", "/v1/devolucoes/{id}", {kAnyUser}, "/v1/devolucoes/" + kNone, ""},
      {"POST", "/v1/devolucoes/{id}/avaliar", {"analista_cq"}, "/v1/devolucoes/" + kNone + "/avaliar", "{}"},
      // Produção
      {"POST", "/v1/receitas", {"gestor_producao"}, "/v1/receitas", "{}"},
      {"GET", "/v1/receitas", kRecipeReaders, "/v1/receitas", ""},
      {"GET", "/v1/receitas/{id}", kRecipeReaders, "/v1/receitas/" + kNone, ""},
      {"POST", "/v1/ordens-producao", {"gestor_producao"}, "/v1/ordens-producao", "{}"},
      {"GET", "/v1/ordens-producao", {kAnyUser}, "/v1/ordens-producao", ""},
      {"GET", "/v1/ordens-producao/{id}", {kAnyUser}, kOp, ""},
      {"POST", "/v1/ordens-producao/{id}/iniciar", {"gestor_producao"}, kOp + "/iniciar", "{}"},
      {"POST", "/v1/ordens-producao/{id}/concluir", {"gestor_producao"}, kOp + "/concluir", "{}"},
      {"POST", "/v1/ordens-producao/{id}/cancelar", {"gestor_producao"}, kOp + "/cancelar", "{}"},
      {"POST",
       "/v1/ordens-producao/{id}/etapas/{ordem}/registros",
       {"gestor_producao"},
       kOp + "/etapas/1/registros",
       "{}"},
      {"POST", "/v1/ordens-producao/{id}/consumos", {"gestor_producao"}, kOp + "/consumos", "{}"},
      {"POST", "/v1/ordens-producao/{id}/lotes", {"gestor_producao"}, kOp + "/lotes", "{}"},
      {"GET", "/v1/ordens-producao/{id}/excecoes", {kAnyUser}, kOp + "/excecoes", ""},
      {"POST", "/v1/ordens-producao/{id}/revisao", {"analista_cq"}, kOp + "/revisao", "{}"},
      // Relatórios
      {"GET", "/v1/relatorios/rastreabilidade/{lote_codigo}", {kAnyUser}, "/v1/relatorios/rastreabilidade/L-0", ""},
      {"GET", "/v1/relatorios/recolhimento/{lote_codigo}", {kAnyUser}, "/v1/relatorios/recolhimento/L-0", ""},
      {"GET", "/v1/relatorios/ordens-producao/{op_id}", {kAnyUser}, "/v1/relatorios/ordens-producao/" + kNone, ""},
      {"GET", "/v1/relatorios/estoque/vencimentos", {kAnyUser}, "/v1/relatorios/estoque/vencimentos", ""},
      {"GET", "/v1/relatorios/painel", {kAnyUser}, "/v1/relatorios/painel", ""},
      {"GET", "/v1/relatorios/perdas", {kAnyUser}, "/v1/relatorios/perdas", ""},
      {"GET", "/v1/relatorios/auditoria", {"administrador", "auditor"}, "/v1/relatorios/auditoria", ""},
      {"GET", "/v1/relatorios/assinaturas", {"administrador", "auditor"}, "/v1/relatorios/assinaturas", ""},
      {"GET",
       "/v1/relatorios/auditoria/historico/{entidade}/{entidade_id}",
       {"administrador", "auditor"},
       "/v1/relatorios/auditoria/historico/lote/" + kNone,
       ""},
      {"GET",
       "/v1/relatorios/auditoria/verificacao",
       {"administrador", "auditor"},
       "/v1/relatorios/auditoria/verificacao",
       ""},
      {"GET",
       "/v1/relatorios/auditoria/exportacao",
       {"auditor", "administrador"},
       "/v1/relatorios/auditoria/exportacao",
       ""},
      // CQ
      {"PUT", "/v1/especificacoes/{material}", {"analista_cq"}, "/v1/especificacoes/MP-001", "{}"},
      {"GET", "/v1/especificacoes/{material}", {kAnyUser}, "/v1/especificacoes/MP-001", ""},
      {"GET", "/v1/amostras", kQualityReaders, "/v1/amostras", ""},
      {"GET", "/v1/amostras/{id}", kQualityReaders, "/v1/amostras/" + kNone, ""},
      {"POST", "/v1/amostras/{id}/coleta", {"analista_cq"}, "/v1/amostras/" + kNone + "/coleta", "{}"},
      {"POST", "/v1/amostras/{id}/resultados", {"analista_cq"}, "/v1/amostras/" + kNone + "/resultados", "{}"},
      {"POST", "/v1/laudos", {"analista_cq"}, "/v1/laudos", "{}"},
      {"GET", "/v1/laudos/{id}", {kAnyUser}, "/v1/laudos/" + kNone, ""},
      {"POST", "/v1/desvios", {"analista_cq", "gestor_producao"}, "/v1/desvios", "{}"},
      {"GET", "/v1/desvios", {kAnyUser}, "/v1/desvios", ""},
      {"GET", "/v1/desvios/{id}", {kAnyUser}, "/v1/desvios/" + kNone, ""},
      {"POST", "/v1/desvios/{id}/encerrar", {"analista_cq"}, "/v1/desvios/" + kNone + "/encerrar", "{}"},
      {"POST", "/v1/recolhimentos", {"analista_cq"}, "/v1/recolhimentos", "{}"},
      {"GET", "/v1/recolhimentos/{id}", {kAnyUser}, "/v1/recolhimentos/" + kNone, ""},
      {"GET", "/v1/cq/lotes/{lote_id}", {kAnyUser}, "/v1/cq/lotes/" + kNone, ""},
      {"GET", "/v1/cq/devolucoes", kQualityReaders, "/v1/cq/devolucoes", ""},
  };
  return rows;
}

bool Allowed(const Row& row, const std::string& role) {
  return std::find(row.allowed.begin(), row.allowed.end(), kAnyUser) != row.allowed.end() ||
         std::find(row.allowed.begin(), row.allowed.end(), role) != row.allowed.end();
}

// proves: X2
TEST(RbacMatrix, NamesEveryRouteTheServicesServe) {
  std::set<std::pair<std::string, std::string>> served, listed;
  for (const char* service : {"auth", "producao", "cq", "estoque", "relatorios"}) {
    std::string command = testing::Bin(service) + " routes";
    std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
    std::array<char, 4096> line{};
    while (pipe && fgets(line.data(), line.size(), pipe.get()) != nullptr) {
      auto route = json::Parse(line.data());
      std::string path(route.at("path").as_string());
      if (path == "/healthz" || path == "/readyz" || path == "/metrics") continue;
      served.emplace(route.at("method").as_string(), path);
    }
  }
  for (const auto& row : Matrix()) listed.emplace(row.method, row.path);
  for (const auto& r : served) EXPECT_TRUE(listed.count(r)) << "no RBAC row for " << r.first << " " << r.second;
  for (const auto& r : listed) EXPECT_TRUE(served.count(r)) << "RBAC row for a route nobody serves: " << r.second;
}

// proves: X2 X6
TEST(RbacMatrix, EveryEndpointForEveryRoleAndForNoToken) {
  auto& door = FrontDoor::Get();
  std::map<std::string, std::string> tokens;
  for (const auto& role : kRoles) tokens[role] = door.AccessToken(kDemoUser.at(role));
  for (const auto& row : Matrix()) {
    const std::string what = row.method + " " + row.path;
    auto call = [&](const std::string& token) {
      if (!row.service.empty()) return door.CallService(row.service, row.method, row.example_path, token).status;
      return door.Call(row.method, row.example_path, token, row.body, row.content_type).status;
    };
    auto anonymous = call("");
    if (row.allowed.empty()) {
      EXPECT_NE(anonymous, 401) << what << " is public";
      EXPECT_NE(anonymous, 403) << what << " is public";
      continue;
    }
    EXPECT_EQ(anonymous, 401) << what << " without a token";
    for (const auto& role : kRoles) {
      auto status = call(tokens[role]);
      if (Allowed(row, role)) {
        EXPECT_NE(status, 401) << what << " as " << role;
        EXPECT_NE(status, 403) << what << " as " << role << " (allowed)";
      } else {
        EXPECT_EQ(status, 403) << what << " as " << role << " (not allowed)";
      }
    }
  }
}

}  // namespace
}  // namespace pharmasys
