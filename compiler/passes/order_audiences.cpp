// The evaluate kernel's order: every audience after the audiences it reads (its `when`,
// exclusions, a tiers block's `from` and arm conditions). Sema rejected cycles, so a
// depth-first post-order suffices; ties keep declaration-index order for stable output.
#include <functional>
#include <set>

#include "compiler/ir/visitor.h"
#include "compiler/passes/passes.h"

namespace seg::passes {
namespace {

class Reads : public ir::Visitor {
 public:
  std::set<int32_t> audiences;
  bool enter(ir::Expr e) override {
    if (e->kind == ir::Kind::Member) audiences.insert(e->index);
    return true;
  }
};

}  // namespace

void order_audiences(ir::Bundle& b) {
  // Steps: one per segment, one per tiers block; arms stand for their block.
  auto step_of = [&](int32_t aud) -> ir::EvalStep {
    const ir::Audience& a = b.audiences[aud];
    if (a.kind == ir::AudienceKind::Arm) return {true, a.tiers};
    return {false, aud};
  };
  auto deps = [&](const ir::EvalStep& s) {
    Reads r;
    if (!s.tiers) {
      const ir::Audience& a = b.audiences[s.index];
      r.walk(a.when);
      r.audiences.insert(a.excludes.begin(), a.excludes.end());
    } else {
      const ir::Tiers& t = b.tiers[s.index];
      if (t.from >= 0) r.audiences.insert(t.from);
      for (int32_t arm : t.arms) r.walk(b.audiences[arm].cond);
    }
    return r.audiences;
  };
  std::set<std::pair<bool, int32_t>> done;
  std::function<void(ir::EvalStep)> visit = [&](ir::EvalStep s) {
    if (!done.insert({s.tiers, s.index}).second) return;
    for (int32_t dep : deps(s)) {
      ir::EvalStep d = step_of(dep);
      if (d.tiers != s.tiers || d.index != s.index) visit(d);
    }
    b.evaluate.push_back(s);
  };
  for (size_t i = 0; i < b.audiences.size(); ++i)
    if (b.audiences[i].kind == ir::AudienceKind::Segment) visit({false, static_cast<int32_t>(i)});
  for (size_t i = 0; i < b.tiers.size(); ++i) visit({true, static_cast<int32_t>(i)});
}

}  // namespace seg::passes
