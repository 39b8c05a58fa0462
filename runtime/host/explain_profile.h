#pragma once
// `seg explain`'s work: the stream run up to an instant (default: its end) on the
// interpreter — from an empty state, or from a checkpoint (`--checkpoint`, or a
// `--state` folder's last commit, read by the caller) and then the input, if any — then one profile's audiences, in or out, with the value of each
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
  NoSuchProfile,    // neither the input nor the state has this key; `nearest` lists the closest ones
  CannotLoadState,  // the checkpoint is not one this seg reads (`error` names it)
  AtBeforeState,    // `at` is before the state's watermark: time does not go back
};

// Where the engine starts: a checkpoint's bytes (Engine::load; written by other rules
// it is migrated, as a resumed `seg run` does) and the input's byte to read from.
struct ExplainStart {
  std::string checkpoint;
  std::string origin;        // the state folder or checkpoint file, for messages
  int64_t input_offset = 0;  // a --state's position in its input; 0 for a checkpoint file
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
  std::string rule_change;                   // from a state of other rules: "REV -> REV"
};

// A `seg run --checkpoint` file as an ExplainStart; false with `error` naming the path.
bool read_checkpoint_file(const std::string& path, ExplainStart& start, std::string& error);

// Runs `input` ("" for none; only with `start`) through the rules in `b` up to `at`,
// from `start` when given, and explains `profile`; `audience`: only that audience ("" for
// every one).
ProfileExplained explain_profile(const ir::Bundle& b, const std::string& input, const std::string& profile,
                                 std::optional<int64_t> at, const std::string& audience,
                                 const ExplainStart* start = nullptr);

}  // namespace seg::host
