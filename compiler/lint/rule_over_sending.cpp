// SEG104 over-sending: personal data (@pii) in the fields of analytics or webhook
// destinations, or more fields than the project allows (`thresholds.max_fields`).
#include <fmt/format.h>

#include "compiler/lint/lint_rules.h"

namespace seg::lint {

void rule_over_sending(Context& cx) {
  cx.each_destination([&](const ast::DestinationDecl& d, const ir::Destination& irdest) {
    FileId file = cx.file_of(&d);
    auto type = cx.p.dest_types.find(irdest.type);
    std::string category = type == cx.p.dest_types.end() ? "" : type->second.category;
    if (category == "analytics" || category == "webhook") {
      for (const ast::Ident& f : d.fields) {
        auto a = cx.p.attributes.find(f.name);
        if (a == cx.p.attributes.end() || !a->second.is_pii) continue;
        auto& diag = cx.report(Code::OverSending, file, f.span,
                               fmt::format("`{}` is personal data (@pii) and would be sent to {} destination `{}`",
                                           f.name, category, d.name.name));
        diag.help = "drop it from `fields`: " + category + " tools should not hold personal data";
      }
    }
    if (static_cast<int>(d.fields.size()) > cx.cfg.max_fields) {
      auto& diag = cx.report(Code::OverSending, file, d.fields_span,
                             fmt::format("{} fields sent to `{}`: more than the {} this project allows",
                                         d.fields.size(), d.name.name, cx.cfg.max_fields));
      diag.help = "send only what the destination acts on (the limit is `thresholds.max_fields` in .seg-lint.json)";
    }
  });
}

}  // namespace seg::lint
