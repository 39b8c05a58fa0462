// Canonical text of an audience's meaning (meaning.h): the IR printed with names of
// segments and tiers blocks resolved to their definitions, commutative operands sorted.
#include "compiler/lint/meaning.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "stdlib/builtins/builtins.h"

namespace seg::lint {
namespace {

std::string value_text(const ir::Value& v) {
  std::string t = std::string(ir::type_name(v.type)) + ":";
  switch (v.type) {
    case ir::Type::Bool: return t + (v.b ? "true" : "false");
    case ir::Type::Int:
    case ir::Type::Time:
    case ir::Type::Duration: return t + std::to_string(v.i);
    case ir::Type::Number: return t + fmt::format("{}", v.d);
    case ir::Type::String: return t + fmt::format("{:?}", v.s);
    case ir::Type::StringSet: {
      for (const std::string& s : v.set) t += fmt::format("{:?},", s);
      return t;
    }
    case ir::Type::Event: return t;
  }
  return t;
}

std::string holdout_text(const std::optional<ir::Holdout>& h) {
  return h ? fmt::format("{}% salt {:?}", h->percent, h->salt) : "";
}

// `a > b` is `b < a`: one way round for each comparison.
ir::Op mirror(ir::Op op) {
  switch (op) {
    case ir::Op::Gt: return ir::Op::Lt;
    case ir::Op::Ge: return ir::Op::Le;
    default: return op;
  }
}

}  // namespace

std::string Meanings::expr(const ir::Bundle& b, ir::Expr e, int32_t event) {
  auto arg = [&](size_t i) { return expr(b, e->args[i], event); };
  switch (e->kind) {
    case ir::Kind::Const: return value_text(e->value);
    case ir::Kind::Now: return "now";
    case ir::Kind::Attr: return "@" + b.attributes[e->index].name + ":" + ir::type_name(b.attributes[e->index].type);
    case ir::Kind::ProfileId: return "id";
    case ir::Kind::Prop: {
      int32_t ev = event >= 0 ? event : e->prop;
      return ev >= 0 ? "." + b.events[ev].props[e->index].name : fmt::format(".p{}", e->index);
    }
    case ir::Kind::Not: return "(not " + arg(0) + ")";
    case ir::Kind::And:
    case ir::Kind::Or: {
      // Flattened and sorted: `a and (b and c)` = `(c and a) and b`.
      std::vector<std::string> parts;
      std::vector<ir::Expr> todo(e->args.rbegin(), e->args.rend());
      while (!todo.empty()) {
        ir::Expr x = todo.back();
        todo.pop_back();
        if (x->kind == e->kind) todo.insert(todo.end(), x->args.rbegin(), x->args.rend());
        else parts.push_back(expr(b, x, event));
      }
      std::sort(parts.begin(), parts.end());
      std::string out = e->kind == ir::Kind::And ? "(and" : "(or";
      for (const std::string& p : parts) out += " " + p;
      return out + ")";
    }
    case ir::Kind::Neg: return "(-" + arg(0) + ")";
    case ir::Kind::Arith: return "(" + arg(0) + " " + ir::op_name(e->op) + " " + arg(1) + ")";
    case ir::Kind::Cmp: {
      // An int compares as the number it is: `>= 75` means `>= $75`.
      auto side = [&](size_t i) {
        ir::Expr x = e->args[i];
        if (x->kind == ir::Kind::Const && x->value.type == ir::Type::Int)
          return "number:" + fmt::format("{}", static_cast<double>(x->value.i));
        return arg(i);
      };
      std::string l = side(0), r = side(1);
      ir::Op op = e->op;
      if (op != mirror(op)) std::swap(l, r), op = mirror(op);
      if ((op == ir::Op::Eq || op == ir::Op::Ne) && r < l) std::swap(l, r);
      return "(" + l + " " + ir::op_name(op) + " " + r + ")";
    }
    case ir::Kind::Coalesce: return "(" + arg(0) + " ?? " + arg(1) + ")";
    case ir::Kind::InList: {
      std::vector<std::string> items;
      for (size_t i = 1; i < e->args.size(); ++i) items.push_back(arg(i));
      std::sort(items.begin(), items.end());
      std::string out = "(" + arg(0) + (e->op == ir::Op::Ne ? " not in [" : " in [");
      for (const std::string& s : items) out += s + ",";
      return out + "])";
    }
    case ir::Kind::InSet: return "(" + arg(0) + (e->op == ir::Op::Ne ? " not in " : " in ") + arg(1) + ")";
    case ir::Kind::Has: return "has(" + arg(0) + ")";
    case ir::Kind::Call: {
      std::string out = std::string(ir::fn_name(e->fn)) + "(";
      for (size_t i = 0; i < e->args.size(); ++i) out += (i ? ", " : "") + arg(i);
      return out + ")";
    }
    case ir::Kind::Matches: return "(" + arg(0) + fmt::format(" matches {:?})", b.regexes[e->index]);
    case ir::Kind::Agg: {
      // By what the query reads, not by the slot's layout (caps and latest-only depend on
      // the other queries of the bundle).
      const ir::Slot& s = b.slots[e->index];
      std::string out = std::string(ir::agg_name(e->agg)) + "(" + b.events[s.event].name;
      if (e->prop >= 0) out += "." + b.events[s.event].props[e->prop].name;
      if (s.filter) out += " where " + expr(b, s.filter, s.event);
      if (s.kind == ir::SlotKind::Window) out += " within " + std::to_string(s.window_ms) + "ms";
      if (!e->args.empty()) out += " since " + arg(0);
      return out + ")";
    }
    case ir::Kind::EventField:
      return arg(0) + "." + (e->prop >= 0 ? b.events[e->index].props[e->prop].name : "time");
    case ir::Kind::Member: return fmt::format("member(#{})", number(b, e->index));
  }
  return "?";
}

AudienceMeaning Meanings::of(const ir::Bundle& b, int32_t audience) {
  const ir::Audience& a = b.audiences[audience];
  AudienceMeaning m;
  if (a.kind == ir::AudienceKind::Segment) {
    m.condition = a.when ? expr(b, a.when) : "";
    std::vector<int32_t> ex;
    for (int32_t x : a.excludes) ex.push_back(number(b, x));
    std::sort(ex.begin(), ex.end());
    ex.erase(std::unique(ex.begin(), ex.end()), ex.end());
    for (int32_t x : ex) m.exclusions += fmt::format("#{} ", x);
    m.ttl = a.ttl_ms ? std::to_string(*a.ttl_ms) : "";
    m.holdout = holdout_text(a.holdout);
    return m;
  }
  const ir::Tiers& t = b.tiers[a.tiers];
  m.condition = a.cond ? expr(b, a.cond) : "else";
  m.holdout = holdout_text(t.holdout);
  m.tiers = t.from >= 0 ? fmt::format("from #{};", number(b, t.from)) : "every profile;";
  for (int32_t arm : t.arms) {
    if (arm == audience) break;
    const ir::Audience& earlier = b.audiences[arm];
    m.tiers += " not " + (earlier.cond ? expr(b, earlier.cond) : std::string("else")) + ";";
  }
  return m;
}

int32_t Meanings::number(const ir::Bundle& b, int32_t audience) {
  auto key = std::make_pair(&b, audience);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  AudienceMeaning m = of(b, audience);  // references form a DAG: this ends
  std::string whole = m.condition + "\x1f" + m.exclusions + "\x1f" + m.ttl + "\x1f" + m.holdout + "\x1f" + m.tiers;
  auto [it, fresh] = numbers_.emplace(whole, static_cast<int32_t>(numbers_.size()));
  (void)fresh;
  memo_[key] = it->second;
  return it->second;
}

std::string Meanings::differences(const AudienceMeaning& a, const AudienceMeaning& b) {
  std::vector<std::string> parts;
  if (a.condition != b.condition) parts.push_back("condition");
  if (a.exclusions != b.exclusions) parts.push_back("exclusions");
  if (a.ttl != b.ttl) parts.push_back("TTL");
  if (a.holdout != b.holdout) parts.push_back("holdout");
  if (a.tiers != b.tiers) parts.push_back("tier arms");
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out;
}

}  // namespace seg::lint
