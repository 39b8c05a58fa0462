#pragma once
// The table of built-in functions (functions.def) as C++ data: one FunctionInfo per
// function a rule can call, in table order, and a lookup by spelling. Sema, the IR,
// the IR builder and lowering read it; nothing here depends on the compiler, so the
// parameter and result kinds below are the table's own words, which each reader maps
// onto its types (sema::TypeKind, ir::Type).
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace seg::builtins {

// How a built-in is lowered (and where it is described in docs/language.md).
enum class Family : uint8_t {
  Aggregate,  // over an event history: an ir::AggFn
  Time,       // arithmetic on `now`
  Presence,   // missing values: ir::Kind::Has
  String,     // a scalar helper: an ir::Fn in an ir::Kind::Call node
};

// What every argument of a built-in must be, as sema checks it.
enum class Param : uint8_t {
  Events,           // an event history, `E [where …] [within …] [since …]`
  NumberProperty,   // an event property, `E.p …`, of type int or number
  OrderedProperty,  // an event property of type int, number, time or duration
  Time,             // a time value
  String,           // a string value
  Sized,            // a string, a set<string> or a list literal
  Value,            // any value
};

// The type of a call.
enum class Result : uint8_t {
  Bool,
  Int,
  Number,
  String,
  Duration,
  Event,         // one event of the argument's history: `first(E).p`, `last(E).time`
  NumberOrTime,  // number; a time or duration property keeps its type
};

enum class Function : uint8_t {
#define SEG_BUILTIN(e, name, family, arity, param, result, desc) e,
#include "stdlib/builtins/functions.def"
};

struct FunctionInfo {
  Function id;
  std::string_view name;  // the spelling in rules
  Family family;
  size_t arity;
  Param param;
  Result result;
  std::string_view description;
};

inline constexpr FunctionInfo kFunctions[] = {
#define SEG_BUILTIN(e, name, family, arity, param, result, desc) \
  {Function::e, name, Family::family, arity, Param::param, Result::result, desc},
#include "stdlib/builtins/functions.def"
};

constexpr const FunctionInfo& function_info(Function f) { return kFunctions[static_cast<size_t>(f)]; }

// The built-in spelled `name` in rules, or null.
constexpr const FunctionInfo* find_function(std::string_view name) {
  for (const FunctionInfo& f : kFunctions)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace seg::builtins
