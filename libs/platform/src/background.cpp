#include "pharmasys/background.hpp"

#include <algorithm>

namespace pharmasys {

void BackgroundLoop::Start(std::function<void()> body) {
  if (running_.exchange(true)) return;
  thread_ = std::thread(std::move(body));
}

void BackgroundLoop::Stop() {
  if (!running_.exchange(false)) return;
  Wake();
  if (thread_.joinable()) thread_.join();
}

void BackgroundLoop::Wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  changed_.notify_all();
}

void BackgroundLoop::WaitForWork(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return woken_ || !running_; });
  woken_ = false;
}

void BackgroundLoop::Sleep(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, duration, [this] { return !running_; });
}

void WakeList::Add(BackgroundLoop* loop) {
  std::lock_guard lock(mutex_);
  loops_.push_back(loop);
}

void WakeList::Remove(BackgroundLoop* loop) {
  std::lock_guard lock(mutex_);
  std::erase(loops_, loop);
}

void WakeList::WakeAll() {
  std::lock_guard lock(mutex_);
  for (auto* loop : loops_) loop->Wake();
}

std::chrono::milliseconds Backoff(int failures, std::chrono::milliseconds max) {
  return std::min(std::chrono::milliseconds(100LL << std::clamp(failures, 0, 6)), max);
}

}  // namespace pharmasys
