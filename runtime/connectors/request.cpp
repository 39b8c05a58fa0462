// The request each connector sends for one batch (docs/connectors.md): the webhook's
// {"batch_id", "destination", "ops"}, and the ad platforms' own shapes, reduced to the
// fields seg fills. Ad platform batches hold only adds or only removes.
#include "runtime/connectors/http_transport.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace seg::rt {
namespace {

using Json = nlohmann::ordered_json;

// The match-key columns of a batch, in a fixed order, with the platform's names.
std::vector<std::string> columns(const std::vector<const nlohmann::json*>& keys) {
  std::vector<std::string> out;
  for (const auto* k : keys)
    for (const auto& [name, _] : k->items())
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::string platform_name(ConnectorKind kind, const std::string& key) {
  bool meta = kind == ConnectorKind::Meta;
  if (key == "email_sha256") return meta ? "EMAIL_SHA256" : kind == ConnectorKind::Google ? "hashedEmail" : "EMAIL_SHA256";
  if (key == "phone_sha256") return meta ? "PHONE_SHA256" : kind == ConnectorKind::Google ? "hashedPhoneNumber" : "PHONE_SHA256";
  if (key == "external_id" || key == "id") return meta ? "EXTERN_ID" : kind == ConnectorKind::Google ? "thirdPartyUserId" : "EXTERNAL_ID";
  return key;
}

}  // namespace

std::string HttpTransport::request_body(const std::vector<const BatchOp*>& batch, const std::string& id,
                                        std::string& method, std::string& url) const {
  Json body;
  if (cfg_.kind == ConnectorKind::Webhook) {
    // The ops exactly as written (field order included), without parsing them again.
    method = "POST";
    url = cfg_.url;
    std::string out = "{\"batch_id\":" + Json(id).dump() + ",\"destination\":" + Json(destination_).dump() + ",\"ops\":[";
    for (size_t i = 0; i < batch.size(); ++i) {
      if (i) out += ',';
      out += batch[i]->line;
    }
    return out + "]}";
  }
  bool add = batch.front()->kind == "add";
  std::vector<nlohmann::json> parsed;
  parsed.reserve(batch.size());
  for (const BatchOp* op : batch) parsed.push_back(nlohmann::json::parse(op->keys));
  std::vector<const nlohmann::json*> keys;
  for (const nlohmann::json& k : parsed) keys.push_back(&k);
  std::vector<std::string> cols = columns(keys);
  switch (cfg_.kind) {
    case ConnectorKind::Meta: {
      // Meta Marketing API: POST (add) / DELETE (remove) {audience}/users.
      method = add ? "POST" : "DELETE";
      url = cfg_.base_url + "/" + cfg_.audience_id + "/users";
      Json schema = Json::array(), data = Json::array();
      for (const std::string& c : cols) schema.push_back(platform_name(cfg_.kind, c));
      for (const auto* k : keys) {
        Json row = Json::array();
        for (const std::string& c : cols) row.push_back(k->contains(c) ? (*k)[c].get<std::string>() : "");
        data.push_back(row);
      }
      body["payload"] = {{"schema", schema}, {"data", data}};
      body["session"] = {{"session_id", id}, {"batch_seq", 1}, {"last_batch_flag", true}};
      break;
    }
    case ConnectorKind::Google: {
      // Google Ads offline user data job operations: create or remove, never both.
      method = "POST";
      url = cfg_.base_url + "/customers/" + (cfg_.customer_id.empty() ? "-" : cfg_.customer_id) +
            "/offlineUserDataJobs:addOperations";
      Json ops = Json::array();
      for (const auto* k : keys) {
        Json ids = Json::array();
        for (const auto& [name, v] : k->items()) ids.push_back({{platform_name(cfg_.kind, name), v}});
        ops.push_back({{add ? "create" : "remove", {{"userIdentifiers", ids}}}});
      }
      body["userList"] = cfg_.audience_id;
      body["operations"] = ops;
      body["enablePartialFailure"] = false;
      break;
    }
    case ConnectorKind::TikTok: {
      // TikTok audience mapping: action append / delete over hashed id columns.
      method = "POST";
      url = cfg_.base_url + "/segment/mapping/";
      Json schema = Json::array(), data = Json::array();
      for (const std::string& c : cols) schema.push_back(platform_name(cfg_.kind, c));
      for (const auto* k : keys) {
        Json row = Json::array();
        for (const std::string& c : cols)
          row.push_back({{"id", k->contains(c) ? (*k)[c].get<std::string>() : ""}, {"audience_ids", {cfg_.audience_id}}});
        data.push_back(row);
      }
      body["advertiser_ids"] = Json::array({cfg_.advertiser_id});
      body["action"] = add ? "append" : "delete";
      body["id_schema"] = schema;
      body["batch_data"] = data;
      break;
    }
    default: break;
  }
  return body.dump();
}

}  // namespace seg::rt
