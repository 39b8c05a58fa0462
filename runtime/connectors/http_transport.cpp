// One batch as one HTTP request (http_transport.h), and the choice of transport per
// connector kind (transport.h).
#include "runtime/connectors/http_transport.h"

#include "runtime/connectors/postgres.h"

namespace seg::rt {

SendResult HttpTransport::send(const std::vector<const BatchOp*>& batch, const std::string& id) {
  std::string method, url;
  std::string body = request_body(batch, id, method, url);
  // "Expect:" off: libcurl would otherwise wait for a 100 Continue before every large body.
  std::vector<std::string> headers = {"Content-Type: application/json", "Idempotency-Key: " + id,
                                      "Expect:"};
  for (const auto& [k, v] : cfg_.headers) headers.push_back(k + ": " + v);
  if (!cfg_.token.empty()) headers.push_back("Authorization: Bearer " + cfg_.token);
  HttpResponse r = http_.send(method, url, headers, body, cfg_.timeout_ms);
  SendResult out;
  out.ok = r.status >= 200 && r.status < 300;
  out.retryable = r.status == 0 || r.status == 429 || r.status >= 500;
  out.status = r.status;
  out.response = r.status ? r.body : r.error;
  out.retry_after_ms = r.retry_after_ms;
  return out;
}

std::unique_ptr<BatchTransport> make_transport(const std::string& destination,
                                               const ConnectorConfig& cfg) {
  if (cfg.kind == ConnectorKind::Postgres)
    return std::make_unique<PostgresTransport>(destination, cfg);
  return std::make_unique<HttpTransport>(destination, cfg);
}

}  // namespace seg::rt
