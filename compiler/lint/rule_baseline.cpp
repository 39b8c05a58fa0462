// SEG112 (`seg lint --baseline DEPLOYED`): an ads or warehouse destination whose audience
// now means something else than in the deployed rules, while its downstream `name` is the
// same. The platform (or the warehouse table) would then mix members chosen by two rules
// under one name. Meanings are compared on the IR with internal names resolved
// (meaning.h), so a reformat or a segment rename is not a change.
#include <fmt/format.h>

#include <regex>

#include "compiler/lint/lint_rules.h"
#include "compiler/lint/meaning.h"

namespace seg::lint {
namespace {

// The deployed destination that synced the same downstream audience: same downstream
// name and type (the same name on another platform is another audience), preferring the
// same destination name.
const ir::Destination* deployed_twin(const ir::Bundle& deployed, const ir::Destination& d) {
  const ir::Destination* found = nullptr;
  for (const ir::Destination& o : deployed.destinations) {
    if (o.downstream != d.downstream || o.type != d.type) continue;
    if (o.name == d.name) return &o;
    if (!found) found = &o;
  }
  return found;
}

// `ADS_WINBACK_v1_2026-03` -> `ADS_WINBACK_v2_2026-03`; "" when there is no `_vN`.
std::string bumped(const std::string& name) {
  static const std::regex version(R"(_v([0-9]+)(_|$))");
  std::smatch m;
  if (!std::regex_search(name, m, version)) return "";
  return m.prefix().str() + "_v" + std::to_string(std::stoll(m[1].str()) + 1) + m[2].str() + m.suffix().str();
}

}  // namespace

std::vector<Diagnostic> against_baseline(const Compilation& c, const ir::Bundle& bundle, const Config& cfg,
                                         const ir::Bundle& deployed) {
  std::vector<Diagnostic> found;
  Context cx{c, *c.program, bundle, cfg, Conditions(bundle), found};
  Meanings meanings;
  cx.each_destination([&](const ast::DestinationDecl& d, const ir::Destination& now) {
    auto type = cx.p.dest_types.find(now.type);
    std::string category = type == cx.p.dest_types.end() ? "" : type->second.category;
    if (category != "ads" && category != "warehouse") return;
    const ir::Destination* old = deployed_twin(deployed, now);
    if (!old) return;  // a new downstream name: nothing to mix
    // Audience by audience: an ads destination's one audience whatever it is called (the
    // platform keeps what it holds); a warehouse's by segment name (the `segment` column).
    std::vector<std::string> changed;
    for (int32_t a : now.audiences) {
      int32_t before = -1;
      if (now.ads && now.audiences.size() == 1 && old->audiences.size() == 1) before = old->audiences[0];
      for (int32_t o : old->audiences)
        if (before < 0 && deployed.audiences[o].name == bundle.audiences[a].name) before = o;
      if (before < 0) continue;  // a new segment in the table: its rows are new
      AudienceMeaning was = meanings.of(deployed, before), is = meanings.of(bundle, a);
      if (!(was == is))
        changed.push_back(fmt::format("`{}` ({})", bundle.audiences[a].name, Meanings::differences(was, is)));
    }
    if (changed.empty()) return;
    std::string what;
    for (size_t i = 0; i < changed.size(); ++i) what += (i ? ", " : "") + changed[i];
    bool explicit_name = d.downstream_name.has_value();
    auto& diag = cx.report(
        Code::MeaningChanged, cx.file_of(&d), explicit_name ? d.downstream_name_span : d.name.span,
        fmt::format("{} of `{}` changed meaning since the deployed rules: {}, but the downstream name `{}` did not",
                    now.ads ? "the audience" : changed.size() == 1 ? "an audience" : "audiences", now.name, what,
                    now.downstream));
    std::string next = bumped(now.downstream);
    diag.help = next.empty()
                    ? "give the destination a new downstream `name` (with a version, PURPOSE_vN_YYYY-MM), so members "
                      "chosen by the new rule land in a new audience"
                    : fmt::format("bump the version in the name, e.g. `{}`, so members chosen by the new rule land in a "
                                  "new audience",
                                  next);
  });
  return found;
}

}  // namespace seg::lint
