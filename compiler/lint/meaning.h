#pragma once
// What an audience means, as canonical text comparable across two bundles (SEG112,
// `seg lint --baseline`): its IR after the compiler's passes, with every internal name
// resolved away. A segment or tiers block referenced by name is replaced by the meaning
// of its definition, so renaming a segment (or reordering declarations) leaves the
// meaning equal; attribute, event and property names stay, because they are the keys of
// the input data. `and`/`or` operands are sorted and comparisons put one way round, so
// `a and b` means what `b and a` means.
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "compiler/ir/ir.h"

namespace seg::lint {

// One audience's meaning in parts, each canonical text (equal text: equal meaning).
struct AudienceMeaning {
  std::string condition;   // a segment's `when`, an arm's own condition ("else")
  std::string exclusions;  // the meanings of the excluded segments, as a set
  std::string ttl;
  std::string holdout;     // percent and salt (a default salt is the segment's or block's name)
  std::string tiers;       // an arm's universe (`from`) and the arms tried before it
  bool operator==(const AudienceMeaning&) const = default;
};

// One table for the bundles compared: referenced audiences are numbered by meaning, so
// that the same definition gets the same number in both.
class Meanings {
 public:
  AudienceMeaning of(const ir::Bundle& b, int32_t audience);
  // Which parts differ, as words for a message: "condition", "TTL", "tier arms"...
  static std::string differences(const AudienceMeaning& a, const AudienceMeaning& b);

 private:
  int32_t number(const ir::Bundle& b, int32_t audience);  // the whole meaning, numbered
  std::string expr(const ir::Bundle& b, ir::Expr e, int32_t event = -1);
  std::map<std::string, int32_t> numbers_;
  std::map<std::pair<const ir::Bundle*, int32_t>, int32_t> memo_;
};

}  // namespace seg::lint
