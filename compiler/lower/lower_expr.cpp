#include "compiler/lower/lower_expr.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace seg {

using ir::AggFn;
using ir::Expr;
using K = sema::TypeKind;

ir::Type ir_type(K k) {
  switch (k) {
    case K::Bool: return ir::Type::Bool;
    case K::Int: return ir::Type::Int;
    case K::Number: return ir::Type::Number;
    case K::String: return ir::Type::String;
    case K::Time: return ir::Type::Time;
    case K::Duration: return ir::Type::Duration;
    case K::StringSet: return ir::Type::StringSet;
    case K::Event: return ir::Type::Event;
    default: throw std::logic_error("lowering: no IR type for " + sema::type_kind_name(k));
  }
}

namespace {

ir::Op cmp_op(ast::Op op) {
  switch (op) {
    case ast::Op::Eq: return ir::Op::Eq;
    case ast::Op::Ne: return ir::Op::Ne;
    case ast::Op::Lt: return ir::Op::Lt;
    case ast::Op::Le: return ir::Op::Le;
    case ast::Op::Gt: return ir::Op::Gt;
    case ast::Op::Ge: return ir::Op::Ge;
    case ast::Op::Add: return ir::Op::Add;
    case ast::Op::Sub: return ir::Op::Sub;
    case ast::Op::Mul: return ir::Op::Mul;
    case ast::Op::Div: return ir::Op::Div;
    case ast::Op::Mod: return ir::Op::Mod;
    default: throw std::logic_error("lowering: not a binary operator");
  }
}


}  // namespace

ir::Value literal_value(const ast::Expr* e, ir::Type want) {
  ir::Value v;
  v.type = want;
  while (e->kind == ast::ExprKind::Paren) e = e->args[0];
  bool neg = false;
  if (e->kind == ast::ExprKind::Unary && e->op == ast::Op::Neg) {
    neg = true;
    e = e->args[0];
  }
  switch (e->kind) {
    case ast::ExprKind::BoolLit: v.type = ir::Type::Bool; v.b = e->flag; break;
    case ast::ExprKind::NumberLit:
      if (want == ir::Type::Int && std::floor(e->number) == e->number) {
        v.i = static_cast<int64_t>(neg ? -e->number : e->number);
      } else if (want == ir::Type::Duration) {  // a number of seconds, as in the input
        v.i = static_cast<int64_t>((neg ? -e->number : e->number) * 1000);
      } else {
        v.type = ir::Type::Number;
        v.d = neg ? -e->number : e->number;
      }
      break;
    case ast::ExprKind::StringLit: v.type = ir::Type::String; v.s = e->text; break;
    case ast::ExprKind::DurationLit: v.type = ir::Type::Duration; v.i = neg ? -e->millis : e->millis; break;
    case ast::ExprKind::TimeLit: v.type = ir::Type::Time; v.i = e->millis; break;
    case ast::ExprKind::ListLit:
      v.type = ir::Type::StringSet;
      for (const ast::Expr* item : e->args)
        if (item->kind == ast::ExprKind::StringLit) v.set.push_back(item->text);
      std::sort(v.set.begin(), v.set.end());
      v.set.erase(std::unique(v.set.begin(), v.set.end()), v.set.end());
      break;
    default: throw std::logic_error("lowering: not a literal");
  }
  return v;
}

K ExprLowering::type_of(const ast::Expr* e) const {
  auto it = p_.types.find(e);
  return it == p_.types.end() ? K::Error : it->second.kind;
}

const sema::Ref* ExprLowering::ref(const ast::Expr* e) const {
  auto it = p_.refs.find(e);
  return it == p_.refs.end() ? nullptr : &it->second;
}

Expr ExprLowering::lower(const ast::Expr* e) { return expr(e, -1); }

// An event value (first/last) where a time is wanted stands for its timestamp.
Expr ExprLowering::event_time(Expr agg) {
  return build_.event_field(agg, b_.slots[agg->index].event, -1);
}

Expr ExprLowering::literal(const ast::Expr* e) {
  K k = type_of(e);
  return build_.constant(literal_value(e, k == K::Int ? ir::Type::Int : ir_type(k)));
}

int32_t ExprLowering::regex(const std::string& pattern) {
  auto it = std::find(b_.regexes.begin(), b_.regexes.end(), pattern);
  if (it != b_.regexes.end()) return static_cast<int32_t>(it - b_.regexes.begin());
  b_.regexes.push_back(pattern);
  return static_cast<int32_t>(b_.regexes.size() - 1);
}

int32_t ExprLowering::slot(int32_t event, Expr filter, ir::SlotKind kind, int64_t window) {
  std::string key = std::to_string(event) + "|" + std::to_string(static_cast<int>(kind)) + "|" +
                    std::to_string(window) + "|";
  if (filter) {
    // Filters print with their property names, so equal text means equal filter.
    key += ir::print(b_, filter);
  }
  if (auto it = slot_ids_.find(key); it != slot_ids_.end()) return it->second;
  ir::Slot s;
  s.event = event;
  s.filter = filter;
  s.kind = kind;
  s.window_ms = window;
  b_.slots.push_back(std::move(s));
  int32_t id = static_cast<int32_t>(b_.slots.size() - 1);
  slot_ids_[key] = id;
  return id;
}

// E [where F] [within D] [since T], or E.p with the same clauses, as an aggregate.
Expr ExprLowering::query(const ast::Expr* e, AggFn fn, int event) {
  const ast::Expr* base = e;
  const ast::Expr* where = nullptr;
  const ast::Expr* within = nullptr;
  const ast::Expr* since = nullptr;
  while (base->kind == ast::ExprKind::Paren) base = base->args[0];
  if (base->kind == ast::ExprKind::Query) {
    where = base->where;
    within = base->within;
    since = base->since;
    base = base->args[0];
  }
  int32_t prop = -1;
  std::string ev_name;
  if (base->kind == ast::ExprKind::Member) {  // E.p
    ev_name = base->args[0]->text;
  } else {
    ev_name = base->text;
  }
  int32_t ev = b_.event(ev_name);
  if (ev < 0) throw std::logic_error("lowering: unknown event " + ev_name);
  if (base->kind == ast::ExprKind::Member) {
    const auto& props = b_.events[ev].props;
    for (size_t i = 0; i < props.size(); ++i)
      if (props[i].name == base->text) prop = static_cast<int32_t>(i);
  }
  Expr filter = where ? expr(where, ev) : nullptr;
  int64_t window = within ? within->millis : 0;
  Expr bound = nullptr;
  if (since) {
    bound = expr(since, event);
    if (bound->type == ir::Type::Event) bound = event_time(bound);
  }
  ir::SlotKind kind = within ? ir::SlotKind::Window : ir::SlotKind::AllTime;
  // "At least one since T" is "the latest one is after T": no history needed.
  if (bound && fn == AggFn::Exists) {
    int32_t s = slot(ev, filter, kind, window);
    Expr last = build_.agg(AggFn::Last, s, -1, nullptr);
    return build_.cmp(ir::Op::Gt, build_.event_field(last, ev, -1), bound);
  }
  if (bound && kind == ir::SlotKind::AllTime) kind = ir::SlotKind::History;
  int32_t s = slot(ev, filter, kind, window);
  if (prop >= 0) {
    auto& kept = b_.slots[s].props;
    if (std::find(kept.begin(), kept.end(), prop) == kept.end()) kept.push_back(prop);
  }
  return build_.agg(fn, s, prop, bound);
}

// A built-in call, by its row in stdlib/builtins/functions.def.
Expr ExprLowering::call(const ast::Expr* e, int event) {
  using builtins::Function;
  const builtins::FunctionInfo* f = builtins::find_function(e->text);
  if (!f) throw std::logic_error("lowering: unknown function " + e->text);
  if (auto agg = ir::to_agg(f->id)) return query(e->args[0], *agg, event);
  if (f->id == Function::Ago) return build_.arith(ir::Op::Sub, build_.now(), expr(e->args[0], event));
  if (f->id == Function::Has) return build_.has(expr(e->args[0], event));
  if (f->id == Function::Len && e->args[0]->kind == ast::ExprKind::ListLit) {
    ir::Value v;
    v.type = ir::Type::Int;
    v.i = static_cast<int64_t>(e->args[0]->args.size());
    return build_.constant(v);
  }
  if (auto fn = ir::to_fn(f->id)) {
    std::vector<Expr> args;
    for (const ast::Expr* a : e->args) args.push_back(expr(a, event));
    return build_.call(*fn, std::move(args));
  }
  throw std::logic_error("lowering: no lowering for built-in " + e->text);
}

Expr ExprLowering::member(const ast::Expr* e, int event) {
  if (const sema::Ref* r = ref(e); r && r->kind == sema::RefKind::Arm)
    return build_.member(b_.audience(r->name));
  Expr base = expr(e->args[0], event);  // first(E) / last(E): an event value
  int32_t ev = b_.slots[base->index].event;
  if (e->text == "time") return build_.event_field(base, ev, -1);
  const auto& props = b_.events[ev].props;
  int32_t prop = -1;
  for (size_t i = 0; i < props.size(); ++i)
    if (props[i].name == e->text) prop = static_cast<int32_t>(i);
  auto& kept = b_.slots[base->index].props;
  if (std::find(kept.begin(), kept.end(), prop) == kept.end()) kept.push_back(prop);
  return build_.event_field(base, ev, prop);
}

Expr ExprLowering::binary(const ast::Expr* e, int event) {
  using ast::Op;
  const ast::Expr* l = e->args[0];
  const ast::Expr* r = e->args[1];
  switch (e->op) {
    case Op::And:
    case Op::Or: {  // chains are n-ary in the AST
      Expr acc = expr(l, event);
      for (size_t i = 1; i < e->args.size(); ++i) {
        Expr next = expr(e->args[i], event);
        acc = e->op == Op::And ? build_.and_(acc, next) : build_.or_(acc, next);
      }
      return acc;
    }
    case Op::Coalesce: return build_.coalesce(expr(l, event), expr(r, event));
    case Op::Matches: return build_.matches(expr(l, event), regex(r->text));
    case Op::In:
    case Op::NotIn: {
      Expr x = expr(l, event);
      const ast::Expr* rr = r;
      while (rr->kind == ast::ExprKind::Paren) rr = rr->args[0];
      if (rr->kind == ast::ExprKind::ListLit) {
        std::vector<Expr> items;
        for (const ast::Expr* item : rr->args) items.push_back(expr(item, event));
        // `x not in L` is a comparison: false when x is missing (LANGUAGE.md §4).
        return build_.in_list(x, std::move(items), e->op == Op::NotIn);
      }
      return build_.in_set(x, expr(r, event), e->op == Op::NotIn);
    }
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: {
      Expr a = expr(l, event), b = expr(r, event);
      if (a->type == ir::Type::Event) a = event_time(a);
      if (b->type == ir::Type::Event) b = event_time(b);
      return build_.cmp(cmp_op(e->op), a, b);
    }
    default: {
      Expr a = expr(l, event), b = expr(r, event);
      return build_.arith(cmp_op(e->op), a, b);
    }
  }
}

Expr ExprLowering::expr(const ast::Expr* e, int event) {
  using EK = ast::ExprKind;
  K k = type_of(e);
  // An event history used as a condition: "at least one".
  if (k == K::EventStream && e->kind != EK::Paren) return query(e, AggFn::Exists, event);
  switch (e->kind) {
    case EK::BoolLit:
    case EK::NumberLit:
    case EK::StringLit:
    case EK::DurationLit:
    case EK::TimeLit:
    case EK::ListLit: return literal(e);
    case EK::Now: return build_.now();
    case EK::Paren: return expr(e->args[0], event);
    case EK::ProfileAttr: return build_.attr(b_.attribute(e->text));
    case EK::Name: {
      const sema::Ref* r = ref(e);
      if (!r) throw std::logic_error("lowering: unresolved name " + e->text);
      switch (r->kind) {
        case sema::RefKind::Attribute: return build_.attr(b_.attribute(r->name));
        case sema::RefKind::ProfileId: return build_.profile_id();
        case sema::RefKind::Segment: return build_.member(b_.audience(r->name));
        case sema::RefKind::Property: {
          const auto& props = b_.events.at(event).props;
          for (size_t i = 0; i < props.size(); ++i)
            if (props[i].name == r->name) return build_.prop(event, static_cast<int32_t>(i));
          throw std::logic_error("lowering: unknown property " + r->name);
        }
        default: throw std::logic_error("lowering: name " + e->text + " is not a value");
      }
    }
    case EK::Member: return member(e, event);
    case EK::Call: return call(e, event);
    case EK::Unary:
      if (e->op == ast::Op::Not) return build_.not_(expr(e->args[0], event));
      return build_.neg(expr(e->args[0], event));
    case EK::Binary: return binary(e, event);
    case EK::Between: {
      Expr x = expr(e->args[0], event);
      return build_.and_(build_.cmp(ir::Op::Le, expr(e->args[1], event), x),
                         build_.cmp(ir::Op::Le, x, expr(e->args[2], event)));
    }
    case EK::Query: return query(e, AggFn::Exists, event);
    case EK::Invalid: break;
  }
  throw std::logic_error(std::string("lowering: cannot lower ") + ast::kind_name(e->kind));
}

}  // namespace seg
