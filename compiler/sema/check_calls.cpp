// Built-in function calls (LANGUAGE.md §4, §4.1): aggregates over event history and the
// scalar helpers, checked by their rows in the table of built-in functions
// (stdlib/builtins/functions.def). Built-ins live in their own namespace, so an attribute
// may be called `count`.
#include <fmt/format.h>
#include <re2/re2.h>

#include "compiler/sema/checker.h"
#include "compiler/diagnostics/suggest.h"
#include "stdlib/builtins/functions.h"

namespace seg::sema {
namespace {

using K = TypeKind;
using builtins::Param;
using builtins::Result;

const std::vector<std::string>& builtin_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> out;
    for (const builtins::FunctionInfo& f : builtins::kFunctions) out.emplace_back(f.name);
    return out;
  }();
  return kNames;
}

// "count, sum, … and contains", in table order.
std::string builtin_list() {
  const std::vector<std::string>& names = builtin_names();
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
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
  const builtins::FunctionInfo* f = builtins::find_function(fn);
  if (!f) {
    for (const ast::Expr* a : e->args) expr(a, s);
    auto& d = error(Code::UnknownFunction, s.file, e->name_span, fmt::format("unknown function `{}`", fn));
    d.help = did_you_mean(fn, builtin_names());
    if (d.help.empty()) d.help = "the built-in functions are " + builtin_list();
    return set(e, Type::of(K::Error));
  }
  if (e->args.size() != f->arity) {
    size_t n = f->arity;
    error(Code::BadArguments, s.file, e->span,
          fmt::format("`{}` takes {} argument{}, not {}", fn, n, n == 1 ? "" : "s", e->args.size()));
    for (const ast::Expr* a : e->args) expr(a, s);
    return set(e, Type::of(K::Error));
  }
  auto want = [&](const ast::Expr* a, Type t, std::initializer_list<K> kinds, const char* what) {
    if (t.error()) return false;
    for (K k : kinds)
      if (t.kind == k) return true;
    auto& d = error(Code::BadArguments, s.file, a->span,
                    fmt::format("`{}` needs {}, but this is {}", fn, what, type_name(t)));
    d.label = fmt::format("found {}", type_name(t));
    return false;
  };
  // Whether one argument is what the function's Param says (reported when not).
  auto argument = [&](const ast::Expr* a, Type t) {
    switch (f->param) {
      case Param::Events: return want(a, t, {K::EventStream}, "an event, such as `purchased within 30d`");
      case Param::NumberProperty:
      case Param::OrderedProperty: {
        if (t.error()) return false;
        if (t.kind != K::PropStream) {
          auto& d = error(Code::BadAggregate, s.file, a->span,
                          fmt::format("`{}` aggregates an event property, such as `{}(purchased.order_value within 30d)`",
                                      fn, fn));
          d.label = fmt::format("found {}", type_name(t));
          return false;
        }
        bool numeric = t.elem == K::Int || t.elem == K::Number;
        bool ordered = f->param == Param::OrderedProperty && (t.elem == K::Time || t.elem == K::Duration);
        if (numeric || ordered) return true;
        error(Code::BadAggregate, s.file, a->span,
              fmt::format("`{}` needs a numeric property, but this property is {}", fn, type_kind_name(t.elem)));
        return false;
      }
      case Param::Time: return value(a, t, s.file) && want(a, t, {K::Time}, "a time");
      case Param::String:
        return value(a, t, s.file) && want(a, t, {K::String}, f->arity == 1 ? "a string" : "strings");
      case Param::Sized:
        return value(a, t, s.file) &&
               want(a, t, {K::String, K::StringSet, K::List}, "a string, a set or a list");
      case Param::Value: return value(a, t, s.file);
    }
    return false;
  };

  bool ok = true;
  Type arg;  // the last argument: first/last, min/max take their type from it
  for (const ast::Expr* a : e->args) {
    arg = expr(a, s);
    ok = argument(a, arg) && ok;
  }
  // A predicate stays bool when an argument is wrong, so the condition around it is still
  // checked; any other call with a wrong argument has no type.
  if (!ok && f->result != Result::Bool) return set(e, Type::of(K::Error));
  switch (f->result) {
    case Result::Bool: return set(e, Type::of(K::Bool));
    case Result::Int: return set(e, Type::of(K::Int));
    case Result::Number: return set(e, Type::of(K::Number));
    case Result::String: return set(e, Type::of(K::String));
    case Result::Duration: return set(e, Type::of(K::Duration));
    case Result::Event: {
      Type ev = Type::of(K::Event);
      ev.event = arg.event;
      return set(e, ev);
    }
    case Result::NumberOrTime:
      return set(e, Type::of(arg.elem == K::Time || arg.elem == K::Duration ? arg.elem : K::Number));
  }
  return set(e, Type::of(K::Error));
}

}  // namespace seg::sema
