// SEG103: two ads audiences one profile can be in at once (not split by a tiers block
// or an exclusion) pay twice for the same person and blur both campaigns' results.
// Reported only when the overlap is proved (docs/lint/SEG103.md).
#include <fmt/format.h>

#include <algorithm>

#include "compiler/lint/lint_rules.h"

namespace seg::lint {

void rule_overlapping_ads(Context& cx) {
  struct Ads {
    const ast::DestinationDecl* decl;
    const ir::Destination* dest;
  };
  std::vector<Ads> ads;
  cx.each_destination([&](const ast::DestinationDecl& d, const ir::Destination& irdest) {
    if (irdest.ads && irdest.audiences.size() == 1 && !d.audiences.empty()) ads.push_back({&d, &irdest});
  });
  // In source order: a pair is reported at the later destination.
  std::sort(ads.begin(), ads.end(), [&](const Ads& x, const Ads& y) {
    FileId fx = cx.file_of(x.decl), fy = cx.file_of(y.decl);
    return fx != fy ? fx < fy : x.decl->name.span.begin < y.decl->name.span.begin;
  });
  for (size_t i = 0; i < ads.size(); ++i)
    for (size_t j = i + 1; j < ads.size(); ++j) {
      int32_t a = ads[i].dest->audiences[0], b = ads[j].dest->audiences[0];
      if (a == b) continue;  // one audience on two platforms: deliberate
      const ir::Audience &x = cx.b.audiences[a], &y = cx.b.audiences[b];
      if (x.kind == ir::AudienceKind::Arm && y.kind == ir::AudienceKind::Arm && x.tiers == y.tiers) continue;
      if (cx.cond.satisfiable({a, b}, {}) != Conditions::Sat::Yes) continue;
      const ast::AudienceRef& ref = ads[j].decl->audiences[0];
      auto& diag = cx.report(Code::OverlappingAds, cx.file_of(ads[j].decl), ref.span,
                             fmt::format("ads audiences `{}` (`{}`) and `{}` (`{}`) can hold the same profile at once",
                                         ads[i].decl->audiences[0].text(), ads[i].decl->name.name, ref.text(),
                                         ads[j].decl->name.name));
      diag.notes.push_back({cx.file_of(ads[i].decl), ads[i].decl->audiences[0].span, "the other audience"});
      diag.help = "split them with a `tiers` block (one customer, one state) or `exclude` one from the other";
    }
}

}  // namespace seg::lint
