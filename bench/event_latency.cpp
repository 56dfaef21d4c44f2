// Event propagation latency: from the commit of a change that publishes an event to the
// commit of the consumer's transaction that applies it (outbox → relay → RabbitMQ → inbox),
// at a steady rate. Beside it, in the same run, the broker's own floor: a message published
// with a confirm and received by a plain consumer, no database on either side.
//
//   bench-event-latency <producer-db-url> <consumer-db-url> <amqp-url> [rate/s] [seconds]
#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/pg/migrations.hpp"

namespace {

using namespace pharmasys;
using Clock = std::chrono::steady_clock;

struct Stats {
  double p50, p90, p99, max;
};

Stats Summarise(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))]; };
  return {at(0.50), at(0.90), at(0.99), ms.back()};
}

void Print(const char* what, const Stats& s, std::size_t n) {
  std::printf("%-34s n=%-6zu p50 %7.2f ms   p90 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n", what, n, s.p50, s.p90, s.p99,
              s.max);
}

// Paces `total` iterations at `rate` per second.
template <typename F>
void Steady(int rate, int total, F&& body) {
  auto start = Clock::now();
  for (int i = 0; i < total; ++i) {
    std::this_thread::sleep_until(start + std::chrono::microseconds(1'000'000LL * i / rate));
    body(i);
  }
}

std::vector<double> BrokerFloor(const amqp::Options& broker, int rate, int total) {
  std::mutex mutex;
  std::map<std::string, Clock::time_point> sent;
  std::vector<double> latencies;
  std::atomic<bool> done{false};
  std::thread consumer([&] {
    amqp::Channel channel(broker);
    channel.Consume(channel.Name("cq.eventos"), 64);
    while (!done || [&] {
      std::lock_guard l(mutex);
      return latencies.size() < sent.size();
    }()) {
      auto d = channel.Next(std::chrono::milliseconds(200));
      if (!d) continue;
      auto now = Clock::now();
      channel.Ack(d->tag);
      std::lock_guard lock(mutex);
      if (auto it = sent.find(d->message_id); it != sent.end()) {
        latencies.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
      }
    }
  });
  amqp::Channel publisher(broker);
  Steady(rate, total, [&](int i) {
    std::string id = "floor-" + std::to_string(i);
    {
      std::lock_guard lock(mutex);
      sent[id] = Clock::now();
    }
    publisher.PublishConfirmed({{.routing_key = "lote.criado", .body = "{}", .message_id = id, .type = "x"}},
                               std::chrono::seconds(5));
  });
  done = true;
  consumer.join();
  return latencies;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s <producer-db-url> <consumer-db-url> <amqp-url> [rate/s] [seconds]\n", argv[0]);
    return 2;
  }
  const int rate = argc > 4 ? std::atoi(argv[4]) : 200;
  const int seconds = argc > 5 ? std::atoi(argv[5]) : 10;
  const int total = rate * seconds;
  amqp::Options broker{.url = argv[3], .connection_name = "bench", .prefix = "bench-latency."};

  pg::Pool producer(pg::PoolOptions{.conninfo = argv[1], .max_size = 8});
  pg::Pool consumer_db(pg::PoolOptions{.conninfo = argv[2], .max_size = 8});
  for (auto* pool : {&producer, &consumer_db}) pg::Migrate(*pool, pg::PlatformMigrations(), "plataforma");
  amqp::Channel(broker).DeclareTopology(amqp::Topology(), 5);

  std::printf("event propagation at %d events/s for %d s\n", rate, seconds);
  auto floor = BrokerFloor(broker, rate, total);
  auto floor_stats = Summarise(floor);
  Print("broker floor (confirm → receive)", floor_stats, floor.size());

  std::mutex mutex;
  std::map<std::string, Clock::time_point> committed;
  std::vector<double> latencies;
  events::Consumer consumer("cq", consumer_db, broker);
  consumer.On("lote.criado", [&](pg::Transaction& tx, const events::Event& e) {
    tx.AfterCommit([&, id = e.id] {
      auto now = Clock::now();
      std::lock_guard lock(mutex);
      if (auto it = committed.find(id); it != committed.end()) {
        latencies.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
      }
    });
  });
  consumer.Start();
  events::OutboxRelay relay(producer, broker);
  relay.Start();
  Steady(rate, total, [&](int i) {
    auto event = events::Event::New("lote.criado", "producao",
                                    {{"lote_id", ids::NewUuidV7()},
                                     {"codigo", "L-" + std::to_string(i)},
                                     {"material", "PA-001"},
                                     {"quantidade", 1000},
                                     {"unidade", "un"},
                                     {"validade", "2028-06-30"},
                                     {"origem", "producao"}});
    producer.Transact([&](pg::Transaction& tx) {
      // Registered before Publish's own callback, so the instant is taken before the relay wakes.
      tx.AfterCommit([&, id = event.id] {
        std::lock_guard lock(mutex);
        committed[id] = Clock::now();
      });
      events::Publish(tx, event);
    });
  });
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    {
      std::lock_guard lock(mutex);
      if (latencies.size() >= static_cast<std::size_t>(total)) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  relay.Stop();
  consumer.Stop();
  std::lock_guard lock(mutex);
  if (latencies.size() < static_cast<std::size_t>(total)) {
    std::fprintf(stderr, "only %zu of %d events arrived\n", latencies.size(), total);
    return 1;
  }
  auto stats = Summarise(latencies);
  Print("commit → consumer commit", stats, latencies.size());
  std::printf("ratio to the broker floor:         p50 %.1fx   p99 %.1fx\n", stats.p50 / floor_stats.p50,
              stats.p99 / floor_stats.p99);
  return 0;
}
