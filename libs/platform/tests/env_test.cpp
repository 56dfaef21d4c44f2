#include "pharmasys/config/env.hpp"

#include <gtest/gtest.h>

#include "env_support.hpp"

namespace pharmasys::config {
namespace {

using pharmasys::testing::fake_env;
using pharmasys::testing::FakeEnv;

TEST(Env, ReadsTypedValuesWithDefaults) {
  fake_env = {{"PORT", "8084"}, {"T", "250ms"}, {"T2", "30s"}, {"B", "64k"}, {"ON", "true"}, {"U", "http://h:1/"}};
  Env env(&FakeEnv);
  EXPECT_EQ(env.Port("PORT", 1), 8084);
  EXPECT_EQ(env.Port("MISSING", 9), 9);
  EXPECT_EQ(env.Duration("T", {}), std::chrono::milliseconds(250));
  EXPECT_EQ(env.Duration("T2", {}), std::chrono::seconds(30));
  EXPECT_EQ(env.Bytes("B", 0), 65536);
  EXPECT_TRUE(env.Bool("ON", false));
  EXPECT_EQ(env.Url("U", ""), "http://h:1");
  EXPECT_NO_THROW(env.Check());
}

TEST(Env, NamesEveryBadVariableInOneError) {
  fake_env = {{"PHARMASYS_HTTP_PORT", "80a"}, {"PHARMASYS_HTTP_READ_TIMEOUT", "soon"}, {"FLAG", "maybe"}};
  Env env(&FakeEnv);
  env.Port("PHARMASYS_HTTP_PORT", 1);
  env.Duration("PHARMASYS_HTTP_READ_TIMEOUT", {});
  env.Bool("FLAG", false);
  env.Required("PHARMASYS_DB_URL");
  try {
    env.Check();
    FAIL();
  } catch (const ConfigError& e) {
    std::string what = e.what();
    for (auto name : {"PHARMASYS_HTTP_PORT", "PHARMASYS_HTTP_READ_TIMEOUT", "FLAG", "PHARMASYS_DB_URL"}) {
      EXPECT_NE(what.find(name), std::string::npos) << name;
    }
    EXPECT_NE(what.find("80a"), std::string::npos);
  }
}

TEST(Env, PortOutOfRange) {
  fake_env = {{"P", "70000"}};
  Env env(&FakeEnv);
  EXPECT_EQ(env.Port("P", 5), 5);
  EXPECT_THROW(env.Check(), ConfigError);
}

TEST(Env, UrlMustBeHttp) {
  fake_env = {{"U", "ftp://x"}};
  Env env(&FakeEnv);
  env.Url("U", "");
  env.Url("REQ", "", true);
  EXPECT_EQ(env.problems().size(), 2u);
}

TEST(Env, AServiceNamesWhatItJudgesItselfBesideTheRest) {
  fake_env = {{"LIST", "a,b"}, {"P", "x"}};
  Env env(&FakeEnv);
  env.Port("P", 1);
  env.Invalid("LIST", "'b' is not an absolute URI");
  try {
    env.Check();
    FAIL();
  } catch (const ConfigError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("P: "), std::string::npos) << what;
    EXPECT_NE(what.find("LIST: 'b' is not an absolute URI"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace pharmasys::config
