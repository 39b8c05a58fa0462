// Built-in function calls (LANGUAGE.md §4, §4.1): aggregates over event history and the
// scalar helpers. Built-ins live in their own namespace, so an attribute may be called `count`.
#include <fmt/format.h>
#include <re2/re2.h>

#include "compiler/sema/checker.h"
#include "compiler/diagnostics/suggest.h"

namespace seg::sema {
namespace {

using K = TypeKind;

const std::vector<std::string>& builtin_names() {
  static const std::vector<std::string> kNames = {
      "count", "sum", "avg", "min", "max", "first", "last", "ago", "has", "lower",
      "upper", "trim", "len", "starts_with", "ends_with", "contains"};
  return kNames;
}

}  // namespace

std::string regex_error(const std::string& pattern) {
  RE2::Options opt;
  opt.set_log_errors(false);
  RE2 re(pattern, opt);
  return re.ok() ? std::string() : re.error();
}

Type Checker::call(const ast::Expr* e, const Scope& s) {
  const std::string& fn = e->text;
  auto arity = [&](size_t n) {
    if (e->args.size() == n) return true;
    error(Code::BadArguments, s.file, e->span,
          fmt::format("`{}` takes {} argument{}, not {}", fn, n, n == 1 ? "" : "s", e->args.size()));
    for (const ast::Expr* a : e->args) expr(a, s);
    return false;
  };
  auto want = [&](const ast::Expr* a, Type t, std::initializer_list<K> kinds, const char* what) {
    if (t.error()) return false;
    for (K k : kinds)
      if (t.kind == k) return true;
    auto& d = error(Code::BadArguments, s.file, a->span,
                    fmt::format("`{}` needs {}, but this is {}", fn, what, type_name(t)));
    d.label = fmt::format("found {}", type_name(t));
    return false;
  };

  if (fn == "count" || fn == "first" || fn == "last") {
    if (!arity(1)) return set(e, Type::of(K::Error));
    Type t = expr(e->args[0], s);
    if (!want(e->args[0], t, {K::EventStream}, "an event, such as `purchased within 30d`"))
      return set(e, Type::of(K::Error));
    if (fn == "count") return set(e, Type::of(K::Int));
    Type ev = Type::of(K::Event);
    ev.event = t.event;
    return set(e, ev);
  }
  if (fn == "sum" || fn == "avg" || fn == "min" || fn == "max") {
    if (!arity(1)) return set(e, Type::of(K::Error));
    Type t = expr(e->args[0], s);
    if (t.error()) return set(e, t);
    if (t.kind != K::PropStream) {
      auto& d = error(Code::BadAggregate, s.file, e->args[0]->span,
                      fmt::format("`{}` aggregates an event property, such as `{}(purchased.order_value within 30d)`",
                                  fn, fn));
      d.label = fmt::format("found {}", type_name(t));
      return set(e, Type::of(K::Error));
    }
    bool numeric = t.elem == K::Int || t.elem == K::Number;
    bool time_ok = (fn == "min" || fn == "max") && (t.elem == K::Time || t.elem == K::Duration);
    if (!numeric && !time_ok) {
      error(Code::BadAggregate, s.file, e->args[0]->span,
            fmt::format("`{}` needs a numeric property, but this property is {}", fn,
                        type_kind_name(t.elem)));
      return set(e, Type::of(K::Error));
    }
    return set(e, Type::of(numeric ? K::Number : t.elem));
  }
  if (fn == "ago") {
    if (!arity(1)) return set(e, Type::of(K::Error));
    Type t = expr(e->args[0], s);
    if (!value(e->args[0], t, s.file) || !want(e->args[0], t, {K::Time}, "a time"))
      return set(e, Type::of(K::Error));
    return set(e, Type::of(K::Duration));
  }
  if (fn == "has") {
    if (!arity(1)) return set(e, Type::of(K::Error));
    Type t = expr(e->args[0], s);
    if (!t.error()) value(e->args[0], t, s.file);
    return set(e, Type::of(K::Bool));
  }
  if (fn == "lower" || fn == "upper" || fn == "trim") {
    if (!arity(1)) return set(e, Type::of(K::Error));
    Type t = expr(e->args[0], s);
    if (!value(e->args[0], t, s.file) || !want(e->args[0], t, {K::String}, "a string"))
      return set(e, Type::of(K::Error));
    return set(e, Type::of(K::String));
  }
  if (fn == "len") {
    if (!arity(1)) return set(e, Type::of(K::Error));
    Type t = expr(e->args[0], s);
    if (!value(e->args[0], t, s.file) ||
        !want(e->args[0], t, {K::String, K::StringSet, K::List}, "a string, a set or a list"))
      return set(e, Type::of(K::Error));
    return set(e, Type::of(K::Int));
  }
  if (fn == "starts_with" || fn == "ends_with" || fn == "contains") {
    if (!arity(2)) return set(e, Type::of(K::Error));
    for (const ast::Expr* a : e->args) {
      Type t = expr(a, s);
      if (value(a, t, s.file)) want(a, t, {K::String}, "strings");
    }
    return set(e, Type::of(K::Bool));
  }
  for (const ast::Expr* a : e->args) expr(a, s);
  auto& d = error(Code::UnknownFunction, s.file, e->name_span, fmt::format("unknown function `{}`", fn));
  d.help = did_you_mean(fn, builtin_names());
  if (d.help.empty())
    d.help = "the built-in functions are count, sum, avg, min, max, first, last, ago, has, lower, "
             "upper, trim, len, starts_with, ends_with and contains";
  return set(e, Type::of(K::Error));
}

}  // namespace seg::sema
