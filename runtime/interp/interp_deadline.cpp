// Deadlines: the next instant a profile's memberships may change (window expiries, TTLs,
// time atoms' flips found from their slopes), and side-effect-free evaluation at an instant.
#include "runtime/interp/interp.h"

#include <algorithm>
#include <cmath>

namespace seg::rt {

using ir::Kind;
using ir::Op;

double Interpreter::slope(ir::Expr e, Profile& p, int64_t now) {
  if (!e->time_dependent) return 0;
  switch (e->kind) {
    case Kind::Now: return 1;
    case Kind::Neg: return -slope(e->args[0], p, now);
    case Kind::Coalesce:
      return eval(e->args[0], p, now).missing() ? slope(e->args[1], p, now) : slope(e->args[0], p, now);
    case Kind::Arith: {
      double sa = slope(e->args[0], p, now), sb = slope(e->args[1], p, now);
      switch (e->op) {
        case Op::Add: return sa + sb;
        case Op::Sub: return sa - sb;
        case Op::Mul:
          return sa * as_double(eval(e->args[1], p, now)) + sb * as_double(eval(e->args[0], p, now));
        case Op::Div: {
          double d = as_double(eval(e->args[1], p, now));
          return d == 0 ? 0 : sa / d;
        }
        default: return 0;
      }
    }
    default: return 0;
  }
}

int64_t Interpreter::deadline(Profile& p, int64_t now) {
  int64_t next = kNever;
  auto consider = [&](int64_t t) {
    if (t > now && t < next) next = t;
  };
  for (size_t i = 0; i < b_.slots.size(); ++i) {
    const ir::Slot& s = b_.slots[i];
    if (s.kind != ir::SlotKind::Window) continue;
    prune(s, p.slots[i], now);
    const SlotState& st = p.slots[i];
    if (st.data && !st.data->entries.empty()) consider(st.data->entries.front().ts + s.window_ms);
  }
  for (const ir::Audience& a : b_.audiences)
    if (a.ttl_ms && p.bit(p.member, static_cast<int32_t>(&a - b_.audiences.data())))
      consider(p.ttl[a.ttl_slot].entered + *a.ttl_ms);
  // Comparisons on `now`: f(t) = lhs - rhs moves linearly with slope k until a record
  // changes the state, so `f op 0` can only flip where f reaches 0 or passes it. That
  // guess is exact for the usual forms (ago(x) >= 90d); where a factor truncates to the
  // millisecond (ago(x) * 0.001 > d) f is a staircase and the flip can come later, so the
  // guess is checked and, if no flip happens there, the first flip is searched for
  // (doubling steps, then bisection) with side-effect-free evaluations.
  // The operands come from the JIT's deadline kernel when one is installed (the same
  // values, without walking two trees per atom), else from eval.
  const seg_kernels* kernels = kernels_.load(std::memory_order_acquire);
  bool compiled = kernels && kernels->deadline;
  if (compiled) {
    atom_diff_.resize(b_.time_atoms.size());
    atom_flags_.resize(b_.time_atoms.size());
    seg_jit_ctx ctx = context(p, now);
    kernels->deadline(&ctx, atom_diff_.data(), atom_flags_.data());
  }
  for (size_t ai = 0; ai < b_.time_atoms.size(); ++ai) {
    ir::Expr atom = b_.time_atoms[ai];
    double diff;
    bool before;
    if (compiled) {
      if (!(atom_flags_[ai] & 1)) continue;
      diff = atom_diff_[ai];
      before = (atom_flags_[ai] & 2) != 0;
    } else {
      Value l = eval(atom->args[0], p, now), r = eval(atom->args[1], p, now);
      if (l.missing() || r.missing()) continue;
      diff = as_double(l) - as_double(r);
      before = compare(atom->op, l, r);
    }
    double k = atom_exact_[ai] ? static_cast<double>(atom_slope_[ai])
                               : slope(atom->args[0], p, now) - slope(atom->args[1], p, now);
    if (k == 0) continue;
    double root = static_cast<double>(now) - diff / k;
    if (!(root < 9e18 && root > -9e18)) continue;
    double c = std::ceil(root);
    int64_t reach = static_cast<int64_t>(c);                    // first t with f(t) on 0's far side or at 0
    int64_t pass = static_cast<int64_t>(c == root ? c + 1 : c);  // first t strictly past 0
    // Rising f: >= and < flip on reaching 0, > and <= on passing it; falling f mirrors.
    bool rising = k > 0;
    int64_t guess;
    switch (atom->op) {
      case Op::Ge: case Op::Lt: guess = rising ? reach : pass; break;
      case Op::Gt: case Op::Le: guess = rising ? pass : reach; break;
      default: guess = std::min(reach > now ? reach : kNever, pass > now ? pass : kNever); break;
    }
    if (guess <= now || guess >= next) continue;
    if (atom_exact_[ai]) {  // integral and linear: f reaches or passes 0 exactly there
      consider(guess);
      continue;
    }
    if (holds_at(atom, p, guess) != before) {
      consider(guess);
      continue;
    }
    // The guess was early: gallop forward, then bisect to the first instant that differs.
    int64_t lo = guess, step = std::max<int64_t>(1, guess - now), hi = 0;
    constexpr int64_t kHorizon = int64_t{1} << 45;  // ~1100 years
    while (step < kHorizon) {
      hi = lo + step;
      if (hi >= next) break;  // an earlier deadline already wins
      if (holds_at(atom, p, hi) != before) break;
      lo = hi;
      step *= 2;
    }
    if (step >= kHorizon || hi >= next) continue;
    while (hi - lo > 1) {
      int64_t mid = lo + (hi - lo) / 2;
      if (holds_at(atom, p, mid) != before) hi = mid;
      else lo = mid;
    }
    consider(hi);
  }
  return next;
}

// A comparison's value at instant t, without touching the state (no window pruning).
bool Interpreter::holds_at(ir::Expr atom, Profile& p, int64_t t) {
  pure_ = true;
  Value l = eval(atom->args[0], p, t), r = eval(atom->args[1], p, t);
  pure_ = false;
  return !l.missing() && !r.missing() && compare(atom->op, l, r);
}

}  // namespace seg::rt
