// Expression evaluation: eval over every node kind, with aggregates over slots,
// arithmetic (overflow and division by zero are missing) and comparisons.
#include "runtime/interp/interp.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "stdlib/builtins/builtins.h"

namespace seg::rt {

using ir::Kind;
using ir::Op;

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

}  // namespace seg::rt
