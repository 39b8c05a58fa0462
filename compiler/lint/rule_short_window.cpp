// SEG109: a window shorter than the destination's sync latency (members can leave
// before the platform has even added them: churn that costs API quota and never
// serves an ad), or a TTL shorter than a window it guards (members leave while they
// still qualify and cannot come back until the condition stops holding).
#include <fmt/format.h>

#include <functional>

#include "compiler/lint/lint_rules.h"
#include "stdlib/builtins/builtins.h"

namespace seg::lint {
namespace {

// The window slots that keep a profile in an audience: in its condition (not under
// `not`: a short window there lets profiles in, it does not churn them), through the
// audiences it names, and a tiers arm's `from`.
void windows(const ir::Bundle& b, ir::Expr e, bool positive, std::set<int32_t>& slots, std::set<int32_t>& seen);

void audience_windows(const ir::Bundle& b, int32_t ai, std::set<int32_t>& slots, std::set<int32_t>& seen) {
  if (!seen.insert(ai).second) return;
  const ir::Audience& a = b.audiences[ai];
  if (a.kind == ir::AudienceKind::Segment) {
    if (a.when) windows(b, a.when, true, slots, seen);
    return;
  }
  const ir::Tiers& t = b.tiers[a.tiers];
  if (t.from >= 0) audience_windows(b, t.from, slots, seen);
  if (a.cond) windows(b, a.cond, true, slots, seen);
}

void windows(const ir::Bundle& b, ir::Expr e, bool positive, std::set<int32_t>& slots, std::set<int32_t>& seen) {
  if (e->kind == ir::Kind::Not) return windows(b, e->args[0], !positive, slots, seen);
  if (!positive) return;
  if (e->kind == ir::Kind::Agg && b.slots[e->index].kind == ir::SlotKind::Window) slots.insert(e->index);
  if (e->kind == ir::Kind::Member) audience_windows(b, e->index, slots, seen);
  for (ir::Expr a : e->args) windows(b, a, positive, slots, seen);
}

int32_t shortest(const ir::Bundle& b, const std::set<int32_t>& slots) {
  int32_t best = -1;
  for (int32_t s : slots)
    if (best < 0 || b.slots[s].window_ms < b.slots[best].window_ms) best = s;
  return best;
}

}  // namespace

void rule_short_window(Context& cx) {
  using builtins::format_duration;
  cx.each_destination([&](const ast::DestinationDecl& d, const ir::Destination& irdest) {
    int64_t latency = cx.cfg.sync_latency_ms;
    auto type = cx.p.dest_types.find(irdest.type);
    if (type != cx.p.dest_types.end() && type->second.decl->latency && *type->second.decl->latency)
      latency = (*type->second.decl->latency)->millis;
    if (latency <= 0) return;
    for (size_t i = 0; i < irdest.audiences.size() && i < d.audiences.size(); ++i) {
      int32_t ai = irdest.audiences[i];
      std::set<int32_t> slots, seen;
      audience_windows(cx.b, ai, slots, seen);
      int32_t s = shortest(cx.b, slots);
      const auto& ttl = cx.b.audiences[ai].ttl_ms;
      std::string what;
      if (s >= 0 && cx.b.slots[s].window_ms < latency) what = fmt::format("depends on `{}`, a window", ir::print_slot(cx.b, s));
      else if (ttl && *ttl < latency) what = fmt::format("has a TTL of {},", format_duration(*ttl));
      else continue;
      auto& diag = cx.report(Code::ShortWindow, cx.file_of(&d), d.audiences[i].span,
                             fmt::format("`{}` {} shorter than the {} `{}` takes to apply a change: members can leave "
                                         "before the platform has added them",
                                         d.audiences[i].text(), what, format_duration(latency), irdest.type));
      diag.help = "make the window (or TTL) at least the sync latency, or send this audience to a faster destination";
    }
  });
  for (const auto& [name, seg] : cx.p.segments) {
    int32_t ai = cx.b.audience(name);
    FileId file = cx.file_of(seg);
    if (ai < 0 || !cx.user_file(file) || !cx.b.audiences[ai].ttl_ms || !seg->when) continue;
    std::set<int32_t> slots, seen = {ai};
    windows(cx.b, cx.b.audiences[ai].when, true, slots, seen);
    int32_t longest = -1;
    for (int32_t s : slots)
      if (longest < 0 || cx.b.slots[s].window_ms > cx.b.slots[longest].window_ms) longest = s;
    int64_t ttl = *cx.b.audiences[ai].ttl_ms;
    if (longest < 0 || cx.b.slots[longest].window_ms <= ttl) continue;
    auto& diag = cx.report(Code::ShortWindow, file, seg->ttl_span,
                           fmt::format("ttl {} ends before the window `{}` it guards: members leave while they still "
                                       "qualify and cannot re-enter until the condition stops holding",
                                       format_duration(ttl), ir::print_slot(cx.b, longest)));
    diag.help = "make the TTL at least as long as the window, or shorten the window";
  }
}

}  // namespace seg::lint
