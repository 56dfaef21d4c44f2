// The Auth service as a process against the real PostgreSQL and RabbitMQ of ./pharmasys test.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cjose/base64.h>

#include "amqp_support.hpp"
#include "http_support.hpp"
#include "issuer_support.hpp"
#include "keycloak_support.hpp"
#include "list_support.hpp"
#include "pg_support.hpp"
#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/crypto.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/pg/migrations.hpp"
#include "service_db_support.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;

const std::string kIssuer = "http://localhost:8080/v1/auth";

using Fields = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded (and a query string): every byte but the unreserved ones
// percent-encoded.
std::string Form(const Fields& fields) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const auto& [k, v] : fields) {
    out += (out.empty() ? "" : "&") + k + "=";
    for (char c : v) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~') {
        out.push_back(c);
      } else {
        out += {'%', kHex[static_cast<unsigned char>(c) >> 4], kHex[static_cast<unsigned char>(c) & 0x0F]};
      }
    }
  }
  return out;
}

// The Authorization Code flow as the web client runs it, with RFC 7636 Appendix B's verifier.
const std::string kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const std::string kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const std::string kRedirect = "http://localhost:8080/entrar/retorno";
const std::string kOtherRedirect = "http://127.0.0.1:8080/entrar/retorno";  // the default's second one

Fields AuthorizationParams(const std::string& state = "estado-1", const std::string& redirect = kRedirect) {
  return {{"response_type", "code"}, {"client_id", "pharmasys-web"}, {"redirect_uri", redirect},
          {"state", state},          {"code_challenge", kChallenge}, {"code_challenge_method", "S256"}};
}

Fields With(Fields fields, const Fields& more) {
  fields.insert(fields.end(), more.begin(), more.end());
  return fields;
}

Fields Replaced(Fields fields, const std::string& name, const std::optional<std::string>& value) {
  std::erase_if(fields, [&](const auto& f) { return f.first == name; });
  if (value) fields.emplace_back(name, *value);
  return fields;
}

Fields Credentials(const std::string& user, const std::string& password = "pharmasys-demo") {
  return {{"username", user}, {"password", password}};
}

// The query parameters of a Location.
std::map<std::string, std::string> QueryOf(const http::ClientResponse& response) {
  std::string location(response.headers.GetOr("Location", ""));
  auto q = location.find('?');
  return q == std::string::npos ? std::map<std::string, std::string>{} : http::ParseForm(location.substr(q + 1));
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

boost::json::object Payload(const std::string& jwt) {
  return ClaimsOf(jwt);
}

class AuthService : public ::testing::Test {
 protected:
  void SetUp() override { Start({"PHARMASYS_DEMO=1"}); }

  void Start(std::vector<std::string> extra) {
    port_ = FreePort();
    std::vector<std::string> env = PrepareServiceDatabase(PHARMASYS_AUTH_BIN, db_);
    env.insert(env.end(),
               {"PHARMASYS_HTTP_PORT=" + std::to_string(port_), "PHARMASYS_AMQP_URL=" + broker_.options().url,
                "PHARMASYS_AMQP_PREFIX=" + broker_.options().prefix,
                "PHARMASYS_AUTH_KEY_ENCRYPTION_KEY=" + std::string(64, 'a'),
                "PHARMASYS_CLIENT_SECRET_PRODUCAO=secret-of-producao-1234", "PHARMASYS_AUTH_ISSUER=" + kIssuer});
    env.insert(env.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ChildProcess>(PHARMASYS_AUTH_BIN, env);
    ASSERT_TRUE(Eventually([&] { return Get(port_, "/healthz").status == 200; }, std::chrono::seconds(30)))
        << process_->Stderr();
    base_ = "http://127.0.0.1:" + std::to_string(port_);
  }

  http::ClientResponse Call(http::Method method, const std::string& path, const std::string& body,
                            const std::string& content_type, const std::string& token = "",
                            std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::ClientRequest r{method, base_ + path, {}, body};
    r.headers.Set("Content-Type", content_type);
    if (!token.empty()) r.headers.Set("Authorization", "Bearer " + token);
    for (auto& [k, v] : headers) r.headers.Set(k, v);
    return client_.Send(r, std::chrono::seconds(10));
  }
  http::ClientResponse Token(const Fields& form) {
    return Call(http::Method::Post, "/v1/auth/token", Form(form), "application/x-www-form-urlencoded");
  }
  http::ClientResponse Login(const std::string& user, const std::string& password) {
    return Token(
        {{"grant_type", "password"}, {"username", user}, {"password", password}, {"client_id", "pharmasys-web"}});
  }
  std::string AccessToken(const std::string& user) {
    auto res = Login(user, "pharmasys-demo");
    EXPECT_EQ(res.status, 200) << res.body;
    return std::string(json::Parse(res.body).at("access_token").as_string());
  }
  std::shared_ptr<auth::JwtVerifier> Verifier() {
    return std::make_shared<auth::JwtVerifier>(
        auth::VerifierOptions{.issuer = kIssuer, .jwks_url = base_ + "/v1/auth/jwks"},
        std::make_shared<http::Client>());
  }
  http::ClientResponse Authorize(const Fields& query) {
    return Call(http::Method::Get, "/v1/auth/autorizar?" + Form(query), "", "text/plain");
  }
  http::ClientResponse SignIn(const Fields& form, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return Call(http::Method::Post, "/v1/auth/autorizar", Form(form), "application/x-www-form-urlencoded", "",
                std::move(headers));
  }
  // `user` signs in on the sign-in form; the code of the answer's redirect.
  std::string Code(const std::string& user, const std::string& redirect = kRedirect) {
    auto res = SignIn(With(AuthorizationParams("estado-1", redirect), Credentials(user)));
    EXPECT_EQ(res.status, 303) << res.body;
    auto query = QueryOf(res);
    return query.count("code") ? query.at("code") : "";
  }
  http::ClientResponse Exchange(const std::string& code, const std::string& verifier = kVerifier,
                                const std::string& redirect = kRedirect, const std::string& client = "pharmasys-web") {
    return Token({{"grant_type", "authorization_code"},
                  {"code", code},
                  {"redirect_uri", redirect},
                  {"client_id", client},
                  {"code_verifier", verifier}});
  }
  static std::string ErrorOf(const http::ClientResponse& res) {
    return std::string(json::Parse(res.body).at("error").as_string());
  }
  std::int64_t Count(const std::string& sql) {
    pg::Pool pool(pg::PoolOptions{.conninfo = db_.url()});
    return pool.Exec(pg::Query{"count_rows", sql.c_str()}).Single().Int(0);
  }
  std::int64_t Audited(const std::string& acao) {
    pg::Pool pool(pg::PoolOptions{.conninfo = db_.url()});
    return pool
        .Exec(pg::Query{"count_acao", "SELECT count(*) FROM auditoria_registro WHERE acao = $1"}, pg::Params(acao))
        .Single()
        .Int(0);
  }

  TestDatabase db_;
  TestBroker broker_;
  std::uint16_t port_ = 0;
  std::string base_;
  std::unique_ptr<ChildProcess> process_;
  http::Client client_;
};

// proves: A5
TEST_F(AuthService, PasswordGrantIssuesAKeycloakShapedTokenThatVerifies) {
  auto res = Login("analista", "pharmasys-demo");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.headers.GetOr("Cache-Control", ""), "no-store");
  auto body = json::Parse(res.body);
  EXPECT_EQ(body.at("token_type").as_string(), "Bearer");
  EXPECT_EQ(body.at("expires_in").as_int64(), 300);
  std::string token(body.at("access_token").as_string());
  auto claims = Payload(token);
  EXPECT_EQ(claims.at("iss").as_string(), kIssuer);
  EXPECT_EQ(claims.at("typ").as_string(), "Bearer");
  EXPECT_EQ(claims.at("azp").as_string(), "pharmasys-web");
  EXPECT_EQ(claims.at("preferred_username").as_string(), "analista");
  EXPECT_EQ(claims.at("aud").as_array().at(0).as_string(), "pharmasys");
  EXPECT_EQ(claims.at("exp").as_int64() - claims.at("iat").as_int64(), 300);
  EXPECT_EQ(claims.at("realm_access").at("roles").as_array().at(0).as_string(), "analista_cq");
  auto principal = Verifier()->VerifyAccessToken(token);
  EXPECT_EQ(principal.username, "analista");
  EXPECT_EQ(principal.roles, std::vector<std::string>{"analista_cq"});
  auto me = Call(http::Method::Get, "/v1/auth/me", "", "application/json", token);
  EXPECT_EQ(json::Parse(me.body).at("username").as_string(), "analista");
  EXPECT_EQ(Audited("login.sucesso"), 1);
}

// proves: A5
TEST_F(AuthService, GrantErrorsFollowRfc6749) {
  auto wrong = Login("analista", "wrong-password");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(json::Parse(wrong.body).at("error").as_string(), "invalid_grant");
  auto unknown = Login("nobody", "whatever-123");
  EXPECT_EQ(json::Parse(unknown.body).at("error").as_string(), "invalid_grant");
  EXPECT_EQ(wrong.body.find("analista"), std::string::npos);
  auto grant = Token({{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"}});
  EXPECT_EQ(json::Parse(grant.body).at("error").as_string(), "unsupported_grant_type");
  auto no_code = Token({{"grant_type", "authorization_code"}, {"client_id", "pharmasys-web"}});
  EXPECT_EQ(json::Parse(no_code.body).at("error").as_string(), "invalid_request");
  auto missing = Token({{"grant_type", "password"}, {"client_id", "pharmasys-web"}});
  EXPECT_EQ(json::Parse(missing.body).at("error").as_string(), "invalid_request");
  auto client = Token({{"grant_type", "client_credentials"}, {"client_id", "producao"}, {"client_secret", "nope"}});
  EXPECT_EQ(client.status, 401);
  EXPECT_EQ(json::Parse(client.body).at("error").as_string(), "invalid_client");
  EXPECT_EQ(Audited("login.falha"), 2);
}

TEST_F(AuthService, ClientCredentialsGiveAServiceToken) {
  auto res = Token(
      {{"grant_type", "client_credentials"}, {"client_id", "producao"}, {"client_secret", "secret-of-producao-1234"}});
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = json::Parse(res.body);
  EXPECT_FALSE(body.as_object().contains("refresh_token"));
  auto principal = Verifier()->VerifyAccessToken(body.at("access_token").as_string());
  EXPECT_EQ(principal.sub, "servico:producao");
  EXPECT_TRUE(principal.HasRole("servico"));
}

TEST_F(AuthService, RefreshTokensRotateAndReuseRevokesTheFamily) {
  auto first = json::Parse(Login("gestor", "pharmasys-demo").body);
  std::string rt1(first.at("refresh_token").as_string());
  auto second = Token({{"grant_type", "refresh_token"}, {"refresh_token", rt1}, {"client_id", "pharmasys-web"}});
  ASSERT_EQ(second.status, 200) << second.body;
  std::string rt2(json::Parse(second.body).at("refresh_token").as_string());
  EXPECT_NE(rt1, rt2);
  // rt1 again: a stolen token replayed. The whole family ends, rt2 included.
  auto replay = Token({{"grant_type", "refresh_token"}, {"refresh_token", rt1}, {"client_id", "pharmasys-web"}});
  EXPECT_EQ(json::Parse(replay.body).at("error").as_string(), "invalid_grant");
  auto after = Token({{"grant_type", "refresh_token"}, {"refresh_token", rt2}, {"client_id", "pharmasys-web"}});
  EXPECT_EQ(json::Parse(after.body).at("error").as_string(), "invalid_grant");
  EXPECT_EQ(Audited("refresh_token.reutilizado"), 2);  // the replay, and the use of the revoked rt2
  // A refresh token is not an access token.
  EXPECT_THROW(Verifier()->VerifyAccessToken(rt2), Unauthenticated);
}

// proves: X3 A5
TEST_F(AuthService, FiveFailuresLockTheAccountForFifteenMinutes) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Login("estoquista", "wrong-" + std::to_string(i)).status, 400);
  auto locked = Login("estoquista", "pharmasys-demo");
  EXPECT_EQ(locked.status, 400);
  EXPECT_NE(json::Parse(locked.body).at("error_description").as_string().find("bloqueada"), std::string::npos);
  EXPECT_EQ(Audited("usuario.bloqueado"), 1);
  pg::Pool pool(pg::PoolOptions{.conninfo = db_.url()});
  auto minutes = pool.Exec(pg::Query{"lock_left",
                                     "SELECT extract(epoch from bloqueado_ate - now()) / 60 FROM usuarios"
                                     " WHERE username = 'estoquista'"})
                     .Single()
                     .String(0);
  EXPECT_NEAR(std::stod(minutes), 15.0, 0.5);
  // When the lock has expired the right password works again.
  db_.Superuser("UPDATE usuarios SET bloqueado_ate = now() - interval '1 second' WHERE username = 'estoquista'");
  EXPECT_EQ(Login("estoquista", "pharmasys-demo").status, 200);
}

// proves: X3
TEST_F(AuthService, PasswordsAreStoredAsArgon2idWithOwaspParameters) {
  pg::Pool pool(pg::PoolOptions{.conninfo = db_.url()});
  auto hash =
      pool.Exec(pg::Query{"hash", "SELECT senha_hash FROM usuarios WHERE username = 'admin'"}).Single().String(0);
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << hash;
  EXPECT_EQ(hash.find("pharmasys-demo"), std::string::npos);
}

// proves: S1 A5
TEST_F(AuthService, SignatureTokensAreBoundToUserRecordMeaningAndUsedOnce) {
  std::string token = AccessToken("analista");
  auto sign = [&](const std::string& senha, const std::string& recurso, const std::string& significado) {
    return Call(
        http::Method::Post, "/v1/auth/assinaturas",
        json::Serialize(boost::json::object{{"senha", senha}, {"recurso", recurso}, {"significado", significado}}),
        "application/json", token);
  };
  auto refused = sign("wrong-password", "amostra:1", "aprovacao");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("assinatura-invalida"), std::string::npos);
  auto ok = sign("pharmasys-demo", "amostra:1", "aprovacao");
  ASSERT_EQ(ok.status, 201) << ok.body;
  std::string signature(json::Parse(ok.body).at("assinatura_token").as_string());
  EXPECT_EQ(Audited("assinatura.emitida"), 1);
  EXPECT_EQ(Audited("assinatura.recusada"), 1);

  // A ✍ endpoint of another service consumes it in its own database.
  TestDatabase other;
  pg::Pool pool(pg::PoolOptions{.conninfo = other.url()});
  pg::Migrate(pool, pg::PlatformMigrations(), "plataforma");
  auto verifier = Verifier();
  auto request_as = [&](const std::string& sub) {
    http::Request r;
    r.principal.sub = sub;
    r.headers.Set("X-Assinatura", signature);
    return r;
  };
  std::string sub(Payload(signature).at("sub").as_string());
  auto consume = [&](const http::Request& r, const std::string& recurso, std::initializer_list<std::string_view> m) {
    return pool.Transact([&](pg::Transaction& tx) { return auth::ConsumeSignature(tx, *verifier, r, recurso, m); });
  };
  EXPECT_THROW(consume(request_as("someone-else"), "amostra:1", {"aprovacao"}), Error);  // other user
  EXPECT_THROW(consume(request_as(sub), "amostra:2", {"aprovacao"}), Error);             // other record
  EXPECT_THROW(consume(request_as(sub), "amostra:1", {"reprovacao"}), Error);            // other meaning
  auto s = consume(request_as(sub), "amostra:1", {"aprovacao", "reprovacao"});
  EXPECT_EQ(s.nome, "Analista de CQ Demo");
  EXPECT_EQ(s.significado, "aprovacao");
  EXPECT_EQ(s.em.size(), 24u);
  try {
    consume(request_as(sub), "amostra:1", {"aprovacao"});  // second use
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 403);
    EXPECT_EQ(e.slug(), "assinatura-invalida");
  }
  EXPECT_THROW(verifier->VerifyAccessToken(signature), Unauthenticated);  // not an access token either
}

// proves: A5 X3
TEST_F(AuthService, UserAdministrationIsAuditedAndRoleChecked) {
  std::string admin = AccessToken("admin");
  std::string body = R"({"username":"novo.analista","nome":"Novo Analista","email":"novo@plant.example",
                         "roles":["analista_cq"],"senha":"uma-senha-longa"})";
  auto create = [&](const std::string& token, const std::string& key) {
    return Call(http::Method::Post, "/v1/usuarios", body, "application/json", token, {{"Idempotency-Key", key}});
  };
  EXPECT_EQ(create(AccessToken("gestor"), "k0").status, 403);
  auto created = create(admin, "k1");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_FALSE(created.headers.GetOr("Location", "").empty());
  EXPECT_EQ(created.body.find("senha"), std::string::npos);
  EXPECT_EQ(create(admin, "k1").headers.GetOr("Idempotent-Replayed", ""), "true");
  EXPECT_EQ(create(admin, "k2").status, 409);  // usernames are never reused
  std::string id(json::Parse(created.body).at("id").as_string());

  auto patch = [&](const std::string& json_body, const std::string& key, const std::string& if_match) {
    return Call(http::Method::Patch, "/v1/usuarios/" + id, json_body, "application/json", admin,
                {{"Idempotency-Key", key}, {"If-Match", if_match}});
  };
  EXPECT_EQ(patch(R"({"roles":["auditor"]})", "p0", "\"1\"").status, 422);  // motivo is required
  auto changed = patch(R"({"roles":["auditor"],"motivo":"mudou de função"})", "p1", "\"1\"");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json::Parse(changed.body).at("roles").as_array().at(0).as_string(), "auditor");
  EXPECT_EQ(patch(R"({"nome":"Outro","motivo":"correção do nome"})", "p2", "\"1\"").status, 412);
  auto off = patch(R"({"ativo":false,"motivo":"desligado da empresa"})", "p3", "\"2\"");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(Login("novo.analista", "uma-senha-longa").status, 400);  // deactivated

  EXPECT_EQ(Audited("usuario.criado"), 7);  // six demo users and this one
  EXPECT_EQ(Audited("usuario.papeis_alterados"), 1);
  EXPECT_EQ(Audited("usuario.desativado"), 1);
  auto list = Call(http::Method::Get, "/v1/usuarios?limit=3", "", "application/json", admin);
  auto page = json::Parse(list.body);
  EXPECT_EQ(page.at("items").as_array().size(), 3u);
  EXPECT_TRUE(page.at("next_cursor").is_string());
}

// The periodic access review: every account, its roles and last sign-in, and who granted or
// withdrew what, when and why — for the auditor, as JSON, CSV and PDF; refused to other roles.
// proves: A5
TEST_F(AuthService, TheAccessReviewShowsEveryAccountItsLastSignInAndWhoGrantedWhat) {
  std::string admin = AccessToken("admin");
  auto created = Call(http::Method::Post, "/v1/usuarios",
                      R"({"username":"revista","nome":"Conta Revista","email":"r@plant.example",
                          "roles":["estoquista"],"senha":"uma-senha-longa"})",
                      "application/json", admin, {{"Idempotency-Key", "r1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(json::Parse(created.body).at("id").as_string());
  auto changed = Call(http::Method::Patch, "/v1/usuarios/" + id,
                      R"({"roles":["estoquista","auditor"],"motivo":"auditoria interna"})", "application/json", admin,
                      {{"Idempotency-Key", "r2"}, {"If-Match", "\"1\""}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  ASSERT_EQ(Login("revista", "uma-senha-longa").status, 200);

  const std::string path = "/v1/usuarios/revisao-de-acesso";
  EXPECT_EQ(Call(http::Method::Get, path, "", "application/json", AccessToken("gestor")).status, 403);
  auto res = Call(http::Method::Get, path, "", "application/json", AccessToken("auditor"));
  ASSERT_EQ(res.status, 200) << res.body;
  auto review = json::Parse(res.body);
  const boost::json::object* conta = nullptr;
  for (const auto& c : review.at("contas").as_array()) {
    if (c.at("username").as_string() == "revista") conta = &c.as_object();
  }
  ASSERT_NE(conta, nullptr) << res.body;
  EXPECT_EQ(review.at("contas").as_array().size(), 7U);  // six demo users and this one
  EXPECT_EQ(json::Serialize(conta->at("roles")), R"(["estoquista","auditor"])");
  EXPECT_TRUE(conta->at("ultimo_acesso_em").is_string());
  const auto& grants = conta->at("concessoes").as_array();
  ASSERT_EQ(grants.size(), 2U) << json::Serialize(*conta);
  EXPECT_EQ(grants[0].at("acao").as_string(), "usuario.criado");
  EXPECT_EQ(grants[0].at("por").as_string(), "admin");
  EXPECT_EQ(json::Serialize(grants[0].at("depois")), R"({"roles":["estoquista"],"ativo":true})");
  EXPECT_EQ(grants[1].at("acao").as_string(), "usuario.papeis_alterados");
  EXPECT_EQ(json::Serialize(grants[1].at("antes")), R"({"roles":["estoquista"]})");
  EXPECT_EQ(json::Serialize(grants[1].at("depois")), R"({"roles":["estoquista","auditor"]})");
  EXPECT_EQ(grants[1].at("motivo").as_string(), "auditoria interna");
  EXPECT_EQ(review.at("hash").as_string().size(), 64U);

  auto csv = Call(http::Method::Get, path, "", "application/json", AccessToken("auditor"), {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("username,nome,email,papeis,ativo,ultimo_acesso_em,acao,em,por,antes,depois,motivo\r\n", 0),
            0U);
  EXPECT_NE(csv.body.find("revista,Conta Revista,r@plant.example,\"estoquista, auditor\",sim,"), std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(",usuario.papeis_alterados,"), std::string::npos);
  EXPECT_NE(csv.body.find(",admin,estoquista,\"estoquista, auditor\",auditoria interna\r\n"), std::string::npos)
      << csv.body;

  auto pdf =
      Call(http::Method::Get, path, "", "application/json", AccessToken("admin"), {{"Accept", "application/pdf"}});
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0U);
  const std::string text = PdfText(pdf.body);
  EXPECT_NE(text.find("Revisão periódica de acessos"), std::string::npos) << text;
  EXPECT_NE(text.find("Conta Revista (revista)"), std::string::npos) << text;
  EXPECT_NE(text.find("estoquista → estoquista, auditor"), std::string::npos) << text;
  EXPECT_NE(text.find("auditoria interna"), std::string::npos) << text;
  EXPECT_NE(text.find(std::string(pdf.headers.GetOr("X-Hash-Do-Registro", "-"))), std::string::npos);
}

TEST_F(AuthService, UsersListNewestFirstAcrossPages) {
  std::string admin = AccessToken("admin");
  std::vector<std::string> created;
  for (const char* username : {"lista.um", "lista.dois", "lista.tres"}) {
    boost::json::object user{{"username", username},
                             {"nome", "Usuário " + std::string(username)},
                             {"email", std::string(username) + "@plant.example"},
                             {"roles", boost::json::array{"auditor"}},
                             {"senha", "uma-senha-longa"}};
    auto res = Call(http::Method::Post, "/v1/usuarios", json::Serialize(user), "application/json", admin,
                    {{"Idempotency-Key", username}});
    ASSERT_EQ(res.status, 201) << res.body;
    created.emplace_back(json::Parse(res.body).at("id").as_string());
  }
  auto get = [&](const std::string& target) {
    auto res = Call(http::Method::Get, target, "", "application/json", admin);
    if (res.status != 200) throw std::runtime_error(target + ": " + res.body);
    return json::Parse(res.body);
  };
  ExpectNewestFirst(get, "/v1/usuarios", created);  // after the six demo users
  ExpectOrdemRefused(Call(http::Method::Get, "/v1/usuarios?ordem=recentes", "", "application/json", admin));
}

TEST_F(AuthService, RevokingARefreshTokenEndsItsSession) {
  auto login = json::Parse(Login("auditor", "pharmasys-demo").body);
  std::string rt(login.at("refresh_token").as_string());
  auto revoked = Call(http::Method::Post, "/v1/auth/revogar", "token=" + rt, "application/x-www-form-urlencoded");
  EXPECT_EQ(revoked.status, 200);
  auto refresh = Token({{"grant_type", "refresh_token"}, {"refresh_token", rt}, {"client_id", "pharmasys-web"}});
  EXPECT_EQ(json::Parse(refresh.body).at("error").as_string(), "invalid_grant");
  // RFC 7009: an unknown token is not an error.
  EXPECT_EQ(Call(http::Method::Post, "/v1/auth/revogar", "token=nonsense", "application/x-www-form-urlencoded").status,
            200);
  EXPECT_EQ(Audited("refresh_token.revogado"), 1);
}

// proves: A5
TEST_F(AuthService, ChangingAPasswordIsAuditedAndEndsSessions) {
  std::string token = AccessToken("gestor");
  auto login = json::Parse(Login("gestor", "pharmasys-demo").body);
  std::string sub(Payload(token).at("sub").as_string());
  auto change = Call(http::Method::Post, "/v1/usuarios/" + sub + "/senha",
                     R"({"senha":"nova-senha-do-gestor","senha_atual":"pharmasys-demo"})", "application/json", token,
                     {{"Idempotency-Key", "senha-1"}});
  ASSERT_EQ(change.status, 200) << change.body;
  EXPECT_EQ(Audited("usuario.senha_alterada"), 1);
  EXPECT_EQ(Login("gestor", "pharmasys-demo").status, 400);
  EXPECT_EQ(Login("gestor", "nova-senha-do-gestor").status, 200);
  auto refresh = Token({{"grant_type", "refresh_token"},
                        {"refresh_token", std::string(login.at("refresh_token").as_string())},
                        {"client_id", "pharmasys-web"}});
  EXPECT_EQ(refresh.status, 400);  // the old session's refresh token is revoked
}

// RULES.md X7: a wrong `senha_atual` is a failed password check like a wrong login: it counts
// toward the lockout and is audited, each one with its counter, in one transaction.
// proves: X7 X3 A5
TEST_F(AuthService, WrongCurrentPasswordsCountTowardTheLockoutAndAreAudited) {
  std::string token = AccessToken("gestor");
  std::string sub(Payload(token).at("sub").as_string());
  pg::Pool pool(pg::PoolOptions{.conninfo = db_.url()});
  auto failures = [&] {
    return pool.Exec(pg::Query{"failures", "SELECT falhas_consecutivas FROM usuarios WHERE username = 'gestor'"})
        .Single()
        .Int(0);
  };
  auto change = [&](const std::string& atual, int attempt) {
    return Call(http::Method::Post, "/v1/usuarios/" + sub + "/senha",
                json::Serialize(boost::json::object{{"senha", "nova-senha-do-gestor"}, {"senha_atual", atual}}),
                "application/json", token, {{"Idempotency-Key", "senha-errada-" + std::to_string(attempt)}});
  };
  for (int i = 1; i <= 6; ++i) {
    auto refused = change("wrong-" + std::to_string(i), i);
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_NE(refused.body.find("sem-permissao"), std::string::npos) << refused.body;
    EXPECT_EQ(Audited("usuario.senha_atual.falha"), i);
    EXPECT_EQ(failures(), std::min(i, 5));
  }
  EXPECT_EQ(Audited("usuario.bloqueado"), 1);
  // Locked: the right password is refused by login with the lockout, and by the change too.
  auto login = Login("gestor", "pharmasys-demo");
  EXPECT_EQ(login.status, 400);
  EXPECT_NE(json::Parse(login.body).at("error_description").as_string().find("bloqueada"), std::string::npos);
  auto right = change("pharmasys-demo", 7);
  EXPECT_EQ(right.status, 403) << right.body;
  EXPECT_NE(right.body.find("bloqueada"), std::string::npos) << right.body;
  EXPECT_EQ(Audited("usuario.senha_alterada"), 0);
  EXPECT_EQ(Login("gestor", "nova-senha-do-gestor").status, 400);  // the password never changed
}

// Login, signature and password change share one count: five wrong checks in any mix lock.
// proves: X7 X3
TEST_F(AuthService, EveryKindOfPasswordCheckCountsTowardTheSameLockout) {
  std::string token = AccessToken("analista");
  std::string sub(Payload(token).at("sub").as_string());
  EXPECT_EQ(Login("analista", "wrong-1").status, 400);
  EXPECT_EQ(Login("analista", "wrong-2").status, 400);
  for (const char* senha : {"wrong-3", "wrong-4"}) {
    auto sign = Call(
        http::Method::Post, "/v1/auth/assinaturas",
        json::Serialize(boost::json::object{{"senha", senha}, {"recurso", "amostra:1"}, {"significado", "aprovacao"}}),
        "application/json", token);
    EXPECT_EQ(sign.status, 403) << sign.body;
  }
  EXPECT_EQ(Audited("assinatura.reautenticacao.falha"), 2);
  auto change = Call(http::Method::Post, "/v1/usuarios/" + sub + "/senha",
                     R"({"senha":"nova-senha-da-analista","senha_atual":"wrong-5"})", "application/json", token,
                     {{"Idempotency-Key", "senha-5"}});
  EXPECT_EQ(change.status, 403) << change.body;
  EXPECT_EQ(Audited("usuario.bloqueado"), 1);
  EXPECT_EQ(Login("analista", "pharmasys-demo").status, 400);
}

class AuthServiceFastKeyReload : public AuthService {
 protected:
  void SetUp() override { Start({"PHARMASYS_DEMO=1", "PHARMASYS_AUTH_KEY_RELOAD=200ms"}); }
};

TEST_F(AuthServiceFastKeyReload, RotatedKeysArePublishedWithThePreviousOne) {
  std::string before = AccessToken("analista");
  ChildProcess rotate(
      PHARMASYS_AUTH_BIN,
      {"PHARMASYS_DB_URL=" + db_.runtime_url(), "PHARMASYS_AUTH_KEY_ENCRYPTION_KEY=" + std::string(64, 'a')},
      {"rotate-keys"});
  ASSERT_EQ(rotate.Wait(std::chrono::seconds(30)), 0) << rotate.Stderr();
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto jwks = json::Parse(Call(http::Method::Get, "/v1/auth/jwks", "", "application/json").body);
  ASSERT_EQ(jwks.at("keys").as_array().size(), 2u);  // current and previous
  std::string after = AccessToken("analista");
  auto kid = [](const std::string& jwt) {
    uint8_t* out = nullptr;
    size_t len = 0;
    cjose_err err{};
    cjose_base64url_decode(jwt.c_str(), jwt.find('.'), &out, &len, &err);
    std::string text(reinterpret_cast<char*>(out), len);
    std::free(out);
    return std::string(json::Parse(text).at("kid").as_string());
  };
  EXPECT_NE(kid(before), kid(after));
  auto verifier = Verifier();
  EXPECT_NO_THROW(verifier->VerifyAccessToken(before));  // signed before the rotation, still valid
  EXPECT_NO_THROW(verifier->VerifyAccessToken(after));
}

class AuthServiceShortSignatures : public AuthService {
 protected:
  void SetUp() override { Start({"PHARMASYS_DEMO=1", "PHARMASYS_AUTH_SIGNATURE_TTL=1s"}); }
};

TEST_F(AuthServiceShortSignatures, AnExpiredSignatureIsRefused) {
  std::string token = AccessToken("analista2");
  auto ok =
      Call(http::Method::Post, "/v1/auth/assinaturas",
           R"({"senha":"pharmasys-demo","recurso":"desvio:7","significado":"revisao"})", "application/json", token);
  ASSERT_EQ(ok.status, 201) << ok.body;
  std::string signature(json::Parse(ok.body).at("assinatura_token").as_string());
  auto claims = Payload(signature);
  EXPECT_EQ(claims.at("exp").as_int64() - claims.at("iat").as_int64(), 1);
  EXPECT_NO_THROW(Verifier()->VerifySignatureToken(signature));
  // 1 s of life, 2 s of skew forgiven, and up to 1 s lost to whole-second claims.
  std::this_thread::sleep_for(std::chrono::milliseconds(4600));
  try {
    Verifier()->VerifySignatureToken(signature);
    FAIL() << "an expired signature was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 403);
    EXPECT_EQ(e.slug(), "assinatura-invalida");
  }
}

// RULES.md A6: whatever an anonymous request carries, its record is sealed and published
// within seconds, and so is everything after it.
// proves: A6
TEST_F(AuthService, HostileRequestsLeaveTheTrailSealedAndPublished) {
  broker_.Channel();  // Relatórios' queue exists: the trail has somewhere to go
  EXPECT_EQ(Token({{"grant_type", "client_credentials"}}).status, 401);  // no client_id
  EXPECT_EQ(Token({{"grant_type", "client_credentials"}, {"client_id", ""}, {"client_secret", "x"}}).status, 401);
  EXPECT_EQ(Login(std::string(5000, 'u'), "x").status, 400);
  EXPECT_EQ(Login("", "x").status, 400);
  EXPECT_EQ(Login(std::string("ad\xFF\xFEmin"), "x").status / 100, 4);
  EXPECT_EQ(Login("analista", "wrong").status, 400);  // an ordinary record behind them
  const auto token = AccessToken("auditor");
  pg::Pool pool(pg::PoolOptions{.conninfo = db_.url()});
  constexpr pg::Query kUnsent{"unsent", "SELECT count(*) FROM outbox WHERE publicado_em IS NULL"};
  boost::json::value report;
  EXPECT_TRUE(Eventually(
      [&] {
        auto res = Call(http::Method::Get, "/auditoria/verificacao", "", "application/json", token);
        if (res.status != 200) return false;
        report = json::Parse(res.body);
        return report.at("pendentes").as_int64() == 0 && pool.Exec(kUnsent).Single().Int(0) == 0;
      },
      std::chrono::seconds(10)))
      << json::Serialize(report) << " unsent: "
      << json::Serialize(boost::json::value(
             pool.Exec(pg::Query{"unsent_types",
                                 "SELECT coalesce(string_agg(tipo, ','), '') FROM outbox WHERE publicado_em IS NULL"})
                 .Single()
                 .String(0)));
  EXPECT_TRUE(report.at("integra").as_bool());
  EXPECT_EQ(report.at("nao_publicados").as_int64(), 0);
  EXPECT_GE(report.at("registros").as_int64(), 6);
  // What was published is what Relatórios receives: every event on the broker passes its schema.
  constexpr pg::Query kEvents{"audit_envelopes", "SELECT envelope FROM outbox WHERE tipo = 'auditoria.registrada'"};
  auto rows = pool.Exec(kEvents);
  EXPECT_GE(rows.size(), 6);
  for (int i = 0; i < rows.size(); ++i) {
    auto violations = events::SchemaViolations(json::Parse(rows[i].Text(0)));
    EXPECT_TRUE(violations.empty()) << violations.front();
  }
}

// ---- The Authorization Code flow with PKCE (GET/POST /v1/auth/autorizar, grant_type=authorization_code)

TEST_F(AuthService, TheAuthorizationCodeFlowSignsTheWebClientInWithPkce) {
  auto page = Authorize(AuthorizationParams());
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.headers.GetOr("Content-Type", ""), "text/html; charset=utf-8");
  const std::string csp(page.headers.GetOr("Content-Security-Policy", ""));
  EXPECT_TRUE(csp.starts_with("default-src 'none'; style-src 'sha256-")) << csp;
  for (const char* directive :
       {"form-action 'self' http://localhost:8080", "frame-ancestors 'none'", "base-uri 'none'"}) {
    EXPECT_TRUE(Contains(csp, directive)) << csp;
  }
  EXPECT_EQ(page.headers.GetOr("X-Frame-Options", ""), "DENY");
  EXPECT_EQ(page.headers.GetOr("Cache-Control", ""), "no-store");
  EXPECT_EQ(page.headers.GetOr("Referrer-Policy", ""), "no-referrer");
  for (const std::string& part : std::vector<std::string>{
           "<html lang=\"pt-BR\">", "PharmaSys — Entrar", "<label for=\"username\">", "autocomplete=\"username\"",
           "<label for=\"password\">", "autocomplete=\"current-password\"", "<button type=\"submit\">",
           "name=\"state\" value=\"estado-1\"", "name=\"code_challenge\" value=\"" + kChallenge + "\"",
           "name=\"redirect_uri\" value=\"" + kRedirect + "\""}) {
    EXPECT_TRUE(Contains(page.body, part)) << part;
  }
  EXPECT_FALSE(Contains(page.body, "<script"));

  // The form posts back what the page carried, with the credentials (and no Idempotency-Key).
  auto signed_in = SignIn(With(AuthorizationParams(), Credentials("analista")));
  ASSERT_EQ(signed_in.status, 303) << signed_in.body;
  EXPECT_TRUE(std::string(signed_in.headers.GetOr("Location", "")).starts_with(kRedirect + "?code="));
  EXPECT_EQ(signed_in.headers.GetOr("Cache-Control", ""), "no-store");
  auto query = QueryOf(signed_in);
  EXPECT_EQ(query["state"], "estado-1");
  EXPECT_EQ(query["iss"], kIssuer);
  const std::string code = query["code"];
  EXPECT_GE(code.size(), 43u);  // 256 random bits

  // Only the code's SHA-256 is stored, bound to what it answers, for 60 s.
  pg::Pool pool(pg::PoolOptions{.conninfo = db_.url()});
  auto stored = pool.Exec(pg::Query{"stored_code",
                                    "SELECT hash, extract(epoch from expira_em - criado_em)::bigint, client_id,"
                                    " redirect_uri, code_challenge, (SELECT username FROM usuarios u"
                                    " WHERE u.id = c.usuario_id) FROM codigos_autorizacao c"})
                    .Single();
  EXPECT_EQ(stored.String(0), crypto::Sha256Hex(code));
  EXPECT_EQ(stored.Int(1), 60);
  EXPECT_EQ(stored.String(2), "pharmasys-web");
  EXPECT_EQ(stored.String(3), kRedirect);
  EXPECT_EQ(stored.String(4), kChallenge);
  EXPECT_EQ(stored.String(5), "analista");

  auto tokens = Exchange(code);
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  EXPECT_EQ(tokens.headers.GetOr("Cache-Control", ""), "no-store");
  auto body = json::Parse(tokens.body);
  EXPECT_EQ(body.at("token_type").as_string(), "Bearer");
  EXPECT_EQ(body.at("expires_in").as_int64(), 300);
  EXPECT_EQ(body.at("scope").as_string(), "openid profile email");
  std::string access(body.at("access_token").as_string());
  std::string refresh(body.at("refresh_token").as_string());
  EXPECT_EQ(Payload(access).at("azp").as_string(), "pharmasys-web");
  EXPECT_EQ(Verifier()->VerifyAccessToken(access).username, "analista");
  auto me = Call(http::Method::Get, "/v1/auth/me", "", "application/json", access);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::Parse(me.body).at("username").as_string(), "analista");
  auto refreshed = Token({{"grant_type", "refresh_token"}, {"refresh_token", refresh}, {"client_id", "pharmasys-web"}});
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_NE(json::Parse(refreshed.body).at("refresh_token").as_string(), refresh);

  EXPECT_EQ(Audited("login.sucesso"), 1);  // the password, checked once, on the sign-in form
  EXPECT_EQ(Audited("codigo_autorizacao.emitido"), 1);
  EXPECT_EQ(Audited("codigo_autorizacao.trocado"), 1);
}

TEST_F(AuthService, AWrongCodeVerifierIsInvalidGrant) {
  const std::string code = Code("gestor");
  auto wrong = Exchange(code, std::string(43, 'a'));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(ErrorOf(wrong), "invalid_grant");
  auto malformed = Exchange(code, "curto");
  EXPECT_EQ(ErrorOf(malformed), "invalid_grant");
  auto missing = Exchange(code, "");
  EXPECT_EQ(ErrorOf(missing), "invalid_request");
  EXPECT_EQ(Audited("codigo_autorizacao.recusado"), 2);
  // Whoever saw the code without the verifier spent nothing: the client still gets its tokens.
  EXPECT_EQ(Exchange(code).status, 200);
}

TEST_F(AuthService, AReusedCodeIsInvalidGrantAndRevokesTheTokensItGave) {
  const std::string code = Code("estoquista");
  auto first = Exchange(code);
  ASSERT_EQ(first.status, 200) << first.body;
  std::string refresh(json::Parse(first.body).at("refresh_token").as_string());
  auto second = Exchange(code);
  EXPECT_EQ(second.status, 400);
  EXPECT_EQ(ErrorOf(second), "invalid_grant");
  auto after = Token({{"grant_type", "refresh_token"}, {"refresh_token", refresh}, {"client_id", "pharmasys-web"}});
  EXPECT_EQ(after.status, 400);
  EXPECT_EQ(ErrorOf(after), "invalid_grant");
  EXPECT_EQ(Audited("codigo_autorizacao.reutilizado"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM refresh_tokens WHERE revogado_em IS NULL"), 0);
}

TEST_F(AuthService, AnExpiredCodeIsInvalidGrantAndExpiredCodesArePruned) {
  const std::string used = Code("auditor");
  auto tokens = Exchange(used);
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  const std::string unused = Code("auditor");
  const std::string expiring = Code("auditor");
  db_.Superuser("UPDATE codigos_autorizacao SET expira_em = now() - interval '1 second'");
  auto expired = Exchange(expiring);
  EXPECT_EQ(expired.status, 400);
  EXPECT_EQ(ErrorOf(expired), "invalid_grant");
  EXPECT_TRUE(Contains(expired.body, "expirado")) << expired.body;

  // The next code issued prunes the expired unused ones; the used one stays while the session
  // it opened can still be ended by its reuse.
  Code("auditor");
  EXPECT_EQ(Count("SELECT count(*) FROM codigos_autorizacao"), 2);
  EXPECT_EQ(ErrorOf(Exchange(unused)), "invalid_grant");
  EXPECT_EQ(ErrorOf(Exchange(used)), "invalid_grant");
  EXPECT_EQ(Audited("codigo_autorizacao.reutilizado"), 1);
  auto refresh = Token({{"grant_type", "refresh_token"},
                        {"refresh_token", std::string(json::Parse(tokens.body).at("refresh_token").as_string())},
                        {"client_id", "pharmasys-web"}});
  EXPECT_EQ(ErrorOf(refresh), "invalid_grant");
}

TEST_F(AuthService, ARedirectUriThatIsNotRegisteredGetsAPageHereNeverARedirect) {
  for (const std::string& redirect :
       {std::string("https://evil.example/entrar/retorno"), kRedirect + "/", kRedirect + "?next=https://evil.example",
        std::string("http://localhost:8080/")}) {
    auto page = Authorize(AuthorizationParams("s-1", redirect));
    EXPECT_EQ(page.status, 400) << redirect;
    EXPECT_FALSE(page.headers.Get("Location")) << redirect;
    EXPECT_EQ(page.headers.GetOr("Content-Type", ""), "text/html; charset=utf-8");
    EXPECT_TRUE(Contains(page.body, "não está registrado")) << page.body;
    EXPECT_TRUE(Contains(page.body, "lang=\"pt-BR\""));
    // Nor does a bad response_type reach it.
    auto both = Authorize(Replaced(AuthorizationParams("s-1", redirect), "response_type", "token"));
    EXPECT_EQ(both.status, 400);
    EXPECT_FALSE(both.headers.Get("Location"));
  }
  auto unknown = Authorize(Replaced(AuthorizationParams(), "client_id", "outro-cliente"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_FALSE(unknown.headers.Get("Location"));
  EXPECT_TRUE(Contains(unknown.body, "não é conhecido")) << unknown.body;
  EXPECT_EQ(Authorize({}).status, 400);
  auto twice = Authorize(With(AuthorizationParams(), {{"redirect_uri", "https://evil.example/cb"}}));
  EXPECT_EQ(twice.status, 400);
  EXPECT_FALSE(twice.headers.Get("Location"));
  // The form refuses the same, before any password is checked.
  auto posted = SignIn(With(AuthorizationParams("s-1", "https://evil.example/cb"), Credentials("analista")));
  EXPECT_EQ(posted.status, 400);
  EXPECT_FALSE(posted.headers.Get("Location"));
  EXPECT_EQ(Audited("login.sucesso"), 0);
}

TEST_F(AuthService, OtherAuthorizationErrorsGoBackToTheClientWithItsState) {
  auto expect_error = [&](const Fields& query, const std::string& error) {
    auto res = Authorize(query);
    ASSERT_EQ(res.status, 303) << res.body;
    EXPECT_TRUE(std::string(res.headers.GetOr("Location", "")).starts_with(kRedirect + "?error=" + error))
        << res.headers.GetOr("Location", "");
    auto q = QueryOf(res);
    EXPECT_EQ(q["error"], error);
    EXPECT_EQ(q["state"], "s-1");
    EXPECT_EQ(q["iss"], kIssuer);
    EXPECT_FALSE(q["error_description"].empty());
    EXPECT_FALSE(q.count("code"));
  };
  const Fields valid = AuthorizationParams("s-1");
  expect_error(Replaced(valid, "response_type", "token"), "unsupported_response_type");
  expect_error(Replaced(valid, "response_type", std::nullopt), "invalid_request");
  expect_error(Replaced(valid, "code_challenge", std::nullopt), "invalid_request");
  expect_error(Replaced(valid, "code_challenge", kChallenge.substr(1)), "invalid_request");
  expect_error(Replaced(valid, "code_challenge", kVerifier + "a"), "invalid_request");
  expect_error(Replaced(valid, "code_challenge_method", "plain"), "invalid_request");
  expect_error(Replaced(valid, "code_challenge_method", std::nullopt), "invalid_request");
  expect_error(With(valid, {{"state", "s-2"}}), "invalid_request");  // a parameter twice
  EXPECT_EQ(Count("SELECT count(*) FROM codigos_autorizacao"), 0);
}

TEST_F(AuthService, TheCodeIsExchangedOnlyWithItsRedirectUriAndClient) {
  const std::string code = Code("analista2");
  auto other_uri = Exchange(code, kVerifier, kOtherRedirect);  // registered, but not the one of the request
  EXPECT_EQ(other_uri.status, 400);
  EXPECT_EQ(ErrorOf(other_uri), "invalid_grant");
  auto other_client = Exchange(code, kVerifier, kRedirect, "producao");
  EXPECT_EQ(other_client.status, 401);
  EXPECT_EQ(ErrorOf(other_client), "invalid_client");
  EXPECT_EQ(Exchange(code).status, 200);
  const std::string second = Code("analista2", kOtherRedirect);
  EXPECT_EQ(ErrorOf(Exchange(second)), "invalid_grant");
  EXPECT_EQ(Exchange(second, kVerifier, kOtherRedirect).status, 200);
}

// proves: A5 X7
TEST_F(AuthService, AWrongPasswordShowsTheSignInPageAgainAndIsAudited) {
  auto refused = SignIn(With(AuthorizationParams(), Credentials("analista", "senha-errada")));
  EXPECT_EQ(refused.status, 400);
  EXPECT_FALSE(refused.headers.Get("Location"));
  EXPECT_EQ(refused.headers.GetOr("Content-Type", ""), "text/html; charset=utf-8");
  EXPECT_TRUE(Contains(std::string(refused.headers.GetOr("Content-Security-Policy", "")), "default-src 'none'"));
  EXPECT_TRUE(Contains(refused.body, "role=\"alert\">Usuário ou senha inválidos.</p>")) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "name=\"username\" type=\"text\"")) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "value=\"analista\"")) << refused.body;  // what was typed, kept
  EXPECT_TRUE(Contains(refused.body, "name=\"state\" value=\"estado-1\""));
  EXPECT_FALSE(Contains(refused.body, "senha-errada"));
  EXPECT_EQ(Audited("login.falha"), 1);
  EXPECT_EQ(Count("SELECT falhas_consecutivas FROM usuarios WHERE username = 'analista'"), 1);

  auto unknown = SignIn(With(AuthorizationParams(), Credentials("ninguem", "qualquer-uma")));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(Contains(unknown.body, "Usuário ou senha inválidos.")) << unknown.body;
  EXPECT_EQ(Audited("login.falha"), 2);
  auto empty = SignIn(With(AuthorizationParams(), Credentials("analista", "")));
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(Contains(empty.body, "Informe o usuário e a senha.")) << empty.body;
  EXPECT_EQ(Audited("login.falha"), 2);  // no password, no check
  EXPECT_EQ(Count("SELECT count(*) FROM codigos_autorizacao"), 0);
}

// proves: X7 X3
TEST_F(AuthService, TheSignInPageCountsTowardTheSameLockout) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(SignIn(With(AuthorizationParams(), Credentials("estoquista", "wrong-" + std::to_string(i)))).status, 400);
  }
  EXPECT_EQ(Login("estoquista", "wrong-3").status, 400);
  EXPECT_EQ(Login("estoquista", "wrong-4").status, 400);
  EXPECT_EQ(Audited("usuario.bloqueado"), 1);
  auto locked = SignIn(With(AuthorizationParams(), Credentials("estoquista")));
  EXPECT_EQ(locked.status, 400);
  EXPECT_FALSE(locked.headers.Get("Location"));
  EXPECT_TRUE(Contains(locked.body, "Conta bloqueada temporariamente")) << locked.body;
  EXPECT_EQ(Count("SELECT count(*) FROM codigos_autorizacao"), 0);
}

TEST_F(AuthService, WhatThePagesReflectIsEscaped) {
  const std::string hostile = R"("><script>alert(1)</script><x a=')";
  auto page = Authorize(AuthorizationParams(hostile));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_FALSE(Contains(page.body, "<script>"));
  EXPECT_TRUE(Contains(page.body, "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;x a=&#39;\""))
      << page.body;
  auto refused =
      SignIn(With(AuthorizationParams(hostile), Credentials("<img src=x onerror=alert(1)>", "senha-qualquer")));
  EXPECT_EQ(refused.status, 400);
  EXPECT_FALSE(Contains(refused.body, "<img"));
  EXPECT_FALSE(Contains(refused.body, "<script>"));
  EXPECT_TRUE(Contains(refused.body, "value=\"&lt;img src=x onerror=alert(1)&gt;\"")) << refused.body;
  // The client gets its state back exactly, encoded in the redirect.
  auto signed_in = SignIn(With(AuthorizationParams(hostile), Credentials("analista")));
  ASSERT_EQ(signed_in.status, 303) << signed_in.body;
  EXPECT_EQ(QueryOf(signed_in)["state"], hostile);
  const std::string location(signed_in.headers.GetOr("Location", ""));
  EXPECT_EQ(location.find_first_of("<>\"' "), std::string::npos) << location;
}

TEST_F(AuthService, ASignInFormPostedFromAnotherSiteIsRefused) {
  const Fields form = With(AuthorizationParams(), Credentials("gestor"));
  for (const auto& headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"Origin", "https://evil.example"}},
           {{"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "cross-site"}},
           {{"Sec-Fetch-Site", "cross-site"}},
           {{"Sec-Fetch-Site", "same-site"}},
           {{"Origin", "null"}}}) {
    auto res = SignIn(form, headers);
    EXPECT_EQ(res.status, 403) << headers.front().first << ": " << headers.front().second;
    EXPECT_FALSE(res.headers.Get("Location"));
    EXPECT_TRUE(Contains(res.body, "própria página de entrada")) << res.body;
  }
  EXPECT_EQ(Audited("login.sucesso") + Audited("login.falha"), 0);  // refused before any password check
  // The page's own posts: its origin (the Host it was served from, or the issuer's), or "null"
  // with the browser's word that it is same-origin (the page sends no referrer).
  EXPECT_EQ(SignIn(form, {{"Origin", base_}, {"Sec-Fetch-Site", "same-origin"}}).status, 303);
  EXPECT_EQ(SignIn(form, {{"Origin", "http://localhost:8080"}}).status, 303);
  EXPECT_EQ(SignIn(form, {{"Origin", "null"}, {"Sec-Fetch-Site", "same-origin"}}).status, 303);
  EXPECT_EQ(Audited("login.sucesso"), 3);
}

TEST_F(AuthService, DiscoveryNamesTheAuthorizationEndpointAndPkce) {
  auto res = Call(http::Method::Get, "/v1/auth/.well-known/openid-configuration", "", "application/json");
  ASSERT_EQ(res.status, 200);
  auto doc = json::Parse(res.body);
  EXPECT_EQ(doc.at("authorization_endpoint").as_string(), kIssuer + "/autorizar");
  EXPECT_EQ(doc.at("token_endpoint").as_string(), kIssuer + "/token");
  auto strings = [&](const char* name) {
    std::vector<std::string> out;
    for (const auto& v : doc.at(name).as_array()) out.emplace_back(v.as_string());
    return out;
  };
  EXPECT_EQ(strings("grant_types_supported"),
            (std::vector<std::string>{"authorization_code", "password", "refresh_token", "client_credentials"}));
  EXPECT_EQ(strings("code_challenge_methods_supported"), std::vector<std::string>{"S256"});
  EXPECT_EQ(strings("response_types_supported"), std::vector<std::string>{"code"});
}

// PHARMASYS_IDP=keycloak: the plant's realm signs its users in; Auth issues no access token
// and checks each signature's password at the realm's token endpoint.
class AuthServiceWithKeycloak : public AuthService {
 protected:
  void SetUp() override {
    realm_.AddUser("analista", "Ana Analista", "senha-do-realm", {"analista_cq"});
    realm_.AddClient("pharmasys-assinaturas", "segredo-das-assinaturas");
    realm_.AddClient("producao", "segredo-de-producao", {"servico"});
    Start({"PHARMASYS_IDP=keycloak", "PHARMASYS_KEYCLOAK_TOKEN_URL=" + realm_.token_url(),
           "PHARMASYS_KEYCLOAK_CLIENT_SECRET=segredo-das-assinaturas",
           "PHARMASYS_JWT_ISSUER_2_DISCOVERY_URL=" + realm_.discovery_url(),
           "PHARMASYS_TLS_CA_FILE=" + realm_.ca_file()});
  }
  http::ClientResponse SignAs(const std::string& token, const std::string& senha) {
    return Call(
        http::Method::Post, "/v1/auth/assinaturas",
        json::Serialize(boost::json::object{
            {"senha", senha}, {"significado", "aprovacao"}, {"recurso", "laudo:0190a7c0-0000-7000-8000-000000000001"}}),
        "application/json", token, {{"Idempotency-Key", ids::NewUuidV7()}});
  }
  testing::FakeKeycloak realm_;
};

// proves: S1
TEST_F(AuthServiceWithKeycloak, ASignaturesPasswordIsCheckedAtTheRealmAndItsTokenNamesTheRealmsUser) {
  const std::string token = realm_.TokenFor("analista");
  auto wrong = SignAs(token, "nao-e-a-senha");
  EXPECT_EQ(wrong.status, 403) << wrong.body;
  EXPECT_EQ(realm_.password_checks(), 1);
  EXPECT_EQ(Audited("assinatura.reautenticacao.falha"), 1);
  EXPECT_EQ(Audited("assinatura.recusada"), 1);

  auto signed_ = SignAs(token, "senha-do-realm");
  ASSERT_EQ(signed_.status, 201) << signed_.body;
  auto claims = Payload(std::string(json::Parse(signed_.body).at("assinatura_token").as_string()));
  EXPECT_EQ(claims.at("sub"), ClaimsOf(token).at("sub"));  // the realm's user, not one of Auth's
  EXPECT_EQ(claims.at("iss").as_string(), kIssuer);        // signed by Auth, with Auth's keys
  EXPECT_EQ(claims.at("name").as_string(), "Ana Analista");
  EXPECT_EQ(Audited("assinatura.emitida"), 1);
  // The signature token verifies with Auth's keys, as every service checks it.
  EXPECT_NO_THROW(
      Verifier()->VerifySignatureToken(std::string(json::Parse(signed_.body).at("assinatura_token").as_string())));

  // A service account does not sign; a token of another realm is not accepted at all.
  EXPECT_EQ(SignAs(realm_.ServiceToken("producao"), "x").status, 403);
  testing::FakeKeycloak other;
  other.AddUser("analista", "Ana Analista", "senha-do-realm", {"analista_cq"});
  EXPECT_EQ(SignAs(other.TokenFor("analista"), "senha-do-realm").status, 401);
}

TEST_F(AuthServiceWithKeycloak, NoAccessTokenIsIssuedHereAndTheSignInPageIsTheRealms) {
  auto login = Login("analista", "pharmasys-demo");
  EXPECT_EQ(login.status, 400);
  EXPECT_EQ(ErrorOf(login), "unsupported_grant_type");
  auto service = Token(
      {{"grant_type", "client_credentials"}, {"client_id", "producao"}, {"client_secret", "secret-of-producao-1234"}});
  EXPECT_EQ(service.status, 400) << service.body;
  auto discovery =
      json::Parse(Call(http::Method::Get, "/v1/auth/.well-known/openid-configuration", "", "application/json").body);
  EXPECT_TRUE(discovery.at("grant_types_supported").as_array().empty());
  EXPECT_EQ(Authorize({{"response_type", "code"}, {"client_id", "pharmasys-web"}}).status, 404);
  // /me answers for the realm's user.
  auto me = Call(http::Method::Get, "/v1/auth/me", "", "application/json", realm_.TokenFor("analista"));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::Parse(me.body).at("username").as_string(), "analista");
}

TEST(AuthKeycloakConfiguration, KeycloakModeWithoutTheRealmStopsTheStartNamingTheVariables) {
  TestDatabase db;
  std::vector<std::string> env = PrepareServiceDatabase(PHARMASYS_AUTH_BIN, db);
  env.insert(env.end(), {"PHARMASYS_HTTP_PORT=" + std::to_string(FreePort()), "PHARMASYS_IDP=keycloak",
                         "PHARMASYS_AUTH_KEY_ENCRYPTION_KEY=" + std::string(64, 'a')});
  ChildProcess auth(PHARMASYS_AUTH_BIN, env);
  EXPECT_EQ(auth.Wait(std::chrono::seconds(20)), 2);
  for (const char* variable :
       {"PHARMASYS_KEYCLOAK_TOKEN_URL", "PHARMASYS_KEYCLOAK_CLIENT_SECRET", "PHARMASYS_JWT_ISSUER_2_DISCOVERY_URL"}) {
    EXPECT_NE(auth.Stderr().find(variable), std::string::npos) << variable << ": " << auth.Stderr();
  }
}

// A plant whose web client is served elsewhere, with the password grant switched off.
class AuthServiceWithoutPasswordGrant : public AuthService {
 protected:
  static constexpr const char* kApp = "https://app.plant.example/entrar/retorno?origem=web";
  void SetUp() override {
    Start({"PHARMASYS_DEMO=1", "PHARMASYS_AUTH_PASSWORD_GRANT=off", "PHARMASYS_AUTH_CODE_TTL=5s",
           std::string("PHARMASYS_AUTH_WEB_REDIRECT_URIS=") + kApp + ", http://localhost:8080/entrar/retorno"});
  }
};

TEST_F(AuthServiceWithoutPasswordGrant, ThePasswordGrantIsUnsupportedAndTheCodeFlowSignsIn) {
  auto login = Login("analista", "pharmasys-demo");
  EXPECT_EQ(login.status, 400);
  EXPECT_EQ(ErrorOf(login), "unsupported_grant_type");
  EXPECT_EQ(Audited("login.sucesso") + Audited("login.falha"), 0);  // not even tried
  auto discovery =
      json::Parse(Call(http::Method::Get, "/v1/auth/.well-known/openid-configuration", "", "application/json").body);
  for (const auto& grant : discovery.at("grant_types_supported").as_array()) EXPECT_NE(grant.as_string(), "password");

  // The configured redirect URIs, and those only; the one's own query is kept.
  EXPECT_EQ(Authorize(AuthorizationParams("s", kOtherRedirect)).status, 400);
  auto page = Authorize(AuthorizationParams("s", kApp));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Contains(std::string(page.headers.GetOr("Content-Security-Policy", "")),
                       "form-action 'self' https://app.plant.example;"));
  auto signed_in = SignIn(With(AuthorizationParams("s", kApp), Credentials("analista")));
  ASSERT_EQ(signed_in.status, 303) << signed_in.body;
  EXPECT_TRUE(std::string(signed_in.headers.GetOr("Location", "")).starts_with(std::string(kApp) + "&code="));
  EXPECT_EQ(Count("SELECT extract(epoch from expira_em - criado_em)::bigint FROM codigos_autorizacao"), 5);
  auto tokens = Exchange(QueryOf(signed_in)["code"], kVerifier, kApp);
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  EXPECT_EQ(Verifier()->VerifyAccessToken(json::Parse(tokens.body).at("access_token").as_string()).username,
            "analista");
}

TEST(AuthServiceStart, ARedirectUriThatIsNotAbsoluteStopsTheStartNamingTheVariable) {
  TestDatabase db;
  std::vector<std::string> env = PrepareServiceDatabase(PHARMASYS_AUTH_BIN, db);
  env.insert(env.end(), {"PHARMASYS_HTTP_PORT=" + std::to_string(FreePort()),
                         "PHARMASYS_AUTH_KEY_ENCRYPTION_KEY=" + std::string(64, 'b'),
                         "PHARMASYS_AUTH_WEB_REDIRECT_URIS=http://localhost:8080/entrar/retorno,/entrar/retorno"});
  ChildProcess auth(PHARMASYS_AUTH_BIN, env);
  EXPECT_EQ(auth.Wait(std::chrono::seconds(30)), 2);
  EXPECT_TRUE(Contains(auth.Stderr(), "PHARMASYS_AUTH_WEB_REDIRECT_URIS: '/entrar/retorno'")) << auth.Stderr();
}

TEST(AuthServiceStart, DemoUsersExistOnlyInDemoModeAndTheFirstAdminComesFromTheEnvironment) {
  TestDatabase db;
  TestBroker broker;
  auto port = FreePort();
  std::vector<std::string> env = PrepareServiceDatabase(PHARMASYS_AUTH_BIN, db);
  env.insert(env.end(), {"PHARMASYS_HTTP_PORT=" + std::to_string(port), "PHARMASYS_AMQP_URL=" + broker.options().url,
                         "PHARMASYS_AMQP_PREFIX=" + broker.options().prefix,
                         "PHARMASYS_AUTH_KEY_ENCRYPTION_KEY=" + std::string(64, 'b'),
                         "PHARMASYS_ADMIN_PASSWORD=first-admin-password"});
  ChildProcess auth(PHARMASYS_AUTH_BIN, env);
  ASSERT_TRUE(Eventually([&] { return Get(port, "/healthz").status == 200; }, std::chrono::seconds(30)));
  http::Client client;
  auto login = [&](const std::string& user, const std::string& password) {
    http::ClientRequest r{
        http::Method::Post,
        "http://127.0.0.1:" + std::to_string(port) + "/v1/auth/token",
        {},
        Form({{"grant_type", "password"}, {"username", user}, {"password", password}, {"client_id", "pharmasys-web"}})};
    r.headers.Set("Content-Type", "application/x-www-form-urlencoded");
    return client.Send(r, std::chrono::seconds(10)).status;
  };
  EXPECT_EQ(login("analista", "pharmasys-demo"), 400);
  EXPECT_EQ(login("admin", "pharmasys-demo"), 400);
  EXPECT_EQ(login("admin", "first-admin-password"), 200);
  EXPECT_EQ(auth.Stdout().find("pharmasys-demo"), std::string::npos);
}

}  // namespace
}  // namespace pharmasys
