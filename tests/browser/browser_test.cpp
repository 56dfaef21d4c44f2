// The operator application in a real browser against the real plant: this program starts every
// service and the gateway serving web/dist, then runs the Playwright suite (web/e2e/) in
// Debian's Chromium and passes or fails with it. PHARMASYS_E2E_ARGS passes arguments to
// Playwright (a spec file, --grep ...); PHARMASYS_WEB_SOURCE another web/ folder;
// PHARMASYS_E2E_COMMAND runs another program instead of Playwright's runner.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "plant.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command, echoing its output as it comes; answers its exit status.
int RunShell(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) std::cout << buffer.data() << std::flush;
  int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A failed test leaves the page as Playwright saw it (its accessibility tree) in
// error-context.md; the screenshots do not outlive a CI checkout, so the log carries these.
void PrintFailureContexts(const std::string& results) {
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(results, ec); !ec && it != std::filesystem::end(it);
       it.increment(ec)) {
    if (it->path().filename() != "error-context.md") continue;
    std::ifstream in(it->path());
    std::cout << "\n--- " << it->path().parent_path().filename().string() << " ---\n" << in.rdbuf() << "\n";
  }
}

TEST(Browser, ThePlaywrightSuitePassesAgainstTheRealPlant) {
  // PHARMASYS_WEB_SOURCE: another checkout's web/ against these binaries.
  const char* web_override = std::getenv("PHARMASYS_WEB_SOURCE");
  const std::string web = web_override != nullptr && *web_override != '\0' ? web_override : PHARMASYS_WEB_SOURCE;
  ASSERT_TRUE(std::filesystem::exists(web + "/dist/index.html"))
      << "web/dist is not built: run `npm ci && npm run build` in web/ (./pharmasys test does it)";
  ASSERT_TRUE(std::filesystem::exists(web + "/node_modules/@playwright/test")) << "run `npm ci` in web/";
  const auto port = FreePort();
  const std::string origin = "http://127.0.0.1:" + std::to_string(port);
  // A short access-token lifetime: every test lives through silent renewals.
  Plant plant(
      {.gateway_port = port,
       .auth_env = {"PHARMASYS_AUTH_WEB_REDIRECT_URIS=" + origin + "/entrar/retorno", "PHARMASYS_AUTH_ACCESS_TTL=30s"},
       .web_root = web + "/dist"});
  const char* args = std::getenv("PHARMASYS_E2E_ARGS");
  // PHARMASYS_E2E_COMMAND: another program against the same plant (bench/web.sh uses it).
  const char* program = std::getenv("PHARMASYS_E2E_COMMAND");
  const char* shots = std::getenv("PHARMASYS_SCREENSHOT_DIR");
  std::string command = "cd " + Quote(web) + " && PHARMASYS_E2E_URL=" + Quote(plant.gateway) +
                        " PHARMASYS_SCREENSHOT_DIR=" + Quote(shots ? shots : web + "/test-results/telas") + " " +
                        std::string(program != nullptr && *program != '\0' ? program : "npx playwright test") +
                        (args ? " " + std::string(args) : "");
  std::cout << "gateway " << plant.gateway << "\n$ " << command << "\n" << std::flush;
  const int status = RunShell(command);
  EXPECT_EQ(status, 0) << "the Playwright suite failed (its report is above)";
  if (status != 0) PrintFailureContexts(web + "/test-results");
}

}  // namespace
}  // namespace pharmasys
