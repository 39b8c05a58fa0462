// Google Ads API Customer Match (docs/connectors.md): the user list is found by name with
// a GAQL search, created with userLists:mutate (a CRM-based list), and each batch is an
// offline user data job: offlineUserDataJobs:create (CUSTOMER_MATCH_USER_LIST),
// :addOperations in chunks of at most max_request_identifiers identifiers (Google's limit
// is 100 000 a request, 20 a user), :run, then polled with backoff until SUCCESS or
// FAILED. A job holds only creates or only removes (Google advises against mixing them).
// Size: user_list.size_range_for_search, a range.
#include <chrono>

#include "runtime/connectors/ad_platform.h"

namespace seg::rt {
namespace {

using Json = nlohmann::ordered_json;

// GAQL string literal: quotes and backslashes escaped.
std::string gaql_string(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// UserListSizeRange -> [lower, upper] (the enum's documented ranges).
bool size_range(const std::string& e, int64_t& lo, int64_t& hi) {
  static const struct { const char* name; int64_t lo, hi; } kRanges[] = {
      {"LESS_THAN_FIVE_HUNDRED", 0, 500},
      {"LESS_THAN_ONE_THOUSAND", 500, 1000},
      {"ONE_THOUSAND_TO_TEN_THOUSAND", 1000, 10000},
      {"TEN_THOUSAND_TO_FIFTY_THOUSAND", 10000, 50000},
      {"FIFTY_THOUSAND_TO_ONE_HUNDRED_THOUSAND", 50000, 100000},
      {"ONE_HUNDRED_THOUSAND_TO_THREE_HUNDRED_THOUSAND", 100000, 300000},
      {"THREE_HUNDRED_THOUSAND_TO_FIVE_HUNDRED_THOUSAND", 300000, 500000},
      {"FIVE_HUNDRED_THOUSAND_TO_ONE_MILLION", 500000, 1000000},
      {"ONE_MILLION_TO_TWO_MILLION", 1000000, 2000000},
      {"TWO_MILLION_TO_THREE_MILLION", 2000000, 3000000},
      {"THREE_MILLION_TO_FIVE_MILLION", 3000000, 5000000},
      {"FIVE_MILLION_TO_TEN_MILLION", 5000000, 10000000},
      {"TEN_MILLION_TO_TWENTY_MILLION", 10000000, 20000000},
      {"TWENTY_MILLION_TO_THIRTY_MILLION", 20000000, 30000000},
      {"THIRTY_MILLION_TO_FIFTY_MILLION", 30000000, 50000000},
      {"OVER_FIFTY_MILLION", 50000000, INT64_MAX},
  };
  for (const auto& r : kRanges)
    if (e == r.name) return lo = r.lo, hi = r.hi, true;
  return false;
}

class GooglePlatform : public AdPlatform {
 public:
  GooglePlatform(const ConnectorConfig& cfg, const std::string& destination, const std::string& out_dir)
      : AdPlatform(cfg, destination, out_dir) {}

  std::string account() const override {
    std::string out;
    for (char c : cfg_.customer_id)
      if (c != '-') out += c;  // 123-456-7890 as shown in the UI
    return out;
  }

  // One GAQL query (search, paged by nextPageToken): every result row.
  ApiResult search(const std::string& query, std::vector<nlohmann::json>& rows) {
    std::string token;
    for (;;) {
      Json body;
      body["query"] = query;
      if (!token.empty()) body["pageToken"] = token;
      ApiResult r = client_.call("POST", "customers/" + account() + "/googleAds:search", "", body.dump());
      if (!r.ok) return r;
      if (r.body.is_object() && r.body.contains("results") && r.body["results"].is_array())
        for (const auto& row : r.body["results"]) rows.push_back(row);
      if (!r.body.is_object() || !r.body.contains("nextPageToken") || !r.body["nextPageToken"].is_string() ||
          r.body["nextPageToken"].get<std::string>().empty())
        return r;
      token = r.body["nextPageToken"].get<std::string>();
    }
  }

  ApiResult find(const std::string& name, std::string& id) override {
    id.clear();
    std::vector<nlohmann::json> rows;
    ApiResult r = search("SELECT user_list.resource_name, user_list.name FROM user_list WHERE user_list.name = " +
                             gaql_string(name),
                         rows);
    for (const auto& row : rows)
      if (row.contains("userList") && row["userList"].value("name", "") == name) {
        id = row["userList"].value("resourceName", "");
        break;
      }
    return r;
  }

  ApiResult create(const std::string& name, const std::vector<std::string>& cols, std::string& id) override {
    // A list of third-party ids alone is CRM_ID; hashed emails and phones CONTACT_INFO.
    bool crm = !cols.empty();
    for (const std::string& c : cols) crm = crm && (c == "external_id" || c == "id");
    Json list;
    list["name"] = name;
    list["description"] = "seg destination " + destination_;
    list["membershipStatus"] = "OPEN";
    list["membershipLifeSpan"] = 10000;  // 10000: members never expire
    list["crmBasedUserList"] = {{"uploadKeyType", crm ? "CRM_ID" : "CONTACT_INFO"}, {"dataSourceType", "FIRST_PARTY"}};
    Json body;
    body["operations"] = Json::array({{{"create", list}}});
    ApiResult r = client_.call("POST", "customers/" + account() + "/userLists:mutate", "", body.dump());
    if (r.ok && r.body.is_object() && r.body.contains("results") && r.body["results"].is_array() &&
        !r.body["results"].empty())
      id = r.body["results"][0].value("resourceName", "");
    return r;
  }

  ApiResult upload(const std::string& id, bool add, const std::vector<nlohmann::json>& keys,
                   const std::string& batch_id) override {
    Json create_body;
    create_body["job"] = {{"type", "CUSTOMER_MATCH_USER_LIST"}, {"customerMatchUserListMetadata", {{"userList", id}}}};
    ApiResult r = client_.call("POST", "customers/" + account() + "/offlineUserDataJobs:create", "", create_body.dump(),
                               batch_id);
    if (!r.ok) return r;
    std::string job = r.body.is_object() ? r.body.value("resourceName", "") : "";
    if (job.empty()) {
      r.ok = false;
      r.what = "offlineUserDataJobs:create answered without a resourceName: " + r.response.body.substr(0, 500);
      return r;
    }
    // Operations in chunks: each request at most max_request_identifiers identifiers.
    size_t i = 0;
    for (int chunk = 0; i < keys.size(); ++chunk) {
      Json ops = Json::array();
      int64_t identifiers = 0;
      for (; i < keys.size(); ++i) {
        int64_t n = static_cast<int64_t>(keys[i].size());
        if (!ops.empty() && identifiers + n > cfg_.max_request_identifiers) break;
        Json ids = Json::array();
        for (const auto& [name, v] : keys[i].items()) ids.push_back({{platform_key_name(cfg_.kind, name), v}});
        ops.push_back({{add ? "create" : "remove", {{"userIdentifiers", ids}}}});
        identifiers += n;
      }
      Json body;
      body["enablePartialFailure"] = false;
      body["operations"] = ops;
      r = client_.call("POST", job + ":addOperations", "", body.dump(), batch_id + "-" + std::to_string(chunk));
      if (!r.ok) return r;
    }
    r = client_.call("POST", job + ":run", "", "{}", batch_id + "-run");
    if (!r.ok) return r;
    return wait(job);
  }

  // Polls the job with backoff (job_poll_ms doubling, at most a minute) until it is done.
  ApiResult wait(const std::string& job) {
    auto start = std::chrono::steady_clock::now();
    for (int attempt = 1;; ++attempt) {
      client_.back_off(attempt, cfg_.job_poll_ms, std::max<int64_t>(cfg_.job_poll_ms, 60000));
      std::vector<nlohmann::json> rows;
      ApiResult r = search("SELECT offline_user_data_job.resource_name, offline_user_data_job.status, "
                           "offline_user_data_job.failure_reason FROM offline_user_data_job WHERE "
                           "offline_user_data_job.resource_name = " + gaql_string(job),
                           rows);
      if (!r.ok) return r;
      std::string status, reason;
      for (const auto& row : rows)
        if (row.contains("offlineUserDataJob")) {
          status = row["offlineUserDataJob"].value("status", "");
          reason = row["offlineUserDataJob"].value("failureReason", "");
        }
      if (status == "SUCCESS") return r;
      if (status == "FAILED" || status.empty()) {
        r.ok = false;
        r.what = "offline user data job " + job + (status.empty() ? " not found" : " FAILED") +
                 (reason.empty() ? "" : ": " + reason);
        return r;
      }
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      if (waited.count() >= cfg_.job_timeout_ms) {
        r.ok = false;
        r.what = "offline user data job " + job + " still " + status + " after " + std::to_string(waited.count()) +
                 " ms (job_timeout_ms): not known to be applied";
        return r;
      }
    }
  }

  AudienceSize size(const std::string& id) override {
    AudienceSize out;
    std::vector<nlohmann::json> rows;
    ApiResult r = search("SELECT user_list.resource_name, user_list.size_range_for_search FROM user_list WHERE "
                         "user_list.resource_name = " + gaql_string(id),
                         rows);
    if (!r.ok) {
      out.error = r.what;
      return out;
    }
    std::string range;
    for (const auto& row : rows)
      if (row.contains("userList")) range = row["userList"].value("sizeRangeForSearch", "");
    if (rows.empty()) out.error = "no user list " + id;
    else if (!size_range(range, out.lower, out.upper)) out.error = "user list " + id + " has no size range (\"" + range + "\")";
    else out.ok = true;
    return out;
  }
};

}  // namespace

std::unique_ptr<AdPlatform> make_google(const ConnectorConfig& cfg, const std::string& destination, const std::string& out_dir) {
  return std::make_unique<GooglePlatform>(cfg, destination, out_dir);
}

}  // namespace seg::rt
