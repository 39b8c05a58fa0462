#pragma once
// What the linter proves about conditions, over the IR (names resolved, shapes plain):
//  - which way a condition can move as records and time arrive (SEG101: can a member
//    ever leave?), and
//  - a small satisfiability check (SEG103 overlaps, SEG106 unreachable arms).
// Both answer "proved" or "don't know"; a lint fires only on a proof.
#include <cstdint>
#include <vector>

#include "compiler/ir/ir.h"

namespace seg::lint {

// Membership of an audience as one condition: a segment's `when` without its excluded
// audiences, an arm's universe and condition without the arms before it.
struct AudienceFormula {
  ir::Expr cond = nullptr;  // null: true
  std::vector<int32_t> must_not;  // audiences whose membership excludes this one
  std::vector<int32_t> must;      // audiences this one requires (an arm's `from`)
};

class Conditions {
 public:
  explicit Conditions(const ir::Bundle& b) : b_(b) {}

  // Can a member stop being one (a window or `now`, an attribute, a `since`, a negated
  // event, a TTL, an exclusion that can start to hold)? false is a proof that it cannot.
  bool may_leave(int32_t audience) const;

  enum class Sat { Yes, No, Unknown };
  // Can a profile be in every audience of `all` at once, and in none of `none`?
  // Yes only when every atom involved is understood and independent of the others;
  // No whenever the constraints contradict (treating what is not understood as free).
  Sat satisfiable(const std::vector<int32_t>& all, const std::vector<int32_t>& none) const;

 private:
  bool may_fall(ir::Expr e, int depth) const;
  bool may_rise(ir::Expr e, int depth) const;
  bool audience_may_fall(int32_t a, int depth) const;
  bool audience_may_rise(int32_t a, int depth) const;
  const ir::Bundle& b_;
};

}  // namespace seg::lint
