#include "compiler/ir/builder.h"

#include <stdexcept>
#include <string>

namespace seg::ir {
namespace {

[[noreturn]] void bug(const std::string& what) { throw std::logic_error("IR: " + what); }

bool numeric(Type t) { return t == Type::Int || t == Type::Number; }

void need(bool ok, const char* what) {
  if (!ok) bug(what);
}

// The IR type of a built-in's result (stdlib/builtins/functions.def), where it is fixed.
Type result_type(builtins::Result r) {
  switch (r) {
    case builtins::Result::Bool: return Type::Bool;
    case builtins::Result::Int: return Type::Int;
    case builtins::Result::Number: return Type::Number;
    case builtins::Result::String: return Type::String;
    case builtins::Result::Duration: return Type::Duration;
    case builtins::Result::Event: return Type::Event;
    case builtins::Result::NumberOrTime: break;  // depends on the property
  }
  bug("built-in result type");
}

}  // namespace

Node* Builder::make(Kind k, Type t, std::vector<Expr> args) {
  auto n = std::make_unique<Node>();
  n->kind = k;
  n->type = t;
  for (Expr a : args) {
    need(a != nullptr, "null operand");
    n->time_dependent |= a->time_dependent;
  }
  n->args = std::move(args);
  n->id = static_cast<int32_t>(b_.arena.size());
  Node* raw = n.get();
  b_.arena.push_back(std::move(n));
  return raw;
}

Expr Builder::constant(Value v) {
  Type t = v.type;
  Node* n = make(Kind::Const, t);
  n->value = std::move(v);
  return n;
}

Expr Builder::boolean(bool v) {
  Value val;
  val.type = Type::Bool;
  val.b = v;
  return constant(std::move(val));
}

Expr Builder::now() {
  Node* n = make(Kind::Now, Type::Time);
  n->time_dependent = true;
  return n;
}

Expr Builder::attr(int32_t index) {
  need(index >= 0 && index < static_cast<int32_t>(b_.attributes.size()), "attribute index");
  Node* n = make(Kind::Attr, b_.attributes[index].type);
  n->index = index;
  return n;
}

Expr Builder::profile_id() { return make(Kind::ProfileId, Type::String); }

Expr Builder::prop(int32_t event, int32_t index) {
  need(event >= 0 && event < static_cast<int32_t>(b_.events.size()), "event index");
  const auto& props = b_.events[event].props;
  need(index >= 0 && index < static_cast<int32_t>(props.size()), "property index");
  Node* n = make(Kind::Prop, props[index].type);
  n->index = index;
  n->prop = event;  // kept so the node can be rebuilt (serialize.cpp)
  return n;
}

Expr Builder::not_(Expr a) { return make(Kind::Not, Type::Bool, {a}); }

Expr Builder::and_(Expr a, Expr b) { return make(Kind::And, Type::Bool, {a, b}); }

Expr Builder::or_(Expr a, Expr b) { return make(Kind::Or, Type::Bool, {a, b}); }

Expr Builder::neg(Expr a) {
  need(numeric(a->type) || a->type == Type::Duration, "negation of a non-number");
  return make(Kind::Neg, a->type, {a});
}

Expr Builder::arith(Op op, Expr a, Expr b) {
  Type ta = a->type, tb = b->type, t;
  if (numeric(ta) && numeric(tb)) {
    t = op == Op::Div ? Type::Number
        : (ta == Type::Int && tb == Type::Int) ? Type::Int
                                               : Type::Number;
  } else if (ta == Type::Time && tb == Type::Time && op == Op::Sub) {
    t = Type::Duration;
  } else if (ta == Type::Time && tb == Type::Duration && (op == Op::Add || op == Op::Sub)) {
    t = Type::Time;
  } else if (ta == Type::Duration && tb == Type::Time && op == Op::Add) {
    t = Type::Time;
  } else if (ta == Type::Duration && tb == Type::Duration && (op == Op::Add || op == Op::Sub)) {
    t = Type::Duration;
  } else if (ta == Type::Duration && tb == Type::Duration && op == Op::Div) {
    t = Type::Number;
  } else if (ta == Type::Duration && numeric(tb) && (op == Op::Mul || op == Op::Div)) {
    t = Type::Duration;
  } else if (numeric(ta) && tb == Type::Duration && op == Op::Mul) {
    t = Type::Duration;
  } else if (ta == Type::String && tb == Type::String && op == Op::Add) {
    t = Type::String;
  } else {
    bug(std::string("arithmetic on ") + type_name(ta) + " and " + type_name(tb));
  }
  Node* n = make(Kind::Arith, t, {a, b});
  n->op = op;
  return n;
}

Expr Builder::cmp(Op op, Expr a, Expr b) {
  bool ok = (numeric(a->type) && numeric(b->type)) || a->type == b->type;
  need(ok, "comparison of different types");
  need(op >= Op::Eq, "comparison operator");
  Node* n = make(Kind::Cmp, Type::Bool, {a, b});
  n->op = op;
  return n;
}

Expr Builder::coalesce(Expr a, Expr b) {
  Type t = a->type;
  if (numeric(a->type) && numeric(b->type) && a->type != b->type) t = Type::Number;
  return make(Kind::Coalesce, t, {a, b});
}

Expr Builder::in_list(Expr x, std::vector<Expr> items, bool negated) {
  items.insert(items.begin(), x);
  Node* n = make(Kind::InList, Type::Bool, std::move(items));
  n->op = negated ? Op::Ne : Op::Eq;
  return n;
}

Expr Builder::in_set(Expr x, Expr set, bool negated) {
  need(set->type == Type::StringSet && x->type == Type::String, "`in` on a set");
  Node* n = make(Kind::InSet, Type::Bool, {x, set});
  n->op = negated ? Op::Ne : Op::Eq;
  return n;
}

Expr Builder::has(Expr a) { return make(Kind::Has, Type::Bool, {a}); }

Expr Builder::call(Fn fn, std::vector<Expr> args) {
  const builtins::FunctionInfo& f = builtins::function_info(builtin(fn));
  Type t = result_type(f.result);
  need(args.size() == f.arity, "built-in arity");
  Node* n = make(Kind::Call, t, std::move(args));
  n->fn = fn;
  return n;
}

Expr Builder::matches(Expr a, int32_t regex) {
  need(a->type == Type::String, "`matches` on a non-string");
  Node* n = make(Kind::Matches, Type::Bool, {a});
  n->index = regex;
  return n;
}

Expr Builder::agg(AggFn fn, int32_t slot, int32_t prop, Expr since) {
  need(slot >= 0 && slot < static_cast<int32_t>(b_.slots.size()), "slot index");
  Type t = Type::Bool;  // Exists: at least one
  if (auto row = builtin(fn)) {
    const builtins::FunctionInfo& f = builtins::function_info(*row);
    if (f.param == builtins::Param::NumberProperty || f.param == builtins::Param::OrderedProperty)
      need(prop >= 0, "aggregate without a property");
    if (f.result == builtins::Result::NumberOrTime) {  // min, max
      Type pt = b_.events.at(b_.slots[slot].event).props.at(prop).type;
      t = (pt == Type::Time || pt == Type::Duration) ? pt : Type::Number;
    } else {
      t = result_type(f.result);
    }
  }
  std::vector<Expr> args;
  if (since) args.push_back(since);
  Node* n = make(Kind::Agg, t, std::move(args));
  n->agg = fn;
  n->index = slot;
  n->prop = prop;
  return n;
}

Expr Builder::event_field(Expr event, int32_t event_index, int32_t prop) {
  need(event->type == Type::Event, "field of a non-event");
  Type t = Type::Time;
  if (prop >= 0) t = b_.events.at(event_index).props.at(prop).type;
  Node* n = make(Kind::EventField, t, {event});
  n->prop = prop;
  n->index = event_index;
  return n;
}

Expr Builder::member(int32_t audience) {
  Node* n = make(Kind::Member, Type::Bool);
  n->index = audience;
  return n;
}

Expr Builder::rebuild(Expr old, std::vector<Expr> args) {
  Node copy = *old;
  Node* n = make(old->kind, old->type, std::move(args));
  bool td = n->time_dependent || old->kind == Kind::Now;
  copy.args = n->args;
  int32_t id = n->id;
  *n = std::move(copy);
  n->id = id;
  n->time_dependent = td;
  return n;
}

}  // namespace seg::ir
