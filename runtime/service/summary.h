#pragma once
// What summary.json says of a run (RUNTIME.md §2, §4): lines by outcome and cause, the
// watermark, state size, per audience members, entered and left, per destination ops,
// unmatched members and, for connectors, what was delivered and where the ops went.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/engine/engine.h"
#include "runtime/engine/partitioned.h"
#include "runtime/service/run.h"

namespace seg::rt {

// Counts of engines that ran earlier rules in this process, by name (hot swaps).
struct Carried {
  std::map<std::string, AudienceStats> audiences;
  std::map<std::string, DestinationStats> destinations;
};

// What the summary reads of one engine or of --threads' several.
struct Totals {
  bool started = false;
  int64_t watermark = 0, profiles = 0, evaluations = 0;
  StateSize state;
  std::vector<AudienceStats> audiences;
  std::vector<DestinationStats> destinations;
  std::vector<MeasureCounts> measures;
  std::vector<int64_t> held;  // per destination: what it holds now (expected downstream size)
};

Totals totals(const Engine& e);
Totals totals(const Partitioned& p);

// `delivery`: per connector destination, its delivery counters; `sinks`: per destination
// where its ops went (a file's path, or the connector and its endpoint).
std::string summary(const ir::Bundle& b, const Totals& e, const RunStats& s, const RunOptions& opt,
                    const Carried& carried, const nlohmann::ordered_json& rule_changes,
                    const nlohmann::ordered_json& delivery, const std::map<std::string, std::string>& sinks);

}  // namespace seg::rt
