#pragma once
// An ad platform's audience life cycle (RUNTIME.md §4, docs/connectors.md): the platform
// audience is found by the downstream name under the configured account, created with
// the platform's own call when absent, and name → platform id is kept in
// DIR/audiences-<destination>.ndjson, so a resumed or restarted run finds it without
// creating it twice, and a new name (a version bump) gets a new audience while the old
// one still gets its removes. `audience_id` in the config pins one audience for every
// name. Uploads are one batch of adds or of removes of one audience; Google's go through
// an offline user data job (create, addOperations in chunks, run, poll until done).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/connectors/audience_size.h"
#include "runtime/connectors/platform_client.h"

namespace seg::rt {

class AdPlatform {
 public:
  // `out_dir`: where audiences-<destination>.ndjson is read and appended.
  static std::unique_ptr<AdPlatform> make(const ConnectorConfig& cfg, const std::string& destination,
                                          const std::string& out_dir);
  virtual ~AdPlatform() = default;

  // The platform id of the audience named `name` (pinned, remembered, found, or, with
  // `create`, created). False with `failure` set when it cannot be had.
  bool resolve(const std::string& name, bool create, std::string& id, ApiResult& failure);
  // After an upload to `id` failed: when that id came from an earlier run's state file
  // (the audience may have been deleted on the platform since), resolve the name again
  // on the platform. True with a different id to retry with.
  bool re_resolve(const std::string& name, bool create, const std::string& id, std::string& fresh);
  // One batch: every op an add (or every op a remove) of the audience `id`; `keys` are
  // the ops' keys objects; `batch_id` the connector's idempotency key.
  virtual ApiResult upload(const std::string& id, bool add, const std::vector<nlohmann::json>& keys,
                           const std::string& batch_id) = 0;
  virtual AudienceSize size(const std::string& id) = 0;
  int64_t retried() const { return client_.retried(); }

 protected:
  AdPlatform(const ConnectorConfig& cfg, std::string destination, const std::string& out_dir);
  // Found by name: the id, "" when the platform has none of that name (ok), or a failure.
  virtual ApiResult find(const std::string& name, std::string& id) = 0;
  virtual ApiResult create(const std::string& name, const std::vector<std::string>& key_columns, std::string& id) = 0;
  virtual std::string account() const = 0;

  ConnectorConfig cfg_;
  std::string destination_;
  PlatformClient client_;
  // The key columns of the first batch, for the platforms whose create call wants them.
  std::vector<std::string> columns_;

 public:
  void set_columns(std::vector<std::string> c) { columns_ = std::move(c); }

 private:
  void remember(const std::string& name, const std::string& id, bool created);
  std::string state_path_;
  bool loaded_ = false;
  std::map<std::string, std::string> ids_;  // name -> id for this platform and account
  std::map<std::string, bool> from_file_;   // name -> its id is an earlier run's, not checked this run
};

// The match-key columns of a batch (sorted: every platform request orders them so).
std::vector<std::string> key_columns(const std::vector<nlohmann::json>& keys);
// A key's name on the platform (EMAIL_SHA256, hashedEmail, …).
std::string platform_key_name(ConnectorKind kind, const std::string& key);

std::unique_ptr<AdPlatform> make_meta(const ConnectorConfig& cfg, const std::string& destination, const std::string& out_dir);
std::unique_ptr<AdPlatform> make_google(const ConnectorConfig& cfg, const std::string& destination, const std::string& out_dir);
std::unique_ptr<AdPlatform> make_tiktok(const ConnectorConfig& cfg, const std::string& destination, const std::string& out_dir);

}  // namespace seg::rt
