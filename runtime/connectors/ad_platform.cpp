// The life cycle shared by the ad platforms (ad_platform.h): pin, remember, find, create.
#include "runtime/connectors/ad_platform.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace seg::rt {

std::vector<std::string> key_columns(const std::vector<nlohmann::json>& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys)
    for (const auto& [name, _] : k.items())
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::string platform_key_name(ConnectorKind kind, const std::string& key) {
  bool google = kind == ConnectorKind::Google;
  if (key == "email_sha256") return google ? "hashedEmail" : "EMAIL_SHA256";
  if (key == "phone_sha256") return google ? "hashedPhoneNumber" : "PHONE_SHA256";
  if (key == "external_id" || key == "id")
    return kind == ConnectorKind::Meta ? "EXTERN_ID" : google ? "thirdPartyUserId" : "EXTERNAL_ID";
  return key;
}

std::unique_ptr<AdPlatform> AdPlatform::make(const ConnectorConfig& cfg, const std::string& destination,
                                             const std::string& out_dir) {
  switch (cfg.kind) {
    case ConnectorKind::Meta: return make_meta(cfg, destination, out_dir);
    case ConnectorKind::Google: return make_google(cfg, destination, out_dir);
    case ConnectorKind::TikTok: return make_tiktok(cfg, destination, out_dir);
    default: return nullptr;
  }
}

// The state file: one JSON object a line, appended as audiences are resolved, read whole
// at start (a later line wins). Lines of another platform or account are kept but unused.
AdPlatform::AdPlatform(const ConnectorConfig& cfg, std::string destination, const std::string& out_dir)
    : cfg_(cfg), destination_(std::move(destination)), client_(cfg_),
      state_path_(out_dir + "/audiences-" + destination_ + ".ndjson") {}

bool AdPlatform::resolve(const std::string& name, bool create_absent, std::string& id, ApiResult& failure) {
  if (!cfg_.audience_id.empty()) {  // pinned: every name goes there
    id = cfg_.audience_id;
    return true;
  }
  if (!loaded_) {  // first use: what earlier runs resolved
    loaded_ = true;
    std::ifstream in(state_path_);
    for (std::string line; std::getline(in, line);) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object()) continue;
      if (j.value("platform", "") == connector_name(cfg_.kind) && j.value("account", "") == account())
        ids_[j.value("name", "")] = j.value("id", ""), from_file_[j.value("name", "")] = true;
    }
  }
  if (auto it = ids_.find(name); it != ids_.end() && !it->second.empty()) {
    id = it->second;
    return true;
  }
  failure = find(name, id);
  if (!failure.ok) return false;
  if (!id.empty()) {
    remember(name, id, false);
    return true;
  }
  if (!create_absent) {
    failure.ok = false;
    failure.what = std::string("no audience named \"") + name + "\" under " + connector_name(cfg_.kind) + " account " + account();
    return false;
  }
  failure = create(name, columns_, id);
  if (!failure.ok) return false;
  if (id.empty()) {
    failure.ok = false;
    failure.what = "the create call answered without an id: " + failure.response.body.substr(0, 2000);
    return false;
  }
  remember(name, id, true);
  return true;
}

bool AdPlatform::re_resolve(const std::string& name, bool create_absent, const std::string& id, std::string& fresh) {
  auto it = from_file_.find(name);
  if (!cfg_.audience_id.empty() || it == from_file_.end() || !it->second) return false;
  it->second = false;  // once a run
  ids_.erase(name);
  ApiResult failure;
  return resolve(name, create_absent, fresh, failure) && fresh != id;
}

void AdPlatform::remember(const std::string& name, const std::string& id, bool created) {
  ids_[name] = id;
  from_file_[name] = false;
  nlohmann::ordered_json j;
  j["platform"] = connector_name(cfg_.kind);
  j["account"] = account();
  j["name"] = name;
  j["id"] = id;
  j["created"] = created;
  if (std::FILE* f = std::fopen(state_path_.c_str(), "ab")) {
    std::fprintf(f, "%s\n", j.dump().c_str());
    std::fclose(f);  // flushed at once: a crash right after a create must not create again
  }
}

}  // namespace seg::rt
