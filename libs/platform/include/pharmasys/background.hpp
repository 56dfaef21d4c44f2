#pragma once
// Background work of a service (outbox relay, audit sealer, event consumer): a thread that
// runs rounds of work and, between rounds, waits to be woken, stopped or timed out.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pharmasys {

class BackgroundLoop {
 public:
  BackgroundLoop() = default;
  ~BackgroundLoop() { Stop(); }
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  // Runs `body` on a new thread; `body` loops while running() and calls WaitForWork or Sleep.
  void Start(std::function<void()> body);
  // Ends the waits at once and joins the thread (the current round finishes first).
  void Stop();
  void Wake();
  bool running() const { return running_; }
  // Returns when woken, stopped, or after `timeout`.
  void WaitForWork(std::chrono::milliseconds timeout);
  // Sleeps `duration` unless stopped first (backoff between failed rounds).
  void Sleep(std::chrono::milliseconds duration);

 private:
  std::atomic<bool> running_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  bool woken_ = false;
  std::thread thread_;
};

// The loops of one kind in this process, woken together when a transaction that gave them
// work commits (see pg::Transaction::AfterCommit).
class WakeList {
 public:
  void Add(BackgroundLoop* loop);
  void Remove(BackgroundLoop* loop);
  void WakeAll();

 private:
  std::mutex mutex_;
  std::vector<BackgroundLoop*> loops_;
};

// Doubling backoff from 100 ms after `failures` failed rounds, capped at `max`.
std::chrono::milliseconds Backoff(int failures, std::chrono::milliseconds max);

}  // namespace pharmasys
