// The programs of the local deployment (deploy/local/services.conf.in, what `./pharmasys up`
// runs under supervisord): only the gateway answers on every address; the five services and
// the gateway's metrics listen on loopback, reached through the gateway or by an operator on
// the machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

// program name → its environment variables, from the supervisord template.
std::map<std::string, std::map<std::string, std::string>> ProgramEnvironments() {
  std::ifstream in(std::string(PHARMASYS_DEPLOY_DIR) + "/services.conf.in");
  EXPECT_TRUE(in) << "cannot read services.conf.in";
  std::map<std::string, std::map<std::string, std::string>> programs;
  const std::regex section(R"(^\[program:([a-z]+)\]\s*$)");
  const std::regex variable(R"(([A-Z][A-Z0-9_]*)=\"([^\"]*)\")");
  std::string line, program;
  bool in_environment = false;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, section)) {
      program = m[1];
      programs[program];
      in_environment = false;
      continue;
    }
    if (program.empty() || line.starts_with(";")) continue;
    // `environment=` and its continuation lines (indented) hold the variables.
    if (line.starts_with("environment=")) {
      in_environment = true;
    } else if (line.empty() || !std::isspace(static_cast<unsigned char>(line[0]))) {
      in_environment = false;
    }
    if (!in_environment) continue;
    for (std::sregex_iterator it(line.begin(), line.end(), variable), end; it != end; ++it) {
      programs[program][(*it)[1]] = (*it)[2];
    }
  }
  return programs;
}

TEST(LocalDeployment, OnlyTheGatewayListensOnEveryAddress) {
  auto programs = ProgramEnvironments();
  for (const char* service : {"auth", "producao", "cq", "estoque", "relatorios"}) {
    ASSERT_TRUE(programs.count(service)) << "no [program:" << service << "]";
    const auto& env = programs[service];
    ASSERT_TRUE(env.count("PHARMASYS_HTTP_ADDRESS")) << service << " would listen on 0.0.0.0, the default";
    EXPECT_EQ(env.at("PHARMASYS_HTTP_ADDRESS"), "127.0.0.1") << service;
  }
  ASSERT_TRUE(programs.count("gateway"));
  const auto& gateway = programs["gateway"];
  EXPECT_EQ(gateway.count("PHARMASYS_HTTP_ADDRESS") ? gateway.at("PHARMASYS_HTTP_ADDRESS") : "0.0.0.0", "0.0.0.0");
  // Its metrics on the operator listener, on loopback (the default, written out).
  EXPECT_EQ(gateway.count("PHARMASYS_METRICS_ADDRESS") ? gateway.at("PHARMASYS_METRICS_ADDRESS") : "127.0.0.1",
            "127.0.0.1");
  EXPECT_EQ(programs.size(), 6u);
}

// HTTPS beside plain HTTP on the gateway's address: 8443 with the certificate and key that
// ./pharmasys up makes in .run/tls/ (and lists for its port guard).
TEST(LocalDeployment, TheGatewayServesHttpsOn8443WithTheLocalCertificate) {
  auto programs = ProgramEnvironments();
  const auto& gateway = programs["gateway"];
  ASSERT_TRUE(gateway.count("PHARMASYS_HTTPS_PORT"));
  EXPECT_EQ(gateway.at("PHARMASYS_HTTPS_PORT"), "8443");
  EXPECT_EQ(gateway.at("PHARMASYS_HTTP_PORT"), "8080");
  ASSERT_TRUE(gateway.count("PHARMASYS_TLS_CERT_FILE") && gateway.count("PHARMASYS_TLS_KEY_FILE"));
  EXPECT_EQ(gateway.at("PHARMASYS_TLS_CERT_FILE"), "@RUN@/tls/server.pem");
  EXPECT_EQ(gateway.at("PHARMASYS_TLS_KEY_FILE"), "@RUN@/tls/server.key");
  // Plain 8080 stays plain: `up` loads the demo and answers probes over it.
  EXPECT_FALSE(gateway.count("PHARMASYS_HTTP_REDIRECT_TO_HTTPS"));
  for (const auto& [program, env] : programs) {
    if (program != "gateway") {
      EXPECT_FALSE(env.count("PHARMASYS_HTTPS_PORT")) << program;
    }
  }
}

TEST(LocalDeployment, TheGatewayReachesEveryServiceOnLoopback) {
  auto programs = ProgramEnvironments();
  const auto& gateway = programs["gateway"];
  for (const char* upstream : {"AUTH", "PRODUCAO", "CQ", "ESTOQUE", "RELATORIOS"}) {
    const std::string name = std::string("PHARMASYS_UPSTREAM_") + upstream;
    ASSERT_TRUE(gateway.count(name)) << name;
    EXPECT_TRUE(gateway.at(name).starts_with("http://127.0.0.1:")) << name << "=" << gateway.at(name);
  }
}

// A browser at http://localhost:8080/ (or 127.0.0.1) signs in with the Authorization Code flow:
// Auth's registered redirect URIs are on the gateway's own port, where the web UI is served, and
// the issuer the sign-in form checks its origin against is that gateway too.
TEST(LocalDeployment, TheWebClientSignsInAtTheGatewaysOwnOrigin) {
  auto programs = ProgramEnvironments();
  const auto& auth = programs["auth"];
  const std::string port = programs["gateway"]["PHARMASYS_HTTP_PORT"];
  ASSERT_TRUE(auth.count("PHARMASYS_AUTH_WEB_REDIRECT_URIS"));
  const std::string uris = auth.at("PHARMASYS_AUTH_WEB_REDIRECT_URIS");
  std::vector<std::string> each;
  for (std::size_t start = 0; start <= uris.size();) {
    auto comma = std::min(uris.find(',', start), uris.size());
    each.push_back(uris.substr(start, comma - start));
    start = comma + 1;
  }
  EXPECT_EQ(each, (std::vector<std::string>{"http://localhost:" + port + "/entrar/retorno",
                                            "http://127.0.0.1:" + port + "/entrar/retorno"}));
  EXPECT_EQ(auth.at("PHARMASYS_AUTH_ISSUER"), "http://localhost:" + port + "/v1/auth");
  EXPECT_TRUE(programs["gateway"].count("PHARMASYS_WEB_ROOT"));
}

}  // namespace
