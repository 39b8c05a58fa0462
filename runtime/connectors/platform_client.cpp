// Platform calls with authentication and retries (platform_client.h).
#include "runtime/connectors/platform_client.h"

#include <algorithm>
#include <cctype>

namespace seg::rt {

std::string url_encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += '%', out += kHex[c >> 4], out += kHex[c & 15];
  }
  return out;
}

namespace {

// Meta error codes that mean "slow down" or "try again" (Graph API error handling:
// 1 unknown, 2 service, 4 app rate limit, 17 user rate limit, 32 page rate limit,
// 341 application limit, 613 calls within one hour, 80003 custom audience throttle).
bool meta_transient(const nlohmann::json& error) {
  if (error.value("is_transient", false)) return true;
  int code = error.value("code", 0);
  for (int c : {1, 2, 4, 17, 32, 341, 613, 80003}) if (code == c) return true;
  return false;
}

}  // namespace

PlatformClient::Verdict PlatformClient::classify(const HttpResponse& r, nlohmann::json& body, std::string& what) const {
  if (r.status == 0) {
    what = r.error;
    return Verdict::Retry;
  }
  body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded()) body = nullptr;
  what = "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 2000);
  bool transient = r.status == 429 || r.status >= 500;
  switch (cfg_.kind) {
    case ConnectorKind::Meta:
      if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        if (meta_transient(body["error"])) return Verdict::Retry;
        return transient ? Verdict::Retry : Verdict::GiveUp;
      }
      break;
    case ConnectorKind::Google:
      if (r.status == 409) return Verdict::Retry;  // ABORTED: concurrent modification of the list
      break;
    case ConnectorKind::TikTok:
      // TikTok answers HTTP 200 with its own code: 0 is success, 40100 "too many
      // requests", 5xxxx its own server errors.
      if (r.status >= 200 && r.status < 300) {
        int64_t code = body.is_object() ? body.value("code", int64_t{-1}) : -1;
        if (code == 0) return Verdict::Ok;
        what = "TikTok code " + std::to_string(code) + ": " + r.body.substr(0, 2000);
        return code == 40100 || code >= 50000 ? Verdict::Retry : Verdict::GiveUp;
      }
      break;
    default: break;
  }
  if (r.status >= 200 && r.status < 300) return Verdict::Ok;
  return transient ? Verdict::Retry : Verdict::GiveUp;
}

void PlatformClient::back_off(int attempt, int64_t base_ms, int64_t max_ms, int64_t at_least_ms) {
  backoff_.wait(attempt, base_ms, max_ms, at_least_ms);
}

ApiResult PlatformClient::call(const std::string& method, const std::string& path, const std::string& query,
                               const std::string& body, const std::string& idempotency_key) {
  bool full = path.rfind("http://", 0) == 0 || path.rfind("https://", 0) == 0;
  std::string url = full ? path : cfg_.base_url + "/" + path;
  std::string q = query;
  std::vector<std::string> headers = {"Expect:"};
  if (!body.empty()) headers.push_back("Content-Type: application/json");
  if (!idempotency_key.empty()) headers.push_back("Idempotency-Key: " + idempotency_key);
  for (const auto& [k, v] : cfg_.headers) headers.push_back(k + ": " + v);
  // Each platform's own way of carrying the token.
  if (!cfg_.token.empty()) {
    if (cfg_.kind == ConnectorKind::Meta) {
      // Graph API: the access_token parameter (a paging link carries it already).
      if (url.find("access_token=") == std::string::npos)
        q += std::string(q.empty() ? "" : "&") + "access_token=" + url_encode(cfg_.token);
    } else if (cfg_.kind == ConnectorKind::TikTok) {
      headers.push_back("Access-Token: " + cfg_.token);
    } else {
      headers.push_back("Authorization: Bearer " + cfg_.token);
    }
  }
  if (cfg_.kind == ConnectorKind::Google) {
    headers.push_back("developer-token: " + cfg_.developer_token);
    if (!cfg_.login_customer_id.empty()) headers.push_back("login-customer-id: " + cfg_.login_customer_id);
  }
  if (!q.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + q;
  ApiResult out;
  for (int attempt = 1;; ++attempt) {
    out.response = http_.send(method, url, headers, body, cfg_.timeout_ms);
    Verdict v = classify(out.response, out.body, out.what);
    if (v == Verdict::Ok) {
      out.ok = true;
      out.what.clear();
      return out;
    }
    if (v == Verdict::GiveUp || attempt >= cfg_.retry.max_attempts) return out;
    ++retried_;
    back_off(attempt, cfg_.retry.base_ms, cfg_.retry.max_ms, out.response.retry_after_ms);
  }
}

}  // namespace seg::rt
