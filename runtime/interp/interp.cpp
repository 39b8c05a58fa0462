#include "runtime/interp/interp.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <fmt/format.h>

#include "stdlib/builtins/builtins.h"

namespace seg::rt {

using ir::Kind;
using ir::Op;

double as_double(const Value& v) {
  switch (v.tag) {
    case Tag::Number: return v.d;
    case Tag::Int: case Tag::Time: case Tag::Duration: return static_cast<double>(v.i);
    default: return 0;
  }
}

Interpreter::Interpreter(const ir::Bundle& b, StringPool& strings, SetPool& sets)
    : b_(b), strings_(strings), sets_(sets) {
  consts_.resize(b.arena.size());
  for (const auto& n : b.arena)
    if (n->kind == Kind::Const) consts_[n->id] = from_ir(n->value);
  RE2::Options opt;
  opt.set_log_errors(false);
  for (const std::string& re : b.regexes) regexes_.push_back(std::make_unique<RE2>(re, opt));
  for (const ir::Slot& s : b.slots) {
    std::vector<int32_t> pos(b.events[s.event].props.size(), -1);
    for (size_t k = 0; k < s.props.size(); ++k) pos[s.props[k]] = static_cast<int32_t>(k);
    kept_.push_back(std::move(pos));
  }
}

Interpreter::~Interpreter() = default;

// Generated code reads rt::Value directly (stdlib/abi.h).
static_assert(sizeof(Value) == SEG_VALUE_SIZE);
static_assert(offsetof(Value, i) == SEG_VALUE_PAYLOAD);
static_assert(offsetof(SlotState, count) == SEG_SLOT_COUNT);
static_assert(offsetof(SlotState, newest_ts) == SEG_SLOT_NEWEST);
static_assert(offsetof(SlotState, first_ts) == SEG_SLOT_FIRST);
static_assert(sizeof(TtlState) == SEG_TTL_SIZE);
static_assert(offsetof(TtlState, entered) == SEG_TTL_ENTERED);
static_assert(offsetof(TtlState, blocked) == SEG_TTL_BLOCKED && sizeof(bool) == 1);

// The JIT's way back into the interpreter for a node it does not compile inline.
void jit_eval_callback(seg_jit_ctx* ctx, int32_t node, void* out) {
  auto* in = static_cast<Interpreter*>(ctx->interp);
  Value v = in->eval(in->b_.arena[static_cast<size_t>(node)].get(), *static_cast<Profile*>(ctx->profile), ctx->now,
                     static_cast<const Value*>(ctx->props));
  std::memcpy(out, &v, sizeof v);
}

// The fold kernel's call for each slot whose filter passed.
void jit_apply_callback(seg_jit_ctx* ctx, int32_t slot) {
  auto* in = static_cast<Interpreter*>(ctx->interp);
  in->apply(*static_cast<Profile*>(ctx->profile), slot, ctx->ts, ctx->arrival, static_cast<const Value*>(ctx->props),
            ctx->now);
}

seg_jit_ctx Interpreter::context(Profile& p, int64_t now) {
  return seg_jit_ctx{p.attrs.data(), p.member.data(), consts_.data(), now, p.id, 0, &jit_eval_callback, this, &p,
                     p.slots.data(), static_cast<int64_t>(sizeof(SlotState)), p.ttl.data(), nullptr, nullptr,
                     &jit_apply_callback, 0, 0};
}

Value Interpreter::from_ir(const ir::Value& v) {
  switch (v.type) {
    case ir::Type::Bool: return Value::boolean(v.b);
    case ir::Type::Int: return Value::integer(v.i);
    case ir::Type::Number: return Value::number(v.d);
    case ir::Type::String: return Value::string(strings_.intern(v.s));
    case ir::Type::Time: return Value::time(v.i);
    case ir::Type::Duration: return Value::duration(v.i);
    case ir::Type::StringSet: {
      std::vector<uint32_t> ids;
      for (const auto& s : v.set) ids.push_back(strings_.intern(s));
      return Value::set(sets_.intern(std::move(ids)));
    }
    case ir::Type::Event: break;
  }
  return {};
}

Profile Interpreter::make_profile(uint32_t id) const {
  Profile p;
  p.id = id;
  p.attrs.resize(b_.attributes.size());
  p.slots.resize(b_.slots.size());
  size_t words = (b_.audiences.size() + 63) / 64;
  p.member.assign(words, 0);
  p.holdout.assign(words, 0);
  p.ttl.resize(b_.ttl_count);
  p.sent.resize(b_.sent_count);
  p.seq.assign(b_.destinations.size(), 0);
  // Holdout draws depend only on the id and the salt (LANGUAGE.md §5–6).
  std::string_view key = strings_.get(id);
  auto draw = [&](const ir::Holdout& h) {
    return seg_in_holdout(builtins::holdout_bucket(h.salt, key), h.percent) != 0;
  };
  for (size_t i = 0; i < b_.audiences.size(); ++i) {
    const ir::Audience& a = b_.audiences[i];
    bool flag = false;
    if (a.kind == ir::AudienceKind::Segment) {
      flag = a.holdout && draw(*a.holdout);
    } else {
      const ir::Tiers& t = b_.tiers[a.tiers];
      flag = (t.from >= 0 && p.bit(p.holdout, t.from)) || (t.holdout && draw(*t.holdout));
    }
    Profile::set_bit(p.holdout, static_cast<int32_t>(i), flag);
  }
  return p;
}

// ---- fold ----

void Interpreter::fold(Profile& p, int32_t event, int64_t ts, uint64_t arrival,
                       const std::vector<Value>& props, int64_t now) {
  const seg_kernels* k = kernels_.load(std::memory_order_acquire);
  if (k && k->fold[event]) {
    seg_jit_ctx ctx = context(p, now);
    ctx.props = props.data();
    ctx.ts = ts;
    ctx.arrival = arrival;
    k->fold[event](&ctx);
    return;
  }
  for (int32_t si : b_.fold[event])
    if (!b_.slots[si].filter || eval(b_.slots[si].filter, p, now, props.data()).truthy())
      apply(p, si, ts, arrival, props.data(), now);
}

void Interpreter::apply(Profile& p, int32_t si, int64_t ts, uint64_t arrival, const Value* props, int64_t now) {
  const ir::Slot& s = b_.slots[si];
  SlotState& slot = p.slots[si];
  SlotData& st = slot.ensure();
  Entry e;
  e.ts = ts;
  e.arrival = arrival;
  e.props.reserve(s.props.size());
  for (int32_t k : s.props) e.props.push_back(props[k]);
  if (s.kind == ir::SlotKind::AllTime) {
    ++slot.count;
    slot.newest_ts = std::max(slot.newest_ts, ts);
    slot.first_ts = std::min(slot.first_ts, ts);
    if (st.n.size() != s.props.size()) {  // running totals start with the first event
      st.sum.assign(s.props.size(), 0);
      st.n.assign(s.props.size(), 0);
      st.min.assign(s.props.size(), Value());
      st.max.assign(s.props.size(), Value());
    }
    for (size_t k = 0; k < s.props.size(); ++k) {
      const Value& v = e.props[k];
      if (v.missing()) continue;
      double x = as_double(v);
      st.sum[k] += x;
      ++st.n[k];
      if (st.min[k].missing() || as_double(v) < as_double(st.min[k])) st.min[k] = v;
      if (st.max[k].missing() || as_double(v) > as_double(st.max[k])) st.max[k] = v;
    }
    // last/first order by timestamp, ties by arrival (RUNTIME.md §3).
    if (!st.has_last || ts >= st.last.ts) {
      st.last = e;
      st.has_last = true;
    }
    if (!st.has_first || ts < st.first.ts) {
      st.first = std::move(e);
      st.has_first = true;
    }
    return;
  }
  // A late event already outside its window changes nothing.
  if (s.kind == ir::SlotKind::Window && ts <= now - s.window_ms) return;
  if (ts > slot.newest_ts) slot.newest_ts = ts;
  if (s.latest_only) {  // keep only the latest (ts, then arrival)
    if (st.entries.empty()) st.entries.push_back(std::move(e));
    else if (ts >= st.entries.back().ts) st.entries.back() = std::move(e);
    return;
  }
  auto pos = std::upper_bound(st.entries.begin(), st.entries.end(), ts,
                              [](int64_t t, const Entry& x) { return t < x.ts; });
  st.entries.insert(pos, std::move(e));
  // Counting up to `cap` is all the thresholds need: drop the oldest beyond it.
  if (s.cap > 0 && st.entries.size() > static_cast<size_t>(s.cap)) st.entries.pop_front();
}

void Interpreter::prune(const ir::Slot& s, SlotState& st, int64_t now) const {
  if (s.kind != ir::SlotKind::Window || !st.data) return;
  // Half-open windows (now - D, now]: an entry at ts leaves at ts + D.
  EntryQueue& q = st.data->entries;
  while (!q.empty() && q.front().ts <= now - s.window_ms) q.pop_front();
}

// ---- evaluate ----

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

// ---- deadline ----

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
    double k = slope(atom->args[0], p, now) - slope(atom->args[1], p, now);
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

// ---- expressions ----

bool Interpreter::compare(Op op, const Value& a, const Value& b) const {
  int c;
  if (a.tag == Tag::String && b.tag == Tag::String) {
    if (op == Op::Eq) return a.id == b.id;
    if (op == Op::Ne) return a.id != b.id;
    std::string_view x = strings_.get(a.id), y = strings_.get(b.id);
    c = x < y ? -1 : x > y ? 1 : 0;
  } else if (a.tag == Tag::Bool || a.tag == Tag::Set) {
    bool eq = a.tag == Tag::Bool ? a.b == b.b : a.id == b.id;
    if (op == Op::Eq) return eq;
    if (op == Op::Ne) return !eq;
    c = a.tag == Tag::Bool ? (a.b < b.b ? -1 : a.b > b.b ? 1 : 0) : 0;
  } else if (a.tag == Tag::Number || b.tag == Tag::Number) {
    double x = as_double(a), y = as_double(b);
    if (x != x || y != y) return op == Op::Ne;  // NaN: unordered
    c = x < y ? -1 : x > y ? 1 : 0;
  } else {
    c = a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  }
  switch (op) {
    case Op::Eq: return c == 0;
    case Op::Ne: return c != 0;
    case Op::Lt: return c < 0;
    case Op::Le: return c <= 0;
    case Op::Gt: return c > 0;
    case Op::Ge: return c >= 0;
    default: return false;
  }
}

Value Interpreter::arith(ir::Expr e, const Value& a, const Value& b) {
  if (a.missing() || b.missing()) return {};
  Op op = e->op;
  switch (e->type) {
    case ir::Type::Int: {
      int64_t x = a.i, y = b.i, r = 0;
      bool overflow = false;
      switch (op) {
        case Op::Add: overflow = __builtin_add_overflow(x, y, &r); break;
        case Op::Sub: overflow = __builtin_sub_overflow(x, y, &r); break;
        case Op::Mul: overflow = __builtin_mul_overflow(x, y, &r); break;
        case Op::Mod:
          if (y == 0) return {};
          r = (y == -1) ? 0 : x % y;
          break;
        default: return {};
      }
      return overflow ? Value() : Value::integer(r);  // overflow: missing, never a trap
    }
    case ir::Type::Number: {
      if (a.tag == Tag::Duration && b.tag == Tag::Duration) {  // duration / duration
        if (b.i == 0) return {};
        return Value::number(static_cast<double>(a.i) / static_cast<double>(b.i));
      }
      double x = as_double(a), y = as_double(b);
      switch (op) {
        case Op::Add: return Value::number(x + y);
        case Op::Sub: return Value::number(x - y);
        case Op::Mul: return Value::number(x * y);
        case Op::Div: return y == 0 ? Value() : Value::number(x / y);
        case Op::Mod: return y == 0 ? Value() : Value::number(std::fmod(x, y));
        default: return {};
      }
    }
    case ir::Type::Time:
    case ir::Type::Duration: {
      int64_t r = 0;
      bool overflow = false;
      if ((a.tag == Tag::Number || a.tag == Tag::Int) || (b.tag == Tag::Number || b.tag == Tag::Int)) {
        // duration * number, number * duration, duration / number: truncated to the ms.
        const Value& dur = a.tag == Tag::Duration ? a : b;
        double k = as_double(a.tag == Tag::Duration ? b : a);
        if (op == Op::Div && k == 0) return {};
        double x = op == Op::Div ? static_cast<double>(dur.i) / k : static_cast<double>(dur.i) * k;
        if (!(x > -9.2e18 && x < 9.2e18)) return {};
        r = static_cast<int64_t>(x);
      } else if (op == Op::Add) {
        overflow = __builtin_add_overflow(a.i, b.i, &r);
      } else {
        overflow = __builtin_sub_overflow(a.i, b.i, &r);
      }
      if (overflow) return {};
      return e->type == ir::Type::Time ? Value::time(r) : Value::duration(r);
    }
    case ir::Type::String: {
      std::string s(strings_.get(a.id));
      s += strings_.get(b.id);
      return Value::string(strings_.intern(s));
    }
    default: return {};
  }
}

Value Interpreter::agg(ir::Expr e, Profile& p, int64_t now) {
  const ir::Slot& s = b_.slots[e->index];
  SlotState& slot = p.slots[e->index];
  const SlotData& st = slot.view();
  int32_t k = e->prop >= 0 ? kept_[e->index][e->prop] : -1;
  if (s.kind == ir::SlotKind::AllTime) {
    if (k >= 0 && st.n.empty()) return {};  // no event yet: sum/avg/min/max are missing
    switch (e->agg) {
      case ir::AggFn::Exists: return Value::boolean(slot.count > 0);
      case ir::AggFn::Count: return Value::integer(slot.count);
      case ir::AggFn::Sum: return st.n[k] ? Value::number(st.sum[k]) : Value();
      case ir::AggFn::Avg: return st.n[k] ? Value::number(st.sum[k] / static_cast<double>(st.n[k])) : Value();
      case ir::AggFn::Min:
        return e->type == ir::Type::Number && !st.min[k].missing() ? Value::number(as_double(st.min[k])) : st.min[k];
      case ir::AggFn::Max:
        return e->type == ir::Type::Number && !st.max[k].missing() ? Value::number(as_double(st.max[k])) : st.max[k];
      case ir::AggFn::First: return st.has_first ? Value::event(&st.first) : Value();
      case ir::AggFn::Last: return st.has_last ? Value::event(&st.last) : Value();
    }
    return {};
  }
  int64_t after = std::numeric_limits<int64_t>::min();
  if (!pure_) prune(s, slot, now);
  else if (s.kind == ir::SlotKind::Window) after = now - s.window_ms;  // skip, do not drop
  if (!e->args.empty()) {  // `since T`: entries with ts > T; missing T: missing result
    Value t = eval(e->args[0], p, now);
    if (t.missing()) return {};
    after = std::max(after, t.i);
  }
  auto begin = std::upper_bound(st.entries.begin(), st.entries.end(), after,
                                [](int64_t t, const Entry& x) { return t < x.ts; });
  auto end = st.entries.end();
  switch (e->agg) {
    case ir::AggFn::Exists: return Value::boolean(begin != end);
    case ir::AggFn::Count: return Value::integer(end - begin);
    case ir::AggFn::First: return begin != end ? Value::event(&*begin) : Value();
    case ir::AggFn::Last: return begin != end ? Value::event(&*(end - 1)) : Value();
    default: break;
  }
  double sum = 0;
  int64_t n = 0;
  Value best;
  for (auto it = begin; it != end; ++it) {
    const Value& v = it->props[k];
    if (v.missing()) continue;
    sum += as_double(v);
    ++n;
    if (best.missing() || (e->agg == ir::AggFn::Min ? as_double(v) < as_double(best)
                                                    : as_double(v) > as_double(best)))
      best = v;
  }
  if (n == 0) return {};
  switch (e->agg) {
    case ir::AggFn::Sum: return Value::number(sum);
    case ir::AggFn::Avg: return Value::number(sum / static_cast<double>(n));
    default: return e->type == ir::Type::Number ? Value::number(as_double(best)) : best;
  }
}

Value Interpreter::eval(ir::Expr e, Profile& p, int64_t now, const Value* props) {
  auto arg = [&](size_t i) { return eval(e->args[i], p, now, props); };
  switch (e->kind) {
    case Kind::Const: return consts_[e->id];
    case Kind::Now: return Value::time(now);
    case Kind::Attr: return p.attrs[e->index];
    case Kind::ProfileId: return Value::string(p.id);
    case Kind::Prop: return props ? props[e->index] : Value();
    case Kind::Not: return Value::boolean(!arg(0).truthy());
    case Kind::And: return Value::boolean(arg(0).truthy() && arg(1).truthy());
    case Kind::Or: return Value::boolean(arg(0).truthy() || arg(1).truthy());
    case Kind::Neg: {
      Value v = arg(0);
      if (v.tag == Tag::Number) return Value::number(-v.d);
      if (v.missing() || v.i == std::numeric_limits<int64_t>::min()) return {};
      v.i = -v.i;
      return v;
    }
    case Kind::Arith: return arith(e, arg(0), arg(1));
    case Kind::Cmp: {
      Value a = arg(0), b = arg(1);
      if (a.missing() || b.missing()) return Value::boolean(false);
      return Value::boolean(compare(e->op, a, b));
    }
    case Kind::Coalesce: {
      Value a = arg(0);
      if (a.missing()) a = arg(1);
      if (e->type == ir::Type::Number && a.tag == Tag::Int) return Value::number(as_double(a));
      return a;
    }
    case Kind::InList: {
      Value x = arg(0);
      if (x.missing()) return Value::boolean(false);
      bool found = false;
      for (size_t i = 1; i < e->args.size() && !found; ++i) {
        Value item = arg(i);
        found = !item.missing() && compare(Op::Eq, x, item);
      }
      return Value::boolean(e->op == Op::Ne ? !found : found);
    }
    case Kind::InSet: {
      Value x = arg(0), s = arg(1);
      if (x.missing() || s.missing()) return Value::boolean(false);
      const auto& items = sets_.get(s.id);
      bool found = std::find(items.begin(), items.end(), x.id) != items.end();
      return Value::boolean(e->op == Op::Ne ? !found : found);
    }
    case Kind::Has: return Value::boolean(!arg(0).missing());
    case Kind::Call: {
      Value a = arg(0);
      if (a.missing()) return {};
      if (e->fn == ir::Fn::Len)
        return Value::integer(a.tag == Tag::Set ? static_cast<int64_t>(sets_.get(a.id).size())
                                                : static_cast<int64_t>(seg_str_len(strings_.get(a.id).data(), strings_.get(a.id).size())));
      std::string_view s = strings_.get(a.id);
      switch (e->fn) {
        case ir::Fn::Lower: return Value::string(strings_.intern(builtins::lower(s)));
        case ir::Fn::Upper: return Value::string(strings_.intern(builtins::upper(s)));
        case ir::Fn::Trim: return Value::string(strings_.intern(builtins::trim(s)));
        default: break;
      }
      Value bv = arg(1);
      if (bv.missing()) return {};
      seg_str x = builtins::view(s), y = builtins::view(strings_.get(bv.id));
      int r = e->fn == ir::Fn::StartsWith ? seg_str_starts_with(x, y)
              : e->fn == ir::Fn::EndsWith ? seg_str_ends_with(x, y)
                                          : seg_str_contains(x, y);
      return Value::boolean(r != 0);
    }
    case Kind::Matches: {
      Value a = arg(0);
      if (a.missing()) return Value::boolean(false);
      std::string_view s = strings_.get(a.id);
      return Value::boolean(RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *regexes_[e->index]));
    }
    case Kind::Agg: return agg(e, p, now);
    case Kind::EventField: {
      Value ev = arg(0);
      if (ev.missing()) return {};
      if (e->prop < 0) return Value::time(ev.ev->ts);
      int32_t slot = e->args[0]->index;
      int32_t k = kept_[slot][e->prop];
      return k < 0 ? Value() : ev.ev->props[k];
    }
    case Kind::Member: return Value::boolean(p.bit(p.member, e->index));
  }
  return {};
}

std::string Interpreter::show(const Value& v) const {
  switch (v.tag) {
    case Tag::Missing: return "missing";
    case Tag::Bool: return v.b ? "true" : "false";
    case Tag::Int: return std::to_string(v.i);
    case Tag::Number: return fmt::format("{}", v.d);
    case Tag::String: return fmt::format("\"{}\"", strings_.get(v.id));
    case Tag::Time: return builtins::format_time(v.i);
    case Tag::Duration: return builtins::format_duration(v.i);
    case Tag::Set: {
      std::string out = "[";
      for (uint32_t id : sets_.get(v.id)) out += (out.size() > 1 ? ", \"" : "\"") + std::string(strings_.get(id)) + "\"";
      return out + "]";
    }
    case Tag::Event: return "event at " + builtins::format_time(v.ev->ts);
  }
  return "?";
}

}  // namespace seg::rt
