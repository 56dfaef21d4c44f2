// Composition root of the Auth service: OAuth2/OIDC issuer, users and roles, electronic
// signatures.
#include <iostream>

#include "api/context.hpp"
#include "domain/authorization.hpp"
#include "domain/senhas.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/log/log.hpp"
#include "pharmasys/service/service.hpp"

namespace {

using namespace pharmasys;
using namespace pharmasys::auth_service;

constexpr pg::Query kSeedUser{"seed_user",
                              "INSERT INTO usuarios (id, username, nome, email, senha_hash, papeis)"
                              " VALUES ($1::uuid, $2, $3, $4, $5, $6::text[]) ON CONFLICT (username) DO NOTHING"};
constexpr pg::Query kHasAdmin{"has_admin",
                              "SELECT count(*) FROM usuarios WHERE 'administrador' = ANY (papeis) AND ativo"};

// PHARMASYS_AUTH_WEB_REDIRECT_URIS: the web client's redirect URIs, comma-separated, each one
// absolute and matched exactly.
std::vector<std::string> RedirectUris(config::Env& env) {
  constexpr const char* kName = "PHARMASYS_AUTH_WEB_REDIRECT_URIS";
  const std::string list =
      env.String(kName, "http://localhost:8080/entrar/retorno,http://127.0.0.1:8080/entrar/retorno");
  std::vector<std::string> uris;
  for (std::size_t start = 0; start <= list.size();) {
    auto comma = std::min(list.find(',', start), list.size());
    std::string uri = list.substr(start, comma - start);
    uri.erase(0, uri.find_first_not_of(" \t"));
    uri.erase(uri.find_last_not_of(" \t") + 1);
    if (auto problem = RedirectUriProblem(uri)) {
      env.Invalid(kName, uri.empty() ? "an empty item (expected comma-separated absolute URIs)" : *problem);
    } else {
      uris.push_back(uri);
    }
    start = comma + 1;
  }
  return uris;
}

struct Seed {
  const char* username;
  const char* nome;
  const char* papel;
};

void SeedUser(pg::Pool& db, const Seed& seed, const std::string& password, const std::string& origin) {
  db.Transact([&](pg::Transaction& tx) {
    std::string id = ids::NewUuidV7();
    std::string email = std::string(seed.username) + "@pharmasys.local";
    if (tx.Exec(kSeedUser, pg::Params(id, seed.username, seed.nome, email, HashPassword(password),
                                      "{" + std::string(seed.papel) + "}"))
            .affected() == 0) {
      return;
    }
    audit::Audit(
        tx, audit::Actor::System(origin),
        {.acao = "usuario.criado",
         .entidade = "usuario",
         .entidade_id = id,
         .depois = {{"username", seed.username}, {"nome", seed.nome}, {"roles", boost::json::array{seed.papel}}},
         .motivo = origin == "demo" ? "dados de demonstração" : "primeiro administrador"});
  });
}

}  // namespace

int main(int argc, char** argv) {
  Service service("auth", 8081);
  service.UseDatabase(pg::ServiceMigrations());
  auto& env = service.env();

  AuthContext ctx{.config = {}, .db = service.db(), .keys = nullptr};
  ctx.config.issuer = env.String("PHARMASYS_AUTH_ISSUER", "http://localhost:8080/v1/auth");
  ctx.config.access_ttl = std::chrono::duration_cast<std::chrono::seconds>(
      env.Duration("PHARMASYS_AUTH_ACCESS_TTL", std::chrono::seconds(300)));
  ctx.config.refresh_ttl = std::chrono::duration_cast<std::chrono::seconds>(
      env.Duration("PHARMASYS_AUTH_REFRESH_TTL", std::chrono::hours(8)));
  ctx.config.signature_ttl = std::chrono::duration_cast<std::chrono::seconds>(
      env.Duration("PHARMASYS_AUTH_SIGNATURE_TTL", std::chrono::seconds(120)));
  ctx.config.code_ttl = std::chrono::duration_cast<std::chrono::seconds>(
      env.Duration("PHARMASYS_AUTH_CODE_TTL", std::chrono::seconds(60), std::chrono::seconds(1)));
  ctx.config.password_grant = env.Bool("PHARMASYS_AUTH_PASSWORD_GRANT", true);
  ctx.config.web_redirect_uris = RedirectUris(env);
  const std::string key_hex = env.Required("PHARMASYS_AUTH_KEY_ENCRYPTION_KEY");
  const bool demo = env.Bool("PHARMASYS_DEMO", false);
  const auto key_reload = env.Duration("PHARMASYS_AUTH_KEY_RELOAD", std::chrono::minutes(1));
  const auto admin_password = env.Optional("PHARMASYS_ADMIN_PASSWORD");
  // Service clients for client_credentials, each enabled by its secret.
  for (const char* client : {"producao", "cq", "estoque", "relatorios", "gateway"}) {
    std::string variable = "PHARMASYS_CLIENT_SECRET_" + std::string(client);
    for (auto& c : variable) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (auto secret = env.Optional(variable)) ctx.config.clients[client] = {*secret, {"servico"}};
  }
  const int port = env.Port("PHARMASYS_HTTP_PORT", 8081);
  // PHARMASYS_IDP=keycloak: the plant's realm signs users and services in; Auth keeps the
  // electronic signatures (their keys, record, single use, four eyes and audit).
  const std::string idp = env.String("PHARMASYS_IDP", "pharmasys");
  if (idp == "keycloak") {
    ctx.config.keycloak =
        AuthConfig::Keycloak{.token_url = env.Url("PHARMASYS_KEYCLOAK_TOKEN_URL", "", true),
                             .client_id = env.String("PHARMASYS_KEYCLOAK_CLIENT_ID", "pharmasys-assinaturas"),
                             .client_secret = env.Required("PHARMASYS_KEYCLOAK_CLIENT_SECRET")};
    if (auth::TrustedIssuersFromEnv(env).empty()) {
      env.Invalid("PHARMASYS_JWT_ISSUER_2_DISCOVERY_URL",
                  "required with PHARMASYS_IDP=keycloak (the realm's /.well-known/openid-configuration)");
    }
  } else if (idp != "pharmasys") {
    env.Invalid("PHARMASYS_IDP", "expected pharmasys or keycloak, got '" + idp + "'");
  }

  // Auth verifies its own tokens with its own keys (fetched from itself after a rotation).
  auto verifier = std::make_shared<auth::JwtVerifier>(
      auth::VerifierOptions{.issuer = ctx.config.issuer,
                            .jwks_url = "http://127.0.0.1:" + std::to_string(port) + "/v1/auth/jwks",
                            .trusted_issuers = auth::TrustedIssuersFromEnv(env)},
      std::make_shared<http::Client>());
  ctx.verifier = verifier;
  ctx.client = std::make_shared<http::Client>();
  service.router().Use(auth::Authenticate(verifier, {"/v1/auth/token", "/v1/auth/revogar", "/v1/auth/autorizar",
                                                     "/v1/auth/.well-known/", "/v1/auth/jwks"}));
  service.ExposeAuditVerification();
  AddTokenRoutes(service.router(), ctx);
  AddAuthorizationRoutes(service.router(), ctx);
  AddAccessReviewRoutes(service.router(), ctx);
  AddUserRoutes(service.router(), ctx);

  service.OnStart([&] {
    ctx.keys = std::make_unique<KeyStore>(service.db(), key_hex, key_reload);
    ctx.keys->EnsureCurrentKey();
    verifier->SetJwks(ctx.keys->Jwks());
    if (demo) {
      static const Seed kDemo[] = {{"admin", "Administradora Demo", "administrador"},
                                   {"gestor", "Gestor de Produção Demo", "gestor_producao"},
                                   {"analista", "Analista de CQ Demo", "analista_cq"},
                                   {"analista2", "Segunda Analista de CQ Demo", "analista_cq"},
                                   {"estoquista", "Estoquista Demo", "estoquista"},
                                   {"auditor", "Auditor Demo", "auditor"}};
      for (const auto& seed : kDemo) SeedUser(service.db(), seed, "pharmasys-demo", "demo");
      std::cout << "Demo mode: users admin, gestor, analista, analista2, estoquista, auditor "
                   "(password pharmasys-demo)\n"
                << std::flush;
      log::Warn("demo mode: demo users with a known password exist; never use this in production");
    } else if (service.db().Exec(kHasAdmin).Single().Int(0) == 0) {
      if (!admin_password) {
        log::Warn("no administrator exists; set PHARMASYS_ADMIN_PASSWORD to create 'admin'");
      } else {
        if (auto problem = PasswordProblem(*admin_password); !problem.empty()) {
          throw std::runtime_error("PHARMASYS_ADMIN_PASSWORD " + problem);
        }
        SeedUser(service.db(), {"admin", "Administrador", "administrador"}, *admin_password, "configuracao");
      }
    }
  });

  service.AddCommand("rotate-keys", "create a new signing key; the current one stays in the JWKS as previous", [&] {
    KeyStore keys(service.db(), key_hex);
    std::cout << "new signing key " << keys.Rotate() << "\n";
    return 0;
  });
  return service.Run(argc, argv);
}
