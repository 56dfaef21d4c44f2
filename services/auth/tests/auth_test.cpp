// The Auth service as a process against the real PostgreSQL and RabbitMQ of ./pharmasys test.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cjose/base64.h>

#include "amqp_support.hpp"
#include "http_support.hpp"
#include "issuer_support.hpp"
#include "list_support.hpp"
#include "pg_support.hpp"
#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/pg/migrations.hpp"
#include "service_db_support.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;

const std::string kIssuer = "http://localhost:8080/v1/auth";

std::string Form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
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
  http::ClientResponse Token(const std::vector<std::pair<std::string, std::string>>& form) {
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

TEST_F(AuthService, GrantErrorsFollowRfc6749) {
  auto wrong = Login("analista", "wrong-password");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(json::Parse(wrong.body).at("error").as_string(), "invalid_grant");
  auto unknown = Login("nobody", "whatever-123");
  EXPECT_EQ(json::Parse(unknown.body).at("error").as_string(), "invalid_grant");
  EXPECT_EQ(wrong.body.find("analista"), std::string::npos);
  auto grant = Token({{"grant_type", "authorization_code"}});
  EXPECT_EQ(json::Parse(grant.body).at("error").as_string(), "unsupported_grant_type");
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

TEST_F(AuthService, PasswordsAreStoredAsArgon2idWithOwaspParameters) {
  pg::Pool pool(pg::PoolOptions{.conninfo = db_.url()});
  auto hash =
      pool.Exec(pg::Query{"hash", "SELECT senha_hash FROM usuarios WHERE username = 'admin'"}).Single().String(0);
  EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << hash;
  EXPECT_EQ(hash.find("pharmasys-demo"), std::string::npos);
}

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
