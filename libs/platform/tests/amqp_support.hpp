#pragma once
// The test RabbitMQ that `./pharmasys test` starts (PHARMASYS_TEST_AMQP_URL). Each fixture
// works under a unique name prefix and deletes its exchanges and queues afterwards.
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "pharmasys/amqp/amqp.hpp"
#include "pharmasys/ids.hpp"

namespace pharmasys::testing {

inline std::string TestAmqpUrl() {
  const char* url = std::getenv("PHARMASYS_TEST_AMQP_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error("PHARMASYS_TEST_AMQP_URL is not set: run the tests with ./pharmasys test");
  }
  return url;
}

class TestBroker {
 public:
  TestBroker() {
    options_.url = TestAmqpUrl();
    options_.prefix = "t" + ids::RandomHex(4) + ".";
    options_.connection_name = "test";
  }
  ~TestBroker() {
    try {
      amqp::Channel channel(options_);
      channel.DeleteTopology(amqp::Topology());
    } catch (...) {
    }
  }
  TestBroker(const TestBroker&) = delete;
  TestBroker& operator=(const TestBroker&) = delete;

  const amqp::Options& options() const { return options_; }
  std::unique_ptr<amqp::Channel> Channel(int delivery_limit = 5) const {
    auto channel = std::make_unique<amqp::Channel>(options_);
    channel->DeclareTopology(amqp::Topology(), delivery_limit);
    return channel;
  }

 private:
  amqp::Options options_;
};

}  // namespace pharmasys::testing
