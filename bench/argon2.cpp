// Argon2id verifications per second with the parameters the Auth service uses, on both cores:
// the floor of the password grant (bench/auth-tokens.sh).
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

int main() {
  if (sodium_init() < 0) return 1;
  char hash[crypto_pwhash_STRBYTES];
  const char password[] = "pharmasys-demo";
  if (crypto_pwhash_str_alg(hash, password, sizeof password - 1, 2, 19 * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13) !=
      0) {
    return 1;
  }
  std::atomic<long> done{0};
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < std::max(1u, std::thread::hardware_concurrency()); ++i) {
    threads.emplace_back([&] {
      while (std::chrono::steady_clock::now() < until) {
        if (crypto_pwhash_str_verify(hash, password, sizeof password - 1) == 0) ++done;
      }
    });
  }
  for (auto& t : threads) t.join();
  std::printf("%.1f\n", static_cast<double>(done) / 5.0);
  return 0;
}
