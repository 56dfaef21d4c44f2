// Contract: every route a service serves is documented in docs/apis/<service>.openapi.yaml,
// and every documented operation is served. The routes come from the real binary
// (`pharmasys-<service> routes`), not from a list kept beside the code.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdio>
#include <memory>
#include <set>
#include <sstream>

#include "pharmasys/json/json.hpp"

namespace {

using Operation = std::pair<std::string, std::string>;  // method (upper case), path template

std::set<Operation> ServedRoutes(const std::string& service) {
  std::string command = std::string(PHARMASYS_BIN_DIR) + "/pharmasys-" + service + " routes";
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
  EXPECT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 4096> buf{};
  while (pipe && fgets(buf.data(), buf.size(), pipe.get()) != nullptr) out += buf.data();
  std::set<Operation> routes;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    auto route = pharmasys::json::Parse(line);
    routes.emplace(route.at("method").as_string(), route.at("path").as_string());
  }
  return routes;
}

std::set<Operation> DocumentedOperations(const YAML::Node& doc) {
  std::set<Operation> ops;
  for (const auto& path : doc["paths"]) {
    for (const auto& op : path.second) {
      std::string method = op.first.as<std::string>();
      if (method == "parameters" || method == "summary" || method == "description") continue;
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ops.emplace(method, path.first.as<std::string>());
    }
  }
  return ops;
}

class OpenApiContract : public ::testing::TestWithParam<std::string> {};

TEST_P(OpenApiContract, DocumentedAndServedOperationsAreTheSame) {
  const std::string service = GetParam();
  YAML::Node doc = YAML::LoadFile(std::string(PHARMASYS_DOCS_DIR) + "/apis/" + service + ".openapi.yaml");
  EXPECT_EQ(doc["openapi"].as<std::string>().substr(0, 3), "3.1");
  auto served = ServedRoutes(service);
  auto documented = DocumentedOperations(doc);
  ASSERT_FALSE(served.empty());
  for (const auto& op : served) {
    EXPECT_TRUE(documented.count(op)) << service << ": served but not documented: " << op.first << " " << op.second;
  }
  for (const auto& op : documented) {
    EXPECT_TRUE(served.count(op)) << service << ": documented but not served: " << op.first << " " << op.second;
  }
}

TEST_P(OpenApiContract, EveryOperationHasAnIdAndResponses) {
  const std::string service = GetParam();
  YAML::Node doc = YAML::LoadFile(std::string(PHARMASYS_DOCS_DIR) + "/apis/" + service + ".openapi.yaml");
  std::set<std::string> ids;
  for (const auto& path : doc["paths"]) {
    for (const auto& op : path.second) {
      if (!op.second.IsMap() || !op.second["responses"]) continue;
      std::string where = path.first.as<std::string>() + " " + op.first.as<std::string>();
      ASSERT_TRUE(op.second["operationId"]) << where;
      EXPECT_TRUE(ids.insert(op.second["operationId"].as<std::string>()).second) << "duplicate id at " << where;
      EXPECT_GT(op.second["responses"].size(), 0u) << where;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Services, OpenApiContract,
                         ::testing::Values("gateway", "auth", "producao", "cq", "estoque", "relatorios"));

}  // namespace
