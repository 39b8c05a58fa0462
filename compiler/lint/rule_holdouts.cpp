// SEG107: an ads audience without a holdout group (info: its lift cannot be measured).
// SEG111: an ads audience whose condition names (directly, or through the segments it
// names, or through its tiers block's `from`) a segment with a holdout group: that
// segment's control group is among its members and gets the ads, which spoils the
// measurement (holdouts travel only through `from`). Not reported when the audience's
// own holdout makes the same draw (same salt) with at least the same share.
#include <fmt/format.h>

#include "compiler/lint/lint_rules.h"

namespace seg::lint {
namespace {

// The holdout draws that keep an audience's members from destinations.
std::vector<ir::Holdout> draws(const ir::Bundle& b, int32_t ai) {
  const ir::Audience& a = b.audiences[ai];
  if (a.kind == ir::AudienceKind::Segment) return a.holdout ? std::vector<ir::Holdout>{*a.holdout} : std::vector<ir::Holdout>{};
  const ir::Tiers& t = b.tiers[a.tiers];
  std::vector<ir::Holdout> out = t.from >= 0 ? draws(b, t.from) : std::vector<ir::Holdout>{};
  if (t.holdout) out.push_back(*t.holdout);
  return out;
}

// Segments named with positive polarity by `e`, and by the segments it names.
void named(const ir::Bundle& b, ir::Expr e, bool positive, std::set<int32_t>& out, std::set<int32_t>& seen) {
  if (!e) return;
  if (e->kind == ir::Kind::Not) return named(b, e->args[0], !positive, out, seen);
  if (e->kind == ir::Kind::Member && positive && seen.insert(e->index).second) {
    out.insert(e->index);
    const ir::Audience& a = b.audiences[e->index];
    named(b, a.kind == ir::AudienceKind::Segment ? a.when : a.cond, true, out, seen);
  }
  for (ir::Expr a : e->args) named(b, a, positive, out, seen);
}

}  // namespace

void rule_holdouts(Context& cx) {
  cx.each_destination([&](const ast::DestinationDecl& d, const ir::Destination& irdest) {
    if (!irdest.ads || irdest.audiences.empty() || d.audiences.empty()) return;
    FileId file = cx.file_of(&d);
    int32_t ai = irdest.audiences[0];
    const ast::AudienceRef& ref = d.audiences[0];
    std::vector<ir::Holdout> own = draws(cx.b, ai);
    if (own.empty()) {
      auto& diag = cx.report(Code::NoHoldout, file, ref.span,
                             fmt::format("ads audience `{}` has no holdout group: the lift of `{}` cannot be measured",
                                         ref.text(), d.name.name));
      diag.help = "add `holdout 10%` to the segment (or to the tiers block, or to its `from` segment)";
    }
    const ir::Audience& a = cx.b.audiences[ai];
    std::set<int32_t> reads, seen = {ai};
    if (a.kind == ir::AudienceKind::Segment) {
      named(cx.b, a.when, true, reads, seen);
    } else {
      const ir::Tiers& t = cx.b.tiers[a.tiers];
      if (t.from >= 0) {
        seen.insert(t.from);
        named(cx.b, cx.b.audiences[t.from].when, true, reads, seen);
      }
      named(cx.b, a.cond, true, reads, seen);
    }
    for (int32_t s : reads) {
      const ir::Audience& held = cx.b.audiences[s];
      if (held.kind != ir::AudienceKind::Segment || !held.holdout) continue;
      bool covered = std::any_of(own.begin(), own.end(), [&](const ir::Holdout& h) {
        return h.salt == held.holdout->salt && h.percent >= held.holdout->percent;
      });
      if (covered) continue;
      auto& diag = cx.report(Code::HoldoutLeak, file, ref.span,
                             fmt::format("ads audience `{}` reads `{}`, whose {}% holdout group is among its members "
                                         "and would get the ads of `{}`",
                                         ref.text(), held.name, held.holdout->percent, d.name.name));
      diag.help = fmt::format("make `{0}` the tiers block's `from` (holdouts travel through `from`), or give this "
                              "audience the same draw: `holdout {1}% salt \"{2}\"`",
                              held.name, held.holdout->percent, held.holdout->salt);
    }
  });
}

}  // namespace seg::lint
