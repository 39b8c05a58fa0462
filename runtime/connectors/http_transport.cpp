// One batch as one webhook request (http_transport.h).
#include "runtime/connectors/http_transport.h"

#include <nlohmann/json.hpp>

namespace seg::rt {

namespace {

// The ops exactly as written (field order included), without parsing them again.
std::string webhook_body(const std::vector<const BatchOp*>& batch, const std::string& id,
                         const std::string& destination) {
  using Json = nlohmann::ordered_json;
  std::string out = "{\"batch_id\":" + Json(id).dump() +
                    ",\"destination\":" + Json(destination).dump() + ",\"ops\":[";
  for (size_t i = 0; i < batch.size(); ++i) {
    if (i) out += ',';
    out += batch[i]->line;
  }
  return out + "]}";
}

}  // namespace

SendResult HttpTransport::send(const std::vector<const BatchOp*>& batch, const std::string& id) {
  std::string body = webhook_body(batch, id, destination_);
  // "Expect:" off: libcurl would otherwise wait for a 100 Continue before every large body.
  std::vector<std::string> headers = {"Content-Type: application/json", "Idempotency-Key: " + id,
                                      "Expect:"};
  for (const auto& [k, v] : cfg_.headers) headers.push_back(k + ": " + v);
  if (!cfg_.token.empty()) headers.push_back("Authorization: Bearer " + cfg_.token);
  HttpResponse r = http_.send("POST", cfg_.url, headers, body, cfg_.timeout_ms);
  SendResult out;
  out.ok = r.status >= 200 && r.status < 300;
  out.retryable = r.status == 0 || r.status == 429 || r.status >= 500;
  out.status = r.status;
  out.response = r.status ? r.body : r.error;
  out.retry_after_ms = r.retry_after_ms;
  return out;
}

}  // namespace seg::rt
