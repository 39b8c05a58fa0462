#pragma once
// `expect ops` compared (LANGUAGE.md §8): the ops of one instant are a multiset (the
// engine writes an instant's ops in profile-byte order, h1, h10, h2, which no reader
// should have to reproduce), instants are compared by their time, and a failure shows
// only what differs: per instant, the expected ops that were not sent and the sent ops
// that were not expected, with the count of those that matched.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace seg::rt {

struct OpsInstant {
  std::optional<int64_t> at;               // none: expected ops written without `at`
  std::vector<ir::ExpectedOp> missing;     // expected, not sent
  std::vector<ir::ExpectedOp> unexpected;  // sent, not expected
};

struct OpsDiff {
  std::string destination;
  int matching = 0;
  std::vector<OpsInstant> instants;  // only those that differ: the undated group first, then by time
  std::vector<std::string> hints;    // why a missing op may be right (a holdout member)
  bool same() const { return instants.empty(); }
};

// An expected op with `at` matches a sent op of that instant; one without `at` matches
// the earliest unmatched sent op of the same kind and profile.
OpsDiff diff_ops(const std::vector<ir::ExpectedOp>& expected, const std::vector<ir::ExpectedOp>& actual);

// The failure message: a header with the counts, then `at T` and `- op id` (expected,
// missing) / `+ op id` (sent, unexpected) lines, then `= note:` lines for the hints.
std::string describe_ops_diff(const OpsDiff& d);

}  // namespace seg::rt
