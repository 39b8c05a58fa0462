// SEG105: declared but never used. A segment or tiers block that no destination sends
// and no sent audience reads; an event no condition reads; an attribute no condition,
// key or field reads (so the runtime does not even keep it).
#include <fmt/format.h>

#include "compiler/lint/lint_rules.h"

namespace seg::lint {

void rule_unused(Context& cx) {
  // Audiences reached from what destinations send, through what each one reads.
  std::set<std::string> reached;
  std::vector<std::string> todo;
  cx.each_destination([&](const ast::DestinationDecl& d, const ir::Destination&) {
    for (const ast::AudienceRef& r : d.audiences) todo.push_back(r.name.name);
  });
  while (!todo.empty()) {
    std::string n = todo.back();
    todo.pop_back();
    if (!reached.insert(n).second) continue;
    if (auto it = cx.p.depends.find(n); it != cx.p.depends.end())
      for (const std::string& m : it->second) todo.push_back(m.substr(0, m.find('.')));
  }
  for (const auto& [name, s] : cx.p.segments) {
    FileId f = cx.file_of(s);
    if (reached.count(name) || !cx.user_file(f)) continue;
    auto& diag = cx.report(Code::Unused, f, s->name.span,
                           fmt::format("segment `{}` is never used: no destination sends it and no sent audience reads it", name));
    diag.help = "send it to a destination, use it in another audience, or delete it";
  }
  for (const auto& [name, t] : cx.p.tiers) {
    if (reached.count(name) || !cx.user_file(t.file)) continue;
    auto& diag = cx.report(Code::Unused, t.file, t.decl->name.span,
                           fmt::format("tiers block `{}` is never used: no destination sends it or one of its arms", name));
    diag.help = "send it (or an arm) to a destination, or delete it";
  }
  std::set<std::string> events_read;
  for (const auto& [e, ref] : cx.p.refs)
    if (ref.kind == sema::RefKind::Event) events_read.insert(ref.name);
  for (const auto& [name, ev] : cx.p.events) {
    if (events_read.count(name) || !cx.user_file(ev.file)) continue;
    auto& diag = cx.report(Code::Unused, ev.file, ev.decl->name.span,
                           fmt::format("event `{}` is declared but no condition reads it", name));
    diag.help = "use it in a condition, or delete the declaration (its records are then ignored)";
  }
  for (const ir::Attribute& a : cx.b.attributes) {
    auto it = cx.p.attributes.find(a.name);
    if (a.used || it == cx.p.attributes.end() || !cx.user_file(it->second.file)) continue;
    auto& diag = cx.report(Code::Unused, it->second.file, it->second.field->name.span,
                           fmt::format("attribute `{}` is declared but no condition, match key or field reads it", a.name));
    diag.help = "use it, or delete it (the runtime does not keep it)";
  }
}

}  // namespace seg::lint
