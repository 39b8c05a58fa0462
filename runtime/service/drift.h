#pragma once
// Drift (RUNTIME.md §9): for each destination with a `drift` line, the size the platform
// reports (read_audience_size: Meta's approximate count bounds, Google's size range,
// TikTok's count, a webhook's size_url, the warehouse's seg_members count) against what
// the engine expects there (summary.json's expected_size: the members it holds as sent).
// A range matches when the expected size lies inside it; otherwise the mismatch is the
// distance to the nearer end relative to the expected size (1 when nothing is expected
// but something is reported). Each check is appended to OUT/drift.ndjson, so sizes are
// recorded over time for `seg report`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/connectors/deploy_config.h"

namespace seg::rt {

struct DriftResult {
  int64_t ts = 0;  // wall clock, ms
  std::string destination, audience, connector;
  int64_t expected = 0;
  std::optional<int64_t> lower, upper;  // what the platform reported
  std::optional<double> mismatch;       // 0..; absent when nothing was read
  double warn = 30, fail = 50;          // percent
  std::string status;                   // ok | warn | fail | error | unsupported
  std::string error;
};

// The relative mismatch of `expected` against a reported [lower, upper].
double drift_mismatch(int64_t expected, int64_t lower, int64_t upper);
std::string drift_status(double mismatch, double warn, double fail);

// One check per destination of `summary` (summary.json) that has drift thresholds; the
// connector of each comes from `deploy` (a destination it does not name is a file: its
// status is `unsupported`). Reads run one after another, each with the connector's
// retries.
std::vector<DriftResult> check_drift(const nlohmann::json& summary, const DeployConfig& deploy,
                                     const std::string& out_dir, int64_t now_ms);

// Appends the checks to OUT/drift.ndjson (the format seg report reads); false on failure.
bool record_drift(const std::string& out_dir, const std::vector<DriftResult>& checks, std::string& error);
nlohmann::ordered_json drift_json(const DriftResult& r);

}  // namespace seg::rt
