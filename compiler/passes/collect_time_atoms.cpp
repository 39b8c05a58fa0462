// The deadline kernel's comparisons: every comparison with an operand that moves with
// `now` (ago(), now ± d). Between changes of state such an operand is linear in time, so
// the next instant the comparison may flip is computed from its current value and slope.
// Slot filters are left out: they are evaluated once, when the event is recorded.
#include <set>

#include "compiler/ir/visitor.h"
#include "compiler/passes/passes.h"

namespace seg::passes {
namespace {

class Atoms : public ir::Visitor {
 public:
  std::vector<ir::Expr> found;
  std::set<ir::Expr> seen;
  bool enter(ir::Expr e) override {
    if (!e->time_dependent) return false;
    if (e->kind == ir::Kind::Cmp && seen.insert(e).second) found.push_back(e);
    return true;
  }
};

}  // namespace

void collect_time_atoms(ir::Bundle& b) {
  Atoms atoms;
  for (const ir::Audience& a : b.audiences) {
    atoms.walk(a.when);
    atoms.walk(a.cond);
  }
  b.time_atoms = std::move(atoms.found);
}

}  // namespace seg::passes
