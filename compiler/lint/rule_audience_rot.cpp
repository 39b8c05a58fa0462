// SEG101 audience rot: an ads audience nobody can leave only grows, and the platform
// keeps spending on people the campaign is long done with (docs/lint/SEG101.md).
#include <fmt/format.h>

#include "compiler/lint/lint_rules.h"

namespace seg::lint {

void rule_audience_rot(Context& cx) {
  cx.each_destination([&](const ast::DestinationDecl& d, const ir::Destination& irdest) {
    if (!irdest.ads) return;
    FileId file = cx.file_of(&d);
    if (d.on_exit_keep) {
      for (const ast::DestItem& item : d.items) {
        if (item.kind != ast::DestItemKind::OnExit) continue;
        auto& diag = cx.report(Code::AudienceRot, file, item.span,
                               fmt::format("`on exit keep` on ads destination `{}`: members are never removed, so "
                                           "the platform audience only grows",
                                           d.name.name));
        diag.help = "remove the line (`on exit remove` is the default for ads destinations)";
      }
      return;
    }
    for (size_t i = 0; i < irdest.audiences.size() && i < d.audiences.size(); ++i) {
      if (cx.cond.may_leave(irdest.audiences[i])) continue;
      const ast::AudienceRef& ref = d.audiences[i];
      auto& diag = cx.report(Code::AudienceRot, file, ref.span,
                             fmt::format("ads audience `{}` can never be left: its condition only grows (no window, "
                                         "TTL, negated event or changing attribute), so every member stays in `{}` "
                                         "forever",
                                         ref.text(), irdest.downstream));
      diag.help = "add a `within` window or a `ttl`, or exclude the people the campaign is done with";
    }
  });
}

}  // namespace seg::lint
