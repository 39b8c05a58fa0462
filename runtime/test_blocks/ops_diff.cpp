// `expect ops` compared instant by instant, each instant as a multiset (see ops_diff.h).
#include "runtime/test_blocks/ops_diff.h"

#include <algorithm>
#include <map>

#include "stdlib/builtins/builtins.h"

namespace seg::rt {

OpsDiff diff_ops(const std::vector<ir::ExpectedOp>& expected, const std::vector<ir::ExpectedOp>& actual) {
  OpsDiff d;
  std::vector<bool> used(actual.size(), false);
  std::vector<const ir::ExpectedOp*> missing;
  auto match = [&](const ir::ExpectedOp& e) {
    for (size_t i = 0; i < actual.size(); ++i) {
      if (used[i] || actual[i].op != e.op || actual[i].profile != e.profile) continue;
      if (e.at && actual[i].at != e.at) continue;
      used[i] = true;
      return true;
    }
    return false;
  };
  // Dated ops first, so that an undated one never takes the op a dated one names.
  for (const auto& e : expected)
    if (e.at && !match(e)) missing.push_back(&e);
  for (const auto& e : expected)
    if (!e.at && !match(e)) missing.push_back(&e);
  d.matching = static_cast<int>(std::count(used.begin(), used.end(), true));

  // Group by instant; std::nullopt sorts before every time.
  std::map<std::optional<int64_t>, OpsInstant> by;
  for (const ir::ExpectedOp* e : missing) {
    OpsInstant& g = by[e->at];
    g.at = e->at;
    g.missing.push_back(*e);
  }
  for (size_t i = 0; i < actual.size(); ++i) {
    if (used[i]) continue;
    OpsInstant& g = by[actual[i].at];
    g.at = actual[i].at;
    g.unexpected.push_back(actual[i]);
  }
  for (auto& [at, g] : by) d.instants.push_back(std::move(g));  // ops in the order written / sent
  return d;
}

std::string describe_ops_diff(const OpsDiff& d) {
  size_t missing = 0, unexpected = 0;
  for (const OpsInstant& g : d.instants) missing += g.missing.size(), unexpected += g.unexpected.size();
  std::string s = "ops sent to " + d.destination + " differ: " + std::to_string(d.matching) + " matching, " +
                  std::to_string(missing) + " expected but not sent (-), " + std::to_string(unexpected) +
                  " sent but not expected (+)";
  for (const OpsInstant& g : d.instants) {
    s += g.at ? "\n  at " + builtins::format_time(*g.at) : std::string("\n  at any instant (written without `at`)");
    for (const auto& op : g.missing) s += "\n    - " + op.op + " " + op.profile;
    for (const auto& op : g.unexpected) s += "\n    + " + op.op + " " + op.profile;
  }
  for (const std::string& h : d.hints) s += "\n  = note: " + h;
  return s;
}

}  // namespace seg::rt
