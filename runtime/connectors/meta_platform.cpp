// Meta Marketing API custom audiences (docs/connectors.md): found by name under
// act_<ad_account_id>/customaudiences (paged), created there (subtype CUSTOM, a customer
// file), users added with POST and removed with DELETE on <audience_id>/users, size from
// approximate_count_lower_bound / _upper_bound.
#include "runtime/connectors/ad_platform.h"

namespace seg::rt {
namespace {

using Json = nlohmann::ordered_json;

class MetaPlatform : public AdPlatform {
 public:
  MetaPlatform(const ConnectorConfig& cfg, const std::string& destination, const std::string& out_dir)
      : AdPlatform(cfg, destination, out_dir) {}

  std::string account() const override {
    const std::string& a = cfg_.ad_account_id;
    return a.rfind("act_", 0) == 0 ? a.substr(4) : a;
  }

  ApiResult find(const std::string& name, std::string& id) override {
    id.clear();
    std::string next = "act_" + account() + "/customaudiences";
    std::string query = "fields=id,name&limit=500";
    for (int page = 0; page < 10000; ++page) {
      ApiResult r = client_.call("GET", next, query);
      if (!r.ok) return r;
      if (!r.body.is_object() || !r.body.contains("data") || !r.body["data"].is_array()) {
        r.ok = false;
        r.what = "customaudiences: expected {\"data\": [...]}, got " + r.response.body.substr(0, 500);
        return r;
      }
      for (const auto& a : r.body["data"])
        if (a.is_object() && a.value("name", "") == name && a.contains("id")) {
          id = a["id"].is_string() ? a["id"].get<std::string>() : a["id"].dump();
          return r;
        }
      // paging.next is the whole next URL (with the token): followed as given.
      const auto& paging = r.body.contains("paging") ? r.body["paging"] : nlohmann::json();
      if (!paging.is_object() || !paging.contains("next") || !paging["next"].is_string()) return r;
      next = paging["next"].get<std::string>();
      query.clear();
    }
    return ApiResult{};
  }

  ApiResult create(const std::string& name, const std::vector<std::string>&, std::string& id) override {
    Json body;
    body["name"] = name;
    body["subtype"] = "CUSTOM";
    body["description"] = "seg destination " + destination_;
    body["customer_file_source"] = "USER_PROVIDED_ONLY";
    ApiResult r = client_.call("POST", "act_" + account() + "/customaudiences", "", body.dump());
    if (r.ok && r.body.is_object() && r.body.contains("id"))
      id = r.body["id"].is_string() ? r.body["id"].get<std::string>() : r.body["id"].dump();
    return r;
  }

  ApiResult upload(const std::string& id, bool add, const std::vector<nlohmann::json>& keys,
                   const std::string& batch_id) override {
    std::vector<std::string> cols = key_columns(keys);
    Json schema = Json::array(), data = Json::array();
    for (const std::string& c : cols) schema.push_back(platform_key_name(cfg_.kind, c));
    for (const auto& k : keys) {
      Json row = Json::array();
      for (const std::string& c : cols) row.push_back(k.contains(c) ? k[c].get<std::string>() : "");
      data.push_back(row);
    }
    Json body;
    body["payload"] = {{"schema", schema}, {"data", data}};
    // session_id is a 64-bit integer: the batch id's bits (positive), so a retried or
    // replayed batch is the same session.
    uint64_t session = std::stoull(batch_id, nullptr, 16) & 0x7fffffffffffffffull;
    body["session"] = {{"session_id", session}, {"batch_seq", 1}, {"last_batch_flag", true},
                       {"estimated_num_total", keys.size()}};
    return client_.call(add ? "POST" : "DELETE", id + "/users", "", body.dump(), batch_id);
  }

  AudienceSize size(const std::string& id) override {
    AudienceSize out;
    ApiResult r = client_.call("GET", id, "fields=approximate_count_lower_bound,approximate_count_upper_bound");
    if (!r.ok) {
      out.error = r.what;
      return out;
    }
    auto number = [&](const char* k) -> int64_t {
      if (!r.body.is_object() || !r.body.contains(k)) return -2;
      const auto& v = r.body[k];
      if (v.is_number_integer()) return v.get<int64_t>();
      if (v.is_string()) return std::strtoll(v.get<std::string>().c_str(), nullptr, 10);
      return -2;
    };
    int64_t lo = number("approximate_count_lower_bound"), hi = number("approximate_count_upper_bound");
    if (lo == -2 || hi == -2) {
      out.error = "expected approximate_count_lower_bound and _upper_bound, got " + r.response.body.substr(0, 300);
    } else if (lo < 0 || hi < 0) {
      // Meta answers -1 while an audience is too small to report or still being processed.
      out.error = "Meta reports no count for audience " + id + " yet (-1: too small or still processing)";
    } else {
      out.ok = true, out.lower = lo, out.upper = hi;
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<AdPlatform> make_meta(const ConnectorConfig& cfg, const std::string& destination, const std::string& out_dir) {
  return std::make_unique<MetaPlatform>(cfg, destination, out_dir);
}

}  // namespace seg::rt
