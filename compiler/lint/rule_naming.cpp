// SEG102: downstream audience names follow the team's convention (by default
// PURPOSE_vN_YYYY-MM), so a rule change that changes meaning gets a new list.
#include <fmt/format.h>

#include <regex>

#include "compiler/lint/lint_rules.h"

namespace seg::lint {

void rule_naming(Context& cx) {
  std::regex pattern(cx.cfg.naming, std::regex::ECMAScript);  // validated when the config was read
  cx.each_destination([&](const ast::DestinationDecl& d, const ir::Destination& irdest) {
    if (std::regex_search(irdest.downstream, pattern)) return;
    bool explicit_name = d.downstream_name.has_value();
    auto& diag = cx.report(Code::NamingConvention, cx.file_of(&d), explicit_name ? d.downstream_name_span : d.name.span,
                           fmt::format("destination name `{}` does not follow the naming convention `{}`",
                                       irdest.downstream, cx.cfg.naming));
    diag.help = explicit_name ? "name it PURPOSE_vN_YYYY-MM, e.g. `ADS_CART_ABANDON_v1_2026-03`, and bump the version "
                                "when the rule behind it changes meaning"
                              : "give it a `name` such as `ADS_CART_ABANDON_v1_2026-03` (without one, the "
                                "destination's identifier is the downstream name)";
  });
}

}  // namespace seg::lint
