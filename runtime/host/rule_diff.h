#pragma once
// `seg diff OLD NEW --input F`'s work: what a rule change would do, without writing
// anything. Both rule sets run over the same input; at its end (or `until`) the members
// of every audience are compared by profile key: who would enter and who would leave.
// The comparison comes back as data; the caller picks examples and prints.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
  std::string input;             // the NDJSON stream both rule sets run over
  std::optional<int64_t> until;  // compare at this instant (default: the input's watermark)
  BackendOptions backend;
  Notify notify;                 // the JIT tiers' notes and warnings
};

struct RuleDiff {
  bool ok = false;
  std::string error;                     // when !ok: the input cannot be read
  std::vector<AudienceDiff> audiences;   // every audience of either rule set, by name
};

// `old_rules` and `new_rules`: loaded (bundle not null).
RuleDiff diff_rules(const LoadedRules& old_rules, const LoadedRules& new_rules, const RuleDiffOptions& o);

}  // namespace seg::host
