#include "proxy.hpp"

#include "pharmasys/error.hpp"
#include "pharmasys/log/log.hpp"
#include "pharmasys/metrics/metrics.hpp"

namespace pharmasys::gateway {
namespace {

Error Unreachable(std::string_view service, std::string_view why) {
  return Error(502, "upstream-indisponivel", "Serviço indisponível",
               "O serviço " + std::string(service) + " " + std::string(why) + ". Tente novamente em instantes.");
}

std::string_view KindName(http::UpstreamError::Kind kind) {
  switch (kind) {
    case http::UpstreamError::Kind::Timeout: return "timeout";
    case http::UpstreamError::Kind::Connect: return "connect";
    case http::UpstreamError::Kind::Protocol: return "protocol";
    case http::UpstreamError::Kind::Tls: return "tls";
  }
  return "unknown";
}

}  // namespace

Proxy::Proxy(ProxyOptions options, std::shared_ptr<http::Client> client)
    : options_(std::move(options)), client_(std::move(client)) {
  metrics::Registry::Global().Describe("gateway_upstream_failures_total", "counter",
                                       "Requests the gateway could not forward, by service and reason");
}

http::Response Proxy::Forward(const http::Request& request, Upstream upstream) const {
  const std::string_view service = NameOf(upstream);
  auto base = options_.upstreams.find(upstream);
  if (base == options_.upstreams.end() || base->second.empty()) {
    log::Warn("no upstream configured", {{"service.target.name", service}, {"event.reason", VariableOf(upstream)}});
    throw Unreachable(service, "não está configurado no gateway");
  }
  if (request.method == http::Method::Other) {
    Error error(405, "metodo-nao-permitido", "Método não permitido",
                "O método " + request.method_text + " não é aceito pela API.");
    error.WithHeader("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    throw error;
  }
  http::ClientRequest out;
  out.method = request.method;
  out.url = base->second + request.path + (request.query.empty() ? "" : "?" + request.query);
  out.headers = UpstreamHeaders(request, options_.trusted_proxies);
  out.body = request.body;

  http::ClientResponse answer;
  try {
    // Streamed: the answer's body flows to the client as it arrives (exports can be large).
    answer = client_->SendStreaming(out, options_.timeout);
  } catch (const http::UpstreamError& e) {
    metrics::Registry::Global().Increment(
        "gateway_upstream_failures_total",
        {{"service", std::string(service)}, {"reason", std::string(KindName(e.kind()))}});
    log::Warn("upstream call failed",
              {{"service.target.name", service}, {"error.type", KindName(e.kind())}, {"error.message", e.what()}});
    if (e.kind() == http::UpstreamError::Kind::Timeout) {
      throw Error(504, "tempo-esgotado", "Tempo esgotado",
                  "O serviço " + std::string(service) + " não respondeu em " +
                      std::to_string(options_.timeout.count()) + " ms.");
    }
    const bool unreached = e.kind() == http::UpstreamError::Kind::Connect || e.kind() == http::UpstreamError::Kind::Tls;
    throw Unreachable(service, unreached ? "não pôde ser alcançado" : "deu uma resposta inválida");
  }
  http::Response response;
  response.status = answer.status;
  response.headers = DownstreamHeaders(answer.headers);
  response.body = std::move(answer.body);  // small answers come whole
  response.stream = std::move(answer.stream);
  return response;
}

}  // namespace pharmasys::gateway
