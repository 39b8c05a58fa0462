#pragma once
// The deployment config (`seg run --config deploy.json`, RUNTIME.md §4): which connector
// each destination uses, where it sends, with which secrets (by environment variable
// name, never in the file), and how batches are flushed and retried.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace seg::rt {

enum class ConnectorKind { File, Webhook, Meta, Google, TikTok, Postgres };
const char* connector_name(ConnectorKind k);

struct RetryPolicy {
  int max_attempts = 10;
  int64_t base_ms = 200, max_ms = 60000;
};

struct ConnectorConfig {
  ConnectorKind kind = ConnectorKind::File;
  std::string path;  // file: where the ops go (default OUT/<destination>.ndjson)
  std::string url;       // webhook
  std::string size_url;  // webhook: GET answers {"size": N} (drift, RUNTIME.md §9)
  // Ad platforms: the API root, the account (Meta ad_account_id, Google customer_id,
  // TikTok advertiser_id) under which audiences are found by name and created, or
  // audience_id pinning one audience (then no lookup or create).
  std::string base_url, audience_id, ad_account_id, customer_id, advertiser_id;
  std::string developer_token;   // Google: the developer-token header, from developer_token_env
  std::string login_customer_id;  // Google: the manager account, when access goes through one
  int64_t max_request_identifiers = 100000;  // Google: identifiers per addOperations request
  int64_t job_poll_ms = 2000;                // Google: first wait before polling a job
  int64_t job_timeout_ms = 6 * 3600 * 1000;  // Google: a job still running after this is given up
  std::map<std::string, std::string> headers;
  std::string token;  // read from token_env at load
  std::string dsn, dsn_env;        // postgres: the connection string, read from the variable dsn_env names
  std::string schema = "public";  // postgres: where seg_ops and seg_members live
  int64_t max_batch = 0;        // ops per request (0: the type's limit)
  int64_t max_batch_bytes = 0;  // request body bytes (0: 4 MB)
  int64_t flush_interval_ms = 1000;
  int64_t timeout_ms = 10000;
  RetryPolicy retry;
  // Set from the rules (host/deploy_check): an ads destination type. Only ads nets an add
  // and a remove of the same keys within a batch window (RUNTIME.md §4); warehouse,
  // analytics and webhook destinations receive every op, whatever connector sends them.
  bool ads = false;
};

struct DeployConfig {
  std::map<std::string, ConnectorConfig> destinations;  // by destination name
  // Drift checks on a timer in `seg run --follow` and `seg serve` (RUNTIME.md §9), in
  // seconds; 0: none (`seg health` checks on demand).
  int64_t drift_check_interval_s = 0;
};

// Reads and validates; `error` names the file, the key and what is wrong. The
// destination names and types are checked against the rules by the caller.
bool load_deploy_config(const std::string& path, DeployConfig& out, std::string& error);

// The connector kinds a destination type can use (file and webhook take any type; an ad
// platform's connector only its own type; postgres any type that is not ads).
bool connector_fits(ConnectorKind k, const std::string& destination_type, bool ads);

// The type's request limit (RUNTIME.md §4: Meta 10 000 users, Google 100 000, TikTok 10 000).
int64_t batch_limit(ConnectorKind k);

}  // namespace seg::rt
