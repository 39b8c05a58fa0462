// Expression typing (LANGUAGE.md §4): names, members, operators, event-history queries.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/sema/checker.h"
#include "compiler/diagnostics/suggest.h"

namespace seg::sema {
namespace {

using K = TypeKind;

bool comparable(const Type& a, const Type& b) {
  if (a.numeric() && b.numeric()) return true;
  return a.kind == b.kind &&
         (a.kind == K::String || a.kind == K::Time || a.kind == K::Duration || a.kind == K::Bool);
}

bool ordered(const Type& t) {
  return t.numeric() || t.kind == K::Time || t.kind == K::Duration || t.kind == K::String;
}

}  // namespace

Type Checker::set(const ast::Expr* e, Type t, Ref r) {
  p_.types[e] = t;
  if (r.kind != RefKind::None) p_.refs[e] = std::move(r);
  return t;
}

void Checker::mismatch(const ast::Expr* e, FileId file, const std::string& msg, const Type& want,
                       const Type& got) {
  auto& d = error(Code::TypeMismatch, file, e->span, msg);
  d.label = fmt::format("expected {}, found {}", type_name(want), type_name(got));
}

// A value position: event streams are only meaningful as conditions or aggregate arguments.
bool Checker::value(const ast::Expr* e, Type t, FileId file) {
  if (t.kind == K::PropStream) {
    auto& d = error(Code::PropertyOutsideWhere, file, e->span,
                    "an event property can only be read inside `where` or through `last(E).p`");
    d.help = fmt::format("write `last({0}).{1}` for the latest value, or `sum({0}.{1} …)` to aggregate",
                         t.event ? t.event->name.name : "E", e->text);
    return false;
  }
  if (t.kind == K::Audience) {
    error(Code::TypeMismatch, file, e->span, "a tiers block is not a value")
        .help = fmt::format("name one arm, such as `{}.ARM`", e->text);
    return false;
  }
  return true;
}

void Checker::condition(const ast::Expr* e, const Scope& s, const char* what) {
  Type t = expr(e, s);
  if (t.error() || t.condition()) return;
  if (!value(e, t, s.file)) return;
  auto& d = error(Code::NotACondition, s.file, e->span, fmt::format("{} must be a bool", what));
  d.label = fmt::format("this is {}, not bool", type_name(t));
  if (t.numeric()) d.help = "compare it, for example `… >= 100`";
  else if (t.kind == K::String) d.help = "compare it, for example `… == \"US\"`, or test `has(…)`";
}

Type Checker::expr(const ast::Expr* e, const Scope& s) {
  switch (e->kind) {
    case ast::ExprKind::Invalid: return set(e, Type::of(K::Error));
    case ast::ExprKind::BoolLit: return set(e, Type::of(K::Bool));
    case ast::ExprKind::NumberLit: {
      bool integral = e->text.find_first_of(".eE") == std::string::npos;
      return set(e, Type::of(integral ? K::Int : K::Number));
    }
    case ast::ExprKind::StringLit: return set(e, Type::of(K::String));
    case ast::ExprKind::DurationLit:
      if (e->millis <= 0) error(Code::BadDuration, s.file, e->span, "a duration must be positive");
      return set(e, Type::of(K::Duration));
    case ast::ExprKind::TimeLit: return set(e, Type::of(K::Time));
    case ast::ExprKind::Now: return set(e, Type::of(K::Time));
    case ast::ExprKind::ListLit: return list(e, s);
    case ast::ExprKind::Name: return name(e, s);
    case ast::ExprKind::ProfileAttr: {
      auto it = p_.attributes.find(e->text);
      if (it == p_.attributes.end()) {
        if (!poisoned(e->text)) {
          std::vector<std::string> names;
          for (const auto& [n, a] : p_.attributes) names.push_back(n);
          error(Code::UnknownName, s.file, e->name_span, fmt::format("unknown attribute `{}`", e->text))
              .help = did_you_mean(e->text, names);
        }
        return set(e, Type::of(K::Error));
      }
      return set(e, Type::of(it->second.type), {RefKind::Attribute, e->text});
    }
    case ast::ExprKind::Member: return member(e, s);
    case ast::ExprKind::Call: return call(e, s);
    case ast::ExprKind::Paren: return set(e, expr(e->args[0], s));
    case ast::ExprKind::Unary: {
      if (e->op == ast::Op::Not) {
        condition(e->args[0], s, "the operand of `not`");
        return set(e, Type::of(K::Bool));
      }
      Type t = expr(e->args[0], s);
      if (t.error() || !value(e->args[0], t, s.file)) return set(e, Type::of(K::Error));
      if (!t.numeric() && t.kind != K::Duration) {
        mismatch(e->args[0], s.file, "unary `-` needs a number or a duration", Type::of(K::Number), t);
        return set(e, Type::of(K::Error));
      }
      return set(e, t);
    }
    case ast::ExprKind::Binary: return binary(e, s);
    case ast::ExprKind::Between: {
      Type x = expr(e->args[0], s), lo = expr(e->args[1], s), hi = expr(e->args[2], s);
      for (int i = 0; i < 3; ++i) {
        Type t = i == 0 ? x : i == 1 ? lo : hi;
        if (t.error() || !value(e->args[i], t, s.file)) return set(e, Type::of(K::Bool));
      }
      if (!ordered(x)) {
        mismatch(e->args[0], s.file, "`between` needs values that can be ordered", Type::of(K::Number), x);
      } else if (!comparable(x, lo) || !comparable(x, hi)) {
        const ast::Expr* bad = comparable(x, lo) ? e->args[2] : e->args[1];
        mismatch(bad, s.file, "the bounds of `between` must have the type of the value", x,
                 comparable(x, lo) ? hi : lo);
      }
      return set(e, Type::of(K::Bool));
    }
    case ast::ExprKind::Query: return query(e, s);
  }
  return set(e, Type::of(K::Error));
}

Type Checker::list(const ast::Expr* e, const Scope& s) {
  Type out = Type::of(K::List);
  for (const ast::Expr* item : e->args) {
    Type t = expr(item, s);
    if (t.error() || !value(item, t, s.file)) continue;
    if (out.elem == K::Error) {
      out.elem = t.kind;
    } else if (out.elem != t.kind) {
      if ((out.elem == K::Int || out.elem == K::Number) && t.numeric())
        out.elem = K::Number;
      else
        mismatch(item, s.file, "all items of a list must have the same type", Type::of(out.elem), t);
    }
  }
  return set(e, out);
}

Type Checker::name(const ast::Expr* e, const Scope& s) {
  const std::string& n = e->text;
  if (s.ctx == Ctx::Where) {
    auto it = s.event->props.find(n);
    if (it != s.event->props.end()) return set(e, Type::of(it->second), {RefKind::Property, n});
    std::vector<std::string> props;
    for (const auto& [pn, t] : s.event->props) props.push_back(pn);
    auto& d = error(Code::UnknownProperty, s.file, e->span,
                    fmt::format("event `{}` has no property `{}`", s.event->decl->name.name, n));
    d.help = did_you_mean(n, props);
    if (p_.attributes.count(n) && d.help.empty())
      d.help = fmt::format("inside `where`, names are the event's properties; write `profile.{}` "
                           "for the profile attribute", n);
    return set(e, Type::of(K::Error));
  }
  if (n == "id") return set(e, Type::of(K::String), {RefKind::ProfileId, n});
  if (auto it = p_.attributes.find(n); it != p_.attributes.end())
    return set(e, Type::of(it->second.type), {RefKind::Attribute, n});
  if (p_.segments.count(n)) {
    if (!s.owner.empty()) p_.depends[s.owner].insert(n);
    return set(e, Type::of(K::Bool), {RefKind::Segment, n});
  }
  if (p_.tiers.count(n)) {
    if (!s.owner.empty()) p_.depends[s.owner].insert(n);
    return set(e, Type::of(K::Audience), {RefKind::Tiers, n});
  }
  if (auto it = p_.events.find(n); it != p_.events.end()) {
    Type t = Type::of(K::EventStream);
    t.event = it->second.decl;
    return set(e, t, {RefKind::Event, n});
  }
  if (!poisoned(n)) {
    auto& d = error(Code::UnknownName, s.file, e->span, fmt::format("unknown name `{}`", n));
    d.label = "not an attribute, event, segment or tiers block";
    auto names = expression_names();
    names.erase(std::remove(names.begin(), names.end(), s.owner), names.end());  // no self-reference
    d.help = did_you_mean(n, names);
    for (const auto& [ev, info] : p_.events) {
      if (d.help.empty() && info.props.count(n))
        d.help = fmt::format("`{}` is a property of event `{}`; a `where` filter takes one comparison, "
                             "so write compound filters in parentheses: `where (… and …)`", n, ev);
    }
  }
  return set(e, Type::of(K::Error));
}

Type Checker::member(const ast::Expr* e, const Scope& s) {
  const ast::Expr* base = e->args[0];
  // `tiers.arm`
  if (base->kind == ast::ExprKind::Name && s.ctx == Ctx::Profile && p_.tiers.count(base->text)) {
    const Tiers& t = p_.tiers.at(base->text);
    set(base, Type::of(K::Audience), {RefKind::Tiers, base->text});
    if (!t.arms.count(e->text)) {
      if (poisoned(base->text + "." + e->text)) return set(e, Type::of(K::Error));  // its line failed to parse
      std::vector<std::string> arms;
      for (const auto& [a, _] : t.arms) arms.push_back(a);
      error(Code::UnknownArm, s.file, e->name_span,
            fmt::format("tiers `{}` has no arm `{}`", base->text, e->text))
          .help = did_you_mean(e->text, arms);
      return set(e, Type::of(K::Error));
    }
    if (!s.owner.empty()) p_.depends[s.owner].insert(base->text);
    return set(e, Type::of(K::Bool), {RefKind::Arm, base->text + "." + e->text});
  }
  Type b = expr(base, s);
  if (b.error()) return set(e, Type::of(K::Error));
  if (b.kind == K::Event || b.kind == K::EventStream) {
    if (e->text == "time") {
      if (b.kind == K::Event) return set(e, Type::of(K::Time));
    } else {
      const EventInfo& info = p_.events.at(b.event->name.name);
      auto it = info.props.find(e->text);
      if (it == info.props.end()) {
        std::vector<std::string> props;
        for (const auto& [pn, t] : info.props) props.push_back(pn);
        props.push_back("time");
        error(Code::UnknownProperty, s.file, e->name_span,
              fmt::format("event `{}` has no property `{}`", b.event->name.name, e->text))
            .help = did_you_mean(e->text, props);
        return set(e, Type::of(K::Error));
      }
      if (b.kind == K::Event) return set(e, Type::of(it->second));
      if (base->kind == ast::ExprKind::Name) {
        Type t = Type::of(K::PropStream);
        t.elem = it->second;
        t.event = b.event;
        return set(e, t);
      }
    }
    auto& d = error(Code::PropertyOutsideWhere, s.file, e->span,
                    fmt::format("`.{}` needs one event: write `last({})` or `first({})` first", e->text,
                                b.event->name.name, b.event->name.name));
    d.help = fmt::format("for example `last({}).{}`", b.event->name.name, e->text);
    return set(e, Type::of(K::Error));
  }
  auto& d = error(Code::TypeMismatch, s.file, e->span,
                  fmt::format("`.{}` needs an event, but this is {}", e->text, type_name(b)));
  d.label = "only events have properties";
  return set(e, Type::of(K::Error));
}

Type Checker::query(const ast::Expr* e, const Scope& s) {
  const ast::Expr* base = e->args[0];
  Type b = expr(base, s);
  if (e->within) expr(e->within, s);
  if (b.error()) return set(e, b);
  if (b.kind != K::EventStream && b.kind != K::PropStream) {
    const char* clause = e->where ? "where" : e->within ? "within" : "since";
    auto& d = error(Code::WindowOnNonEvent, s.file, base->span,
                    fmt::format("`{}` applies to events, but this is {}", clause, type_name(b)));
    d.help = "the left side must name an event declared with `event`";
    return set(e, Type::of(K::Error));
  }
  if (e->where) {
    const EventInfo& info = p_.events.at(b.event->name.name);
    Scope inner{Ctx::Where, &info, s.file, s.owner};
    condition(e->where, inner, "a `where` filter");
  }
  if (e->since) {
    Type t = expr(e->since, s);
    if (t.kind == K::EventStream) {
      error(Code::TypeMismatch, s.file, e->since->span, "`since` needs one time, not a whole event history")
          .help = fmt::format("write `since last({})` for the latest one", t.event->name.name);
    } else if (!t.error() && value(e->since, t, s.file) && t.kind != K::Time && t.kind != K::Event) {
      mismatch(e->since, s.file, "`since` needs a time or an event", Type::of(K::Time), t);
    }
  }
  return set(e, b);
}

Type Checker::binary(const ast::Expr* e, const Scope& s) {
  using ast::Op;
  if (e->op == Op::And || e->op == Op::Or) {
    for (const ast::Expr* a : e->args)
      condition(a, s, e->op == Op::And ? "each side of `and`" : "each side of `or`");
    return set(e, Type::of(K::Bool));
  }
  Type l = expr(e->args[0], s), r = expr(e->args[1], s);
  if (l.error() || r.error()) return set(e, Type::of(K::Error));
  if (!value(e->args[0], l, s.file) || !value(e->args[1], r, s.file))
    return set(e, Type::of(K::Error));
  switch (e->op) {
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
    case Op::In: case Op::NotIn: case Op::Matches:
      return comparison(e, s, l, r);
    case Op::Coalesce: {
      if (l.kind == K::Event || l.kind == K::EventStream) {
        mismatch(e->args[0], s.file, "`??` needs a value on its left", Type::of(K::Number), l);
        return set(e, Type::of(K::Error));
      }
      if (l.numeric() && r.numeric())
        return set(e, Type::of(l.kind == K::Int && r.kind == K::Int ? K::Int : K::Number));
      if (l.kind != r.kind || l.kind == K::List) {
        mismatch(e->args[1], s.file, "both sides of `??` must have the same type", l, r);
        return set(e, Type::of(K::Error));
      }
      return set(e, l);
    }
    default:
      return arithmetic(e, s, l, r);
  }
}

Type Checker::comparison(const ast::Expr* e, const Scope& s, Type l, Type r) {
  using ast::Op;
  const ast::Expr* rhs = e->args[1];
  if (e->op == Op::Matches) {
    if (l.kind != K::String) mismatch(e->args[0], s.file, "`matches` needs a string", Type::of(K::String), l);
    if (rhs->kind != ast::ExprKind::StringLit) {
      error(Code::TypeMismatch, s.file, rhs->span, "the pattern of `matches` must be a string literal")
          .help = "patterns are compiled once, when the rules are compiled";
    } else {
      std::string why = regex_error(rhs->text);
      if (!why.empty()) {
        auto& d = error(Code::InvalidRegex, s.file, rhs->span, "invalid regular expression: " + why);
        d.help = "patterns use RE2 syntax";
      }
    }
    return set(e, Type::of(K::Bool));
  }
  if (e->op == Op::In || e->op == Op::NotIn) {
    K elem = r.kind == K::StringSet ? K::String : r.kind == K::List ? r.elem : K::Error;
    if (r.kind != K::StringSet && r.kind != K::List) {
      auto& d = error(Code::TypeMismatch, s.file, rhs->span,
                      fmt::format("`{}` needs a list or a set on its right", ast::op_text(e->op)));
      d.label = fmt::format("expected a list or set<string>, found {}", type_name(r));
    } else if (elem != K::Error && !comparable(l, Type::of(elem))) {
      mismatch(e->args[0], s.file, "the value and the items of the list must have the same type",
               Type::of(elem), l);
    }
    return set(e, Type::of(K::Bool));
  }
  bool eq = e->op == Op::Eq || e->op == Op::Ne;
  if (!comparable(l, r) || (!eq && !ordered(l))) {
    auto& d = error(Code::TypeMismatch, s.file, e->span,
                    fmt::format("cannot compare {} with {} using `{}`", type_name(l), type_name(r),
                                ast::op_text(e->op)));
    d.label = fmt::format("{} `{}` {}", type_name(l), ast::op_text(e->op), type_name(r));
    if (l.kind == K::Time && r.kind == K::Duration)
      d.help = "to compare an age, write `ago(t) >= 30d`";
    else if (l.kind == K::Duration && r.numeric())
      d.help = "write the number with a unit, such as `30d`";
  }
  return set(e, Type::of(K::Bool));
}

Type Checker::arithmetic(const ast::Expr* e, const Scope& s, Type l, Type r) {
  using ast::Op;
  K lk = l.kind, rk = r.kind;
  K out = K::Error;
  switch (e->op) {
    case Op::Add:
      if (l.numeric() && r.numeric()) out = lk == K::Int && rk == K::Int ? K::Int : K::Number;
      else if ((lk == K::Time && rk == K::Duration) || (lk == K::Duration && rk == K::Time)) out = K::Time;
      else if (lk == K::Duration && rk == K::Duration) out = K::Duration;
      break;
    case Op::Sub:
      if (l.numeric() && r.numeric()) out = lk == K::Int && rk == K::Int ? K::Int : K::Number;
      else if (lk == K::Time && rk == K::Time) out = K::Duration;
      else if (lk == K::Time && rk == K::Duration) out = K::Time;
      else if (lk == K::Duration && rk == K::Duration) out = K::Duration;
      break;
    case Op::Mul:
      if (l.numeric() && r.numeric()) out = lk == K::Int && rk == K::Int ? K::Int : K::Number;
      else if ((lk == K::Duration && r.numeric()) || (l.numeric() && rk == K::Duration)) out = K::Duration;
      break;
    case Op::Div:
      if (l.numeric() && r.numeric()) out = K::Number;
      else if (lk == K::Duration && r.numeric()) out = K::Duration;
      else if (lk == K::Duration && rk == K::Duration) out = K::Number;
      break;
    case Op::Mod:
      if (l.numeric() && r.numeric()) out = lk == K::Int && rk == K::Int ? K::Int : K::Number;
      break;
    default: break;
  }
  if (out == K::Error) {
    auto& d = error(Code::TypeMismatch, s.file, e->span,
                    fmt::format("cannot apply `{}` to {} and {}", ast::op_text(e->op), type_name(l),
                                type_name(r)));
    d.label = fmt::format("{} `{}` {}", type_name(l), ast::op_text(e->op), type_name(r));
    if (lk == K::Time && r.numeric()) d.help = "add a duration with a unit, such as `+ 7d`";
  }
  return set(e, Type::of(out));
}

}  // namespace seg::sema
