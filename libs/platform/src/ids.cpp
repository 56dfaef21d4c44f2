#include "pharmasys/ids.hpp"

#include "pharmasys/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace pharmasys::ids {
namespace {

// RAND_bytes costs some thousands of instructions a call, whatever the size asked for, and a
// request draws a few small pieces (16 bytes an id, 8 a span): each thread takes them from its
// own buffer of RAND_bytes output, refilled when used up. A byte handed out is wiped from it.
void FillRandom(unsigned char* out, std::size_t n) {
  constexpr std::size_t kBuffer = 512;
  thread_local std::array<unsigned char, kBuffer> buffer{};
  thread_local std::size_t used = kBuffer;
  if (n > kBuffer) {
    if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
    return;
  }
  if (kBuffer - used < n) {
    if (RAND_bytes(buffer.data(), static_cast<int>(kBuffer)) != 1) throw std::runtime_error("RAND_bytes failed");
    used = 0;
  }
  std::memcpy(out, buffer.data() + used, n);
  OPENSSL_cleanse(buffer.data() + used, n);
  used += n;
}

}  // namespace

std::string NewUuidV7() {
  // 48-bit Unix milliseconds, then a 12-bit counter so ids made in the same millisecond by
  // this process still sort in creation order (RFC 9562 §6.2 method 1), then random bits.
  static std::mutex mutex;
  static std::uint64_t last_ms = 0;
  static std::uint16_t counter = 0;
  std::array<unsigned char, 16> b{};
  FillRandom(b.data(), b.size());
  std::uint64_t ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::uint16_t seq = 0;
  {
    std::lock_guard lock(mutex);
    if (ms <= last_ms) {
      ms = last_ms;
      if (++counter > 0x0FFF) {  // counter exhausted: borrow the next millisecond
        ++ms;
        counter = 0;
      }
    } else {
      counter = static_cast<std::uint16_t>(b[6] & 0x03);  // random start, room to count up
    }
    last_ms = ms;
    seq = counter;
  }
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  b[6] = static_cast<unsigned char>(0x70 | ((seq >> 8) & 0x0F));
  b[7] = static_cast<unsigned char>(seq & 0xFF);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  std::string hex = crypto::ToHex(b.data(), b.size());
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

std::string RandomHex(std::size_t bytes) {
  std::array<unsigned char, 64> b{};
  if (bytes > b.size()) throw std::invalid_argument("RandomHex: too many bytes");
  FillRandom(b.data(), bytes);
  return crypto::ToHex(b.data(), bytes);
}

}  // namespace pharmasys::ids
