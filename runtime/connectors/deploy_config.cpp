#include "runtime/connectors/deploy_config.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace seg::rt {

const char* connector_name(ConnectorKind k) {
  static const char* kNames[] = {"file",           "webhook", "meta_audience", "google_customer_match", "tiktok_audience",
                                 "postgres"};
  return kNames[static_cast<int>(k)];
}

bool connector_fits(ConnectorKind k, const std::string& type, bool ads) {
  if (k == ConnectorKind::File || k == ConnectorKind::Webhook) return true;
  if (k == ConnectorKind::Postgres) return !ads;  // a warehouse holds history; an ad platform is not one
  return type == connector_name(k);
}

int64_t batch_limit(ConnectorKind k) {
  switch (k) {
    case ConnectorKind::Meta: return 10000;
    case ConnectorKind::Google: return 100000;
    case ConnectorKind::TikTok: return 10000;
    default: return 1000;
  }
}

namespace {

using Json = nlohmann::json;

struct Reader {
  std::string& error;
  bool fail(const std::string& where, const std::string& what) {
    error = where + ": " + what;
    return false;
  }
  bool integer(const Json& j, const std::string& where, int64_t lo, int64_t hi, int64_t& out) {
    if (!j.is_number_integer() || j.get<int64_t>() < lo || j.get<int64_t>() > hi)
      return fail(where, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    out = j.get<int64_t>();
    return true;
  }
  bool text(const Json& j, const std::string& where, std::string& out) {
    if (!j.is_string() || j.get<std::string>().empty()) return fail(where, "must be a non-empty string");
    out = j.get<std::string>();
    return true;
  }
  bool url(const Json& j, const std::string& where, std::string& out) {
    if (!text(j, where, out)) return false;
    if (out.rfind("http://", 0) != 0 && out.rfind("https://", 0) != 0)
      return fail(where, "must be an http:// or https:// URL, not \"" + out + "\"");
    return true;
  }
  // A secret by environment variable: the variable's name in `name`, its value in `value`.
  bool env(const Json& j, const std::string& where, std::string& name, std::string& value) {
    if (!text(j, where, name)) return false;
    const char* v = std::getenv(name.c_str());
    if (!v || !*v) return fail(where, "the environment variable " + name + " is not set");
    value = v;
    return true;
  }
  // An SQL identifier seg quotes itself: letters, digits and _, not starting with a digit.
  bool identifier(const Json& j, const std::string& where, std::string& out) {
    if (!text(j, where, out)) return false;
    bool ok = out.size() <= 63 && !(out[0] >= '0' && out[0] <= '9');
    for (char ch : out) ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
    if (!ok) return fail(where, "must be a plain SQL name (letters, digits, _; at most 63), not \"" + out + "\"");
    return true;
  }
  bool retry(const Json& j, const std::string& where, RetryPolicy& r) {
    if (!j.is_object()) return fail(where, "must be an object");
    for (const auto& [k, v] : j.items()) {
      int64_t n = 0;
      if (k == "max_attempts") {
        if (!integer(v, where + "." + k, 1, 1000, n)) return false;
        r.max_attempts = static_cast<int>(n);
      } else if (k == "base_ms") {
        if (!integer(v, where + "." + k, 1, 3600000, r.base_ms)) return false;
      } else if (k == "max_ms") {
        if (!integer(v, where + "." + k, 1, 86400000, r.max_ms)) return false;
      } else {
        return fail(where + "." + k, "unknown key (expected max_attempts, base_ms, max_ms)");
      }
    }
    return true;
  }
  // Keys every connector takes: batching, timing, retries.
  bool common(const std::string& k, const Json& v, const std::string& where, ConnectorConfig& c, bool& known) {
    known = true;
    if (k == "flush_interval_ms") return integer(v, where, 0, 3600000, c.flush_interval_ms);
    if (k == "timeout_ms") return integer(v, where, 1, 600000, c.timeout_ms);
    if (k == "max_batch") return integer(v, where, 1, 1000000, c.max_batch);
    if (k == "max_batch_bytes") return integer(v, where, 1024, 100000000, c.max_batch_bytes);
    if (k == "retry") return retry(v, where, c.retry);
    known = false;
    return true;
  }
};

}  // namespace

bool load_deploy_config(const std::string& path, DeployConfig& out, std::string& error) {
  std::ifstream in(path);
  if (!in) return (error = path + ": cannot be read"), false;
  std::stringstream text;
  text << in.rdbuf();
  Json j = Json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return (error = path + ": not a JSON object"), false;
  Reader r{error};
  ConnectorConfig defaults;
  if (j.contains("defaults")) {
    const Json& d = j["defaults"];
    if (!d.is_object()) return r.fail(path + ": defaults", "must be an object");
    for (const auto& [k, v] : d.items()) {
      bool known = false;
      if (!r.common(k, v, path + ": defaults." + k, defaults, known)) return false;
      if (!known) return r.fail(path + ": defaults." + k, "unknown key (expected flush_interval_ms, timeout_ms, max_batch, max_batch_bytes, retry)");
    }
  }
  for (const auto& [k, _] : j.items())
    if (k != "destinations" && k != "defaults" && k != "drift_check_interval")
      return r.fail(path + ": " + k, "unknown key (expected destinations, defaults, drift_check_interval)");
  if (j.contains("drift_check_interval")) {
    const Json& v = j["drift_check_interval"];
    if (!v.is_number_integer() || v.get<int64_t>() < 1)
      return r.fail(path + ": drift_check_interval", "must be a whole number of seconds, at least 1");
    out.drift_check_interval_s = v.get<int64_t>();
  }
  if (!j.contains("destinations") || !j["destinations"].is_object())
    return r.fail(path, "`destinations` must be an object of destination name: connector");
  for (const auto& [name, d] : j["destinations"].items()) {
    std::string where = path + ": destinations." + name;
    if (!d.is_object() || !d.contains("connector") || !d["connector"].is_string())
      return r.fail(where, "must be an object with a \"connector\"");
    ConnectorConfig c = defaults;
    std::string kind = d["connector"].get<std::string>();
    bool found = false;
    for (ConnectorKind k : {ConnectorKind::File, ConnectorKind::Webhook, ConnectorKind::Meta, ConnectorKind::Google,
                            ConnectorKind::TikTok, ConnectorKind::Postgres})
      if (kind == connector_name(k)) c.kind = k, found = true;
    if (!found)
      return r.fail(where + ".connector", "unknown connector \"" + kind +
                                              "\" (file, webhook, meta_audience, google_customer_match, tiktok_audience, postgres)");
    bool http = c.kind != ConnectorKind::File && c.kind != ConnectorKind::Postgres;
    bool ads = http && c.kind != ConnectorKind::Webhook;
    for (const auto& [k, v] : d.items()) {
      std::string at = where + "." + k;
      bool known = false;
      if (k == "connector") continue;
      if (!r.common(k, v, at, c, known)) return false;
      if (known) continue;
      bool ok = true;
      if (k == "path" && c.kind == ConnectorKind::File) ok = r.text(v, at, c.path);
      else if (k == "url" && c.kind == ConnectorKind::Webhook) ok = r.url(v, at, c.url);
      else if (k == "size_url" && c.kind == ConnectorKind::Webhook) ok = r.url(v, at, c.size_url);
      else if (k == "base_url" && ads) ok = r.url(v, at, c.base_url);
      else if (k == "audience_id" && ads) ok = r.text(v, at, c.audience_id);
      else if (k == "ad_account_id" && c.kind == ConnectorKind::Meta) ok = r.text(v, at, c.ad_account_id);
      else if (k == "customer_id" && c.kind == ConnectorKind::Google) ok = r.text(v, at, c.customer_id);
      else if (k == "advertiser_id" && c.kind == ConnectorKind::TikTok) ok = r.text(v, at, c.advertiser_id);
      else if (k == "login_customer_id" && c.kind == ConnectorKind::Google) ok = r.text(v, at, c.login_customer_id);
      else if (k == "max_request_identifiers" && c.kind == ConnectorKind::Google)
        ok = r.integer(v, at, 1, 100000, c.max_request_identifiers);
      else if (k == "job_poll_ms" && c.kind == ConnectorKind::Google) ok = r.integer(v, at, 1, 3600000, c.job_poll_ms);
      else if (k == "job_timeout_ms" && c.kind == ConnectorKind::Google) ok = r.integer(v, at, 1, 7 * 86400000LL, c.job_timeout_ms);
      else if (k == "developer_token_env" && c.kind == ConnectorKind::Google) {
        std::string var;
        ok = r.env(v, at, var, c.developer_token);
      } else if (k == "dsn_env" && c.kind == ConnectorKind::Postgres) ok = r.env(v, at, c.dsn_env, c.dsn);
      else if (k == "schema" && c.kind == ConnectorKind::Postgres) ok = r.identifier(v, at, c.schema);
      else if (k == "headers" && http) {
        if (!v.is_object()) return r.fail(at, "must be an object of header: value");
        for (const auto& [h, hv] : v.items()) {
          if (!hv.is_string()) return r.fail(at + "." + h, "must be a string");
          c.headers[h] = hv.get<std::string>();
        }
      } else if (k == "token_env" && http) {
        std::string var;
        ok = r.env(v, at, var, c.token);
      } else {
        return r.fail(at, std::string("not a key of the ") + connector_name(c.kind) + " connector");
      }
      if (!ok) return false;
    }
    if (c.kind == ConnectorKind::Webhook && c.url.empty()) return r.fail(where, "a webhook needs \"url\"");
    if (c.kind == ConnectorKind::Postgres && c.dsn_env.empty())
      return r.fail(where, "the postgres connector needs \"dsn_env\" (the environment variable holding the connection string)");
    if (ads && c.base_url.empty())
      return r.fail(where, std::string("the ") + connector_name(c.kind) + " connector needs \"base_url\"");
    // The account: where audiences are found by name and created (RUNTIME.md §4).
    // Meta pins by audience id alone; Google and TikTok name the account in every call.
    const char* account = c.kind == ConnectorKind::Meta ? "ad_account_id" : c.kind == ConnectorKind::Google ? "customer_id" : "advertiser_id";
    const std::string& account_value = c.kind == ConnectorKind::Meta ? c.ad_account_id : c.kind == ConnectorKind::Google ? c.customer_id : c.advertiser_id;
    if (ads && account_value.empty() && (c.kind != ConnectorKind::Meta || c.audience_id.empty()))
      return r.fail(where, std::string("the ") + connector_name(c.kind) + " connector needs \"" + account + "\"" +
                               (c.kind == ConnectorKind::Meta ? " (or \"audience_id\" to pin one audience)" : ""));
    if (c.kind == ConnectorKind::Google && c.developer_token.empty())
      return r.fail(where, "the google_customer_match connector needs \"developer_token_env\" (the Google Ads API developer token)");
    if (c.kind == ConnectorKind::Google && !c.audience_id.empty() && c.audience_id.rfind("customers/", 0) != 0)
      return r.fail(where + ".audience_id", "must be a user list resource name, customers/<customer_id>/userLists/<id>");
    if (c.max_batch > batch_limit(c.kind) && ads)
      return r.fail(where + ".max_batch", "is above the platform's limit of " + std::to_string(batch_limit(c.kind)));
    out.destinations[name] = std::move(c);
  }
  return true;
}

}  // namespace seg::rt
