#pragma once
// A streamed body for tests: `pieces` pieces of `size` bytes; the last one waits for Open(),
// so a test can see the first bytes arrive while the source is still producing.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "pharmasys/http/message.hpp"

namespace pharmasys::testing {

class GatedBody : public http::BodySource {
 public:
  GatedBody(int pieces, std::size_t size) : pieces_(pieces), size_(size) {}
  std::optional<std::string> Next() override {
    if (sent_ == pieces_) return std::nullopt;
    if (sent_ == pieces_ - 1) {
      std::unique_lock lock(mutex_);
      opened_.wait_for(lock, std::chrono::seconds(10), [this] { return open_; });
    }
    return std::string(size_, static_cast<char>('a' + sent_++ % 26));
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    opened_.notify_all();
  }

 private:
  int pieces_;
  std::size_t size_;
  int sent_ = 0;
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

}  // namespace pharmasys::testing
