// The evaluate kernel: every audience, in dependency order, into the membership bits
// (TTLs, tiers), and the condition coverage `seg test --coverage` records.
#include "runtime/interp/interp.h"

namespace seg::rt {

using ir::Kind;

void Interpreter::evaluate(Profile& p, int64_t now, std::vector<uint64_t>& ttl_exit) {
  ttl_exit.assign(p.member.size(), 0);
  const seg_kernels* k = kernels_.load(std::memory_order_acquire);
  if (k && k->evaluate) {
    seg_jit_ctx ctx = context(p, now);
    ctx.ttl_exit = ttl_exit.data();
    k->evaluate(&ctx);
    return;
  }
  auto holds = [&](int32_t, ir::Expr e) {
    return coverage_ ? observe(e, p, now) : eval(e, p, now).truthy();
  };
  for (const ir::EvalStep& step : b_.evaluate) {
    if (!step.tiers) {
      int32_t ai = step.index;
      const ir::Audience& a = b_.audiences[ai];
      bool when = holds(ai, a.when);
      bool q = when;
      for (int32_t x : a.excludes) q = q && !p.bit(p.member, x);
      bool in = q;
      if (a.ttl_ms) {
        TtlState& t = p.ttl[a.ttl_slot];
        bool was = p.bit(p.member, ai);
        if (t.blocked && !when) t.blocked = false;
        if (was) {
          if (now >= t.entered + *a.ttl_ms) {
            in = false;
            t.blocked = when;
            Profile::set_bit(ttl_exit, ai, true);
          }
        } else {
          in = q && !t.blocked;
          if (in) t.entered = now;
        }
      }
      Profile::set_bit(p.member, ai, in);
      continue;
    }
    const ir::Tiers& t = b_.tiers[step.index];
    bool universe = t.from < 0 || p.bit(p.member, t.from);
    bool matched = false;
    for (int32_t arm : t.arms) {
      const ir::Audience& a = b_.audiences[arm];
      bool in = universe && !matched && (!a.cond || holds(arm, a.cond));
      matched = matched || in;
      Profile::set_bit(p.member, arm, in);
    }
  }
}

// eval(e).truthy() with the same short-circuits, recording the value of e and of every
// and/or/not operand it evaluates (coverage only; an operand skipped is not seen).
bool Interpreter::observe(ir::Expr e, Profile& p, int64_t now) {
  bool v;
  switch (e->kind) {
    case Kind::Not: v = !observe(e->args[0], p, now); break;
    case Kind::And: v = observe(e->args[0], p, now) && observe(e->args[1], p, now); break;
    case Kind::Or: v = observe(e->args[0], p, now) || observe(e->args[1], p, now); break;
    default: v = eval(e, p, now).truthy(); break;
  }
  (*coverage_)[static_cast<size_t>(e->id)] |= v ? 1 : 2;
  return v;
}

}  // namespace seg::rt
