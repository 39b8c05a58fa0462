// TikTok API for Business audiences (docs/connectors.md), the streaming ("segment") API
// that takes hashed ids in batches: found by name in dmp/custom_audience/list/ (paged),
// created with segment/audience/ (action "create"), members appended and deleted with
// segment/mapping/, size from dmp/custom_audience/get/ (audience_details.cover_num).
// TikTok answers HTTP 200 with {"code", "message", "request_id", "data"}: code 0 is
// success (platform_client.cpp reads the rest).
#include "runtime/connectors/ad_platform.h"

namespace seg::rt {
namespace {

using Json = nlohmann::ordered_json;

class TikTokPlatform : public AdPlatform {
 public:
  TikTokPlatform(const ConnectorConfig& cfg, const std::string& destination, const std::string& out_dir)
      : AdPlatform(cfg, destination, out_dir) {}

  std::string account() const override { return cfg_.advertiser_id; }

  static std::string text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

  ApiResult find(const std::string& name, std::string& id) override {
    id.clear();
    for (int page = 1; page < 100000; ++page) {
      ApiResult r = client_.call("GET", "dmp/custom_audience/list/",
                                 "advertiser_id=" + url_encode(account()) + "&page=" + std::to_string(page) + "&page_size=100");
      if (!r.ok) return r;
      const nlohmann::json& data = r.body.contains("data") ? r.body["data"] : nlohmann::json();
      if (!data.is_object() || !data.contains("list") || !data["list"].is_array()) {
        r.ok = false;
        r.what = "custom_audience/list: expected data.list, got " + r.response.body.substr(0, 500);
        return r;
      }
      for (const auto& a : data["list"])
        if (a.is_object() && a.value("name", "") == name && a.contains("audience_id")) {
          id = text(a["audience_id"]);
          return r;
        }
      int64_t pages = data.contains("page_info") ? data["page_info"].value("total_page", int64_t{1}) : 1;
      if (page >= pages || data["list"].empty()) return r;
    }
    return ApiResult{};
  }

  ApiResult create(const std::string& name, const std::vector<std::string>& cols, std::string& id) override {
    Json body;
    body["advertiser_id"] = account();
    body["custom_audience_name"] = name;
    body["id_type"] = cols.empty() ? "EMAIL_SHA256" : platform_key_name(cfg_.kind, cols.front());
    body["action"] = "create";
    ApiResult r = client_.call("POST", "segment/audience/", "", body.dump());
    if (r.ok && r.body.contains("data") && r.body["data"].is_object() && r.body["data"].contains("audience_id"))
      id = text(r.body["data"]["audience_id"]);
    return r;
  }

  ApiResult upload(const std::string& id, bool add, const std::vector<nlohmann::json>& keys,
                   const std::string& batch_id) override {
    std::vector<std::string> cols = key_columns(keys);
    Json schema = Json::array(), data = Json::array();
    for (const std::string& c : cols) schema.push_back(platform_key_name(cfg_.kind, c));
    for (const auto& k : keys) {
      Json row = Json::array();
      for (const std::string& c : cols)
        row.push_back({{"id", k.contains(c) ? k[c].get<std::string>() : ""}, {"audience_ids", {id}}});
      data.push_back(row);
    }
    Json body;
    body["advertiser_ids"] = Json::array({account()});
    body["action"] = add ? "append" : "delete";
    body["id_schema"] = schema;
    body["batch_data"] = data;
    return client_.call("POST", "segment/mapping/", "", body.dump(), batch_id);
  }

  AudienceSize size(const std::string& id) override {
    AudienceSize out;
    ApiResult r = client_.call("GET", "dmp/custom_audience/get/",
                               "advertiser_id=" + url_encode(account()) + "&custom_audience_ids=" +
                                   url_encode(Json::array({id}).dump()));
    if (!r.ok) {
      out.error = r.what;
      return out;
    }
    const nlohmann::json& data = r.body.contains("data") ? r.body["data"] : nlohmann::json();
    if (data.is_object() && data.contains("list") && data["list"].is_array())
      for (const auto& a : data["list"]) {
        const nlohmann::json& d = a.contains("audience_details") ? a["audience_details"] : a;
        if (d.is_object() && d.contains("cover_num") && d["cover_num"].is_number_integer()) {
          out.ok = true;
          out.lower = out.upper = d["cover_num"].get<int64_t>();
          return out;
        }
      }
    out.error = "custom_audience/get: no audience_details.cover_num for " + id + " in " + r.response.body.substr(0, 300);
    return out;
  }
};

}  // namespace

std::unique_ptr<AdPlatform> make_tiktok(const ConnectorConfig& cfg, const std::string& destination, const std::string& out_dir) {
  return std::make_unique<TikTokPlatform>(cfg, destination, out_dir);
}

}  // namespace seg::rt
