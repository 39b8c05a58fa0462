#pragma once
// `seg explain`'s work: the stream run up to an instant (default: its end) on the
// interpreter, then one profile's audiences, in or out, with the value of each
// sub-condition (runtime/interp/explain.h), its exclusions, TTL and tiers universe, and
// the next instant its memberships may change. Returned as data; the caller prints.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/interp/explain.h"

namespace seg::host {

enum class ExplainStatus {
  Ok,
  NoSuchAudience,   // the audience asked for is not in the rules
  CannotReadInput,  // `error` says which file
  NoSuchProfile,    // no line of the input has this key; `nearest` lists the closest ones
};

struct ExcludeExplained {
  std::string audience;
  bool member = false;  // the profile is in the excluded audience (so it is excluded)
};

struct AudienceExplained {
  std::string name;
  ir::AudienceKind kind = ir::AudienceKind::Segment;
  bool in = false, holdout = false;
  // A segment: its `when`, its excludes and, with a TTL, when the profile entered and
  // leaves, or whether re-entry is blocked.
  rt::ExplainNode when;
  std::vector<ExcludeExplained> excludes;
  bool ttl = false;
  int64_t ttl_entered = 0, ttl_leaves = 0;
  bool ttl_blocked = false;
  // A tiers arm: the tiers block's universe segment (if any) and the arm's condition
  // (none: the `else` arm).
  std::optional<std::string> from;
  bool from_member = false;
  std::optional<rt::ExplainNode> arm;
};

struct ProfileExplained {
  ExplainStatus status = ExplainStatus::Ok;
  std::string error;
  int64_t now = 0;      // the instant explained (the stream's watermark then)
  bool exists = false;  // false: no record of the profile was applied
  std::vector<AudienceExplained> audiences;  // in the rules' order (only `audience` if given)
  int64_t next_change = 0;                   // rt::kNever when none is possible
  std::vector<std::string> nearest;          // NoSuchProfile: up to 3 keys of the input, closest first
};

// Runs `input` through the rules in `b` up to `at` and explains `profile`; `audience`:
// only that audience ("" for every one).
ProfileExplained explain_profile(const ir::Bundle& b, const std::string& input, const std::string& profile,
                                 std::optional<int64_t> at, const std::string& audience);

}  // namespace seg::host
