#pragma once
// One call to an ad platform (or a webhook's size_url) with the connector's retries
// (RUNTIME.md §4): each platform's authentication, and its own idea of a retryable
// failure. Meta answers rate limits as HTTP 400 with an error code (4, 17, 32, 613,
// 80003…), TikTok as HTTP 200 with `code` 40100; Google with 429 RESOURCE_EXHAUSTED.
// Those, 429, 5xx and connection errors are retried with exponential backoff and full
// jitter (at least Retry-After); anything else is final.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime/connectors/backoff.h"
#include "runtime/connectors/deploy_config.h"
#include "runtime/connectors/http.h"

namespace seg::rt {

struct ApiResult {
  bool ok = false;
  HttpResponse response;  // the last answer (status 0: none)
  nlohmann::json body;    // the parsed body of a 2xx (null when it was not JSON)
  std::string what;       // why it failed, for failed-<destination>.ndjson and errors
};

class PlatformClient {
 public:
  explicit PlatformClient(const ConnectorConfig& cfg) : cfg_(cfg) {}
  // `path`: relative to base_url ("act_1/customaudiences"), or a full URL (paging links).
  // `query`: "k=v&…", already encoded. `body`: JSON, or empty for none.
  ApiResult call(const std::string& method, const std::string& path, const std::string& query = "",
                 const std::string& body = "", const std::string& idempotency_key = "");
  int64_t retried() const { return retried_; }
  const ConnectorConfig& config() const { return cfg_; }
  // Waits as a retry would after `attempt` failures (Google job polling uses it too).
  void back_off(int attempt, int64_t base_ms, int64_t max_ms, int64_t at_least_ms = -1);

 private:
  enum class Verdict { Ok, Retry, GiveUp };
  Verdict classify(const HttpResponse& r, nlohmann::json& body, std::string& what) const;

  const ConnectorConfig& cfg_;
  HttpClient http_;
  int64_t retried_ = 0;
  Backoff backoff_;
};

// Percent-encoding of one query value.
std::string url_encode(const std::string& s);

}  // namespace seg::rt
