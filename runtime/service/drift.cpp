// Drift checks (drift.h, RUNTIME.md §9).
#include "runtime/service/drift.h"

#include <cmath>
#include <cstdio>

#include "runtime/connectors/audience_size.h"
#include "stdlib/builtins/builtins.h"

namespace seg::rt {

double drift_mismatch(int64_t expected, int64_t lower, int64_t upper) {
  if (expected >= lower && expected <= upper) return 0;
  int64_t nearest = expected < lower ? lower : upper;
  if (expected == 0) return 1;
  return std::fabs(static_cast<double>(nearest - expected)) / static_cast<double>(expected);
}

std::string drift_status(double mismatch, double warn, double fail) {
  double pct = mismatch * 100;
  return pct >= fail ? "fail" : pct >= warn ? "warn" : "ok";
}

std::vector<DriftResult> check_drift(const nlohmann::json& summary, const DeployConfig& deploy,
                                     const std::string& out_dir, int64_t now_ms) {
  std::vector<DriftResult> out;
  if (!summary.contains("destinations")) return out;
  for (const auto& [name, d] : summary["destinations"].items()) {
    if (!d.contains("drift")) continue;
    DriftResult r;
    r.ts = now_ms;
    r.destination = name;
    r.audience = d.value("audience", name);
    r.expected = d.value("expected_size", int64_t{0});
    r.warn = d["drift"].value("warn", 30.0);
    r.fail = d["drift"].value("fail", 50.0);
    auto it = deploy.destinations.find(name);
    ConnectorConfig cfg = it == deploy.destinations.end() ? ConnectorConfig{} : it->second;
    r.connector = connector_name(cfg.kind);
    AudienceSize size = read_audience_size(cfg, name, r.audience, out_dir);
    if (!size.supported) {
      r.status = "unsupported";
      r.error = "the " + r.connector + " connector cannot report an audience size";
    } else if (!size.ok) {
      r.status = "error";
      r.error = size.error;
    } else {
      r.lower = size.lower;
      r.upper = size.upper;
      r.mismatch = drift_mismatch(r.expected, size.lower, size.upper);
      r.status = drift_status(*r.mismatch, r.warn, r.fail);
    }
    out.push_back(std::move(r));
  }
  return out;
}

nlohmann::ordered_json drift_json(const DriftResult& r) {
  nlohmann::ordered_json j;
  j["ts"] = builtins::format_time(r.ts);
  j["destination"] = r.destination;
  j["audience"] = r.audience;
  j["expected"] = r.expected;
  j["reported"] = r.lower ? nlohmann::ordered_json{{"lower", *r.lower}, {"upper", *r.upper}}
                          : nlohmann::ordered_json(nullptr);
  j["mismatch"] = r.mismatch ? nlohmann::ordered_json(*r.mismatch) : nlohmann::ordered_json(nullptr);
  // seg report reads ok | warn | fail | error: a connector that cannot answer is an error
  // there, with its reason.
  j["status"] = r.status == "unsupported" ? "error" : r.status;
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

bool record_drift(const std::string& out_dir, const std::vector<DriftResult>& checks, std::string& error) {
  if (checks.empty()) return true;
  std::string path = out_dir + "/drift.ndjson";
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (!f) {
    error = "cannot append to " + path;
    return false;
  }
  std::string text;
  for (const DriftResult& r : checks) text += drift_json(r).dump() + "\n";
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) error = "cannot write " + path;
  return ok;
}

}  // namespace seg::rt
