#pragma once
// `seg diff OLD NEW [--input F]`'s work: what a rule change would do, without writing
// anything. Every destination's clauses are compared (destination_diff.h). With an input,
// both rule sets run over it; at its end (or `until`) the members of every audience are
// compared by profile key (who would enter and who would leave), and the old rules' state
// is handed to the new rules exactly as a deployment would (a rule change, RUNTIME.md §6)
// to count the ops each changed destination would get. The comparison comes back as
// data; the caller picks examples and prints.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/host/destination_diff.h"
#include "runtime/host/load_rules.h"
#include "runtime/host/tiering.h"

namespace seg::host {

enum class AudienceChange { Changed, Unchanged, Added, Removed };

// "changed", "unchanged", "added" or "removed".
const char* change_name(AudienceChange c);

struct AudienceDiff {
  std::string audience;
  AudienceChange change = AudienceChange::Unchanged;
  size_t before = 0, after = 0;           // members under the old and the new rules
  std::vector<std::string> enter, leave;  // profile keys, sorted
};

struct RuleDiffOptions {
  std::string input;             // the NDJSON stream both rule sets run over; "": no run
  std::optional<int64_t> until;  // compare at this instant (default: the input's watermark)
  BackendOptions backend;
  Notify notify;                 // the JIT tiers' notes and warnings
};

struct RuleDiff {
  bool ok = false;
  std::string error;                     // when !ok: the input cannot be read
  bool measured = false;                 // an input was given: audiences and ops are filled
  std::vector<AudienceDiff> audiences;   // every audience of either rule set, by name
  std::vector<DestinationDiff> destinations;  // the changed ones, by name
  std::vector<std::string> notes;        // the rule change's own findings (with an input)
};

// `old_rules` and `new_rules`: loaded (bundle not null).
RuleDiff diff_rules(const LoadedRules& old_rules, const LoadedRules& new_rules, const RuleDiffOptions& o);

}  // namespace seg::host
