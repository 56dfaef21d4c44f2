#pragma once
// A stand-in for one PharmaSys service behind the gateway, in the test process.
#include <boost/json/object.hpp>

#include <atomic>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "pharmasys/http/server.hpp"

namespace pharmasys::testing {

using namespace std::chrono_literals;

inline std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A stand-in for one service: answers every request with what it received, and with some
// headers a real service sends (and some hop-by-hop ones the gateway must not pass on).
class FakeService {
 public:
  explicit FakeService(std::string name) : name_(std::move(name)) {
    http::ServerOptions options;
    options.address = "127.0.0.1";
    options.worker_threads = 4;
    options.shutdown_grace = 1000ms;
    server_ = std::make_unique<http::Server>(options, [this](http::Request& r) { return Answer(r); });
    server_->Start();
  }

  // A streamed answer for one path.
  void Stream(const std::string& path, std::shared_ptr<http::BodySource> body) {
    std::lock_guard lock(mutex_);
    streams_[path] = std::move(body);
  }

  // A fixed answer for one path (a JWK Set, say) instead of the echo.
  void Serve(const std::string& path, std::string body) {
    std::lock_guard lock(mutex_);
    fixed_[path] = std::move(body);
  }

  // A whole answer (status, headers, body) for one method and path, instead of the echo.
  void Respond(http::Method method, const std::string& path, http::Response response) {
    std::lock_guard lock(mutex_);
    answers_[{method, path}] = std::move(response);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  int calls() const { return calls_; }
  void set_delay(std::chrono::milliseconds delay) { delay_ms_ = static_cast<int>(delay.count()); }
  std::size_t connections() const { return server_->active_connections(); }

 private:
  http::Response Answer(http::Request& r) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = streams_.find(r.path); it != streams_.end()) {
        http::Response streamed;
        streamed.headers.Set("Content-Type", "text/csv");
        streamed.stream = it->second;
        return streamed;
      }
      if (auto it = fixed_.find(r.path); it != fixed_.end())
        return http::Response::Text(200, it->second, "application/json");
      if (auto it = answers_.find({r.method, r.path}); it != answers_.end()) return it->second;
    }
    ++calls_;
    if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_.load()));
    boost::json::object headers;
    for (const auto& [name, value] : r.headers) headers[Lower(name)] = value;
    auto response = http::Response::Json(200, boost::json::object{{"servico", name_},
                                                                  {"method", r.method_text},
                                                                  {"path", r.path},
                                                                  {"query", r.query},
                                                                  {"body", r.body},
                                                                  {"headers", std::move(headers)}});
    response.headers.Set("ETag", "\"7\"");
    response.headers.Set("Location", "/v1/coisas/1");
    response.headers.Set("X-Servico", name_);
    response.headers.Set("Keep-Alive", "timeout=5");
    response.headers.Set("Connection", "X-Hop");
    response.headers.Set("X-Hop", "1");
    response.headers.Set("Proxy-Authenticate", "Basic");
    response.headers.Set("Access-Control-Allow-Origin", "*");
    return response;
  }

  std::string name_;
  std::unique_ptr<http::Server> server_;
  std::atomic<int> calls_{0};
  std::atomic<int> delay_ms_{0};
  std::mutex mutex_;
  std::map<std::string, std::string> fixed_;
  std::map<std::pair<http::Method, std::string>, http::Response> answers_;
  std::map<std::string, std::shared_ptr<http::BodySource>> streams_;
};

}  // namespace pharmasys::testing
