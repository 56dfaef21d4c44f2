#include "pharmasys/audit/checkpoint.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <boost/json/object.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "pharmasys/audit/audit.hpp"
#include "pharmasys/audit/sealer.hpp"
#include "pharmasys/crypto.hpp"
#include "pharmasys/ids.hpp"

namespace pharmasys::audit {
namespace fs = std::filesystem;
namespace {

void InitSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

std::string ReadTrimmed(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

void WriteFile(const fs::path& path, const std::string& text, fs::perms perms) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    fs::permissions(tmp, perms);
    out << text << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

// A key id sorts by creation: UTC time, then random digits against collisions.
std::string NewKeyId() {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto day = std::chrono::floor<std::chrono::days>(now);
  std::chrono::year_month_day ymd(day);
  std::chrono::hh_mm_ss hms(now - day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02ld%02ld%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return std::string(buf) + "-" + ids::RandomHex(3);
}

bool ValidKeyId(const std::string& id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_'))
      return false;
  }
  return true;
}

}  // namespace

struct CheckpointSigner::Key {
  std::string id;
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  ~Key() { sodium_memzero(secret, sizeof secret); }
};

std::string CheckpointMessage(const Checkpoint& c) {
  return CanonicalJson(boost::json::object{
      {"chave_id", c.chave_id}, {"em", c.em}, {"hash", c.hash}, {"sequencia", c.sequencia}, {"servico", c.servico}});
}

NewKey NewSigningKey(const std::string& dir) {
  InitSodium();
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  unsigned char seed[crypto_sign_SEEDBYTES];
  crypto_sign_keypair(pk, sk);
  crypto_sign_ed25519_sk_to_seed(seed, sk);
  NewKey key{NewKeyId(), crypto::ToHex(pk, sizeof pk)};
  WriteFile(fs::path(dir) / (key.chave_id + ".key"), crypto::ToHex(seed, sizeof seed),
            fs::perms::owner_read | fs::perms::owner_write);
  sodium_memzero(seed, sizeof seed);
  sodium_memzero(sk, sizeof sk);
  WriteFile(fs::path(dir) / (key.chave_id + ".pub"), key.chave_publica,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  return key;
}

CheckpointSigner::CheckpointSigner(std::string dir, std::chrono::milliseconds reload)
    : dir_(std::move(dir)), reload_(reload) {}

CheckpointSigner::~CheckpointSigner() = default;

void CheckpointSigner::Load() {
  InitSodium();
  std::error_code ec;
  std::string newest;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.path().extension() != ".key") continue;
    std::string id = entry.path().stem().string();
    if (ValidKeyId(id) && id > newest) newest = id;
  }
  if (ec) throw std::runtime_error("cannot read the audit signing keys in " + dir_ + ": " + ec.message());
  if (newest.empty()) {
    throw std::runtime_error("no audit signing key (<id>.key) in " + dir_ + "; make one with `audit-key new`");
  }
  auto key = std::make_shared<Key>();
  key->id = newest;
  std::string seed;
  try {
    seed = crypto::FromHex(ReadTrimmed(fs::path(dir_) / (newest + ".key")));
  } catch (const std::invalid_argument&) {
  }
  if (seed.size() != crypto_sign_SEEDBYTES) {
    throw std::runtime_error("audit signing key " + newest + " in " + dir_ + " is not 64 hex digits");
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(pk, key->secret, reinterpret_cast<const unsigned char*>(seed.data()));
  sodium_memzero(seed.data(), seed.size());
  std::lock_guard lock(mutex_);
  current_ = std::move(key);
  loaded_at_ = std::chrono::steady_clock::now();
}

void CheckpointSigner::Sign(Checkpoint& checkpoint) {
  bool stale = false;
  {
    std::lock_guard lock(mutex_);
    stale = !current_ || std::chrono::steady_clock::now() - loaded_at_ > reload_;
  }
  if (stale) Load();
  std::shared_ptr<Key> key;
  {
    std::lock_guard lock(mutex_);
    key = current_;
  }
  checkpoint.chave_id = key->id;
  const std::string message = CheckpointMessage(checkpoint);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key->secret);
  checkpoint.assinatura = crypto::ToHex(sig, sizeof sig);
}

TrustedKeys::TrustedKeys(std::string dir) : dir_(std::move(dir)) {}

bool TrustedKeys::Verify(const Checkpoint& checkpoint, const std::string& public_hex) {
  InitSodium();
  std::string pk, sig;
  try {
    pk = crypto::FromHex(public_hex);
    sig = crypto::FromHex(checkpoint.assinatura);
  } catch (const std::invalid_argument&) {
    return false;
  }
  if (pk.size() != crypto_sign_PUBLICKEYBYTES || sig.size() != crypto_sign_BYTES) return false;
  const std::string message = CheckpointMessage(checkpoint);
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     reinterpret_cast<const unsigned char*>(pk.data())) == 0;
}

std::optional<std::string> TrustedKeys::Find(const std::string& servico, const std::string& chave_id) {
  const std::string name = servico + "/" + chave_id;
  std::lock_guard lock(mutex_);
  if (auto it = keys_.find(name); it != keys_.end()) return it->second;
  if (!ValidKeyId(chave_id) || !ValidKeyId(servico)) return std::nullopt;
  std::error_code ec;
  const fs::path path = fs::path(dir_) / servico / (chave_id + ".pub");
  if (!fs::exists(path, ec)) return std::nullopt;
  std::string hex = ReadTrimmed(path);
  keys_.emplace(name, hex);
  return hex;
}

std::optional<std::string> TrustedKeys::Check(const Checkpoint& checkpoint) {
  auto key = Find(checkpoint.servico, checkpoint.chave_id);
  if (!key) return "chave " + checkpoint.chave_id + " desconhecida para o serviço " + checkpoint.servico;
  if (!Verify(checkpoint, *key)) return "assinatura inválida";
  return std::nullopt;
}

}  // namespace pharmasys::audit
