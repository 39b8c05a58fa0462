// SEG106: a tier arm no profile can reach, because the arms before it (or its own
// condition) take every profile it would match. Reported only when proved.
#include <fmt/format.h>

#include "compiler/lint/lint_rules.h"

namespace seg::lint {

void rule_unreachable_arm(Context& cx) {
  for (const ir::Tiers& t : cx.b.tiers) {
    auto decl = cx.p.tiers.find(t.name);
    if (decl == cx.p.tiers.end() || !cx.user_file(decl->second.file)) continue;
    for (int32_t ai : t.arms) {
      if (cx.cond.satisfiable({ai}, {}) != Conditions::Sat::No) continue;
      const std::string& full = cx.b.audiences[ai].name;
      std::string arm = full.substr(full.find('.') + 1);
      auto a = decl->second.arms.find(arm);
      if (a == decl->second.arms.end()) continue;
      auto& diag = cx.report(Code::UnreachableArm, decl->second.file, a->second->name.span,
                             fmt::format("tier arm `{}` can never match: every profile it would take is taken by an "
                                         "earlier arm, or its condition cannot hold",
                                         full));
      diag.help = "reorder the arms (most specific first), or change or delete this one";
    }
  }
}

}  // namespace seg::lint
