#pragma once
// Static types of expressions (LANGUAGE.md §3–4). Every value may also be missing at run
// time; that is a property of values, not of types.
#include <string>

namespace seg::ast {
struct EventDecl;
}

namespace seg::sema {

enum class TypeKind {
  Error,        // already reported: stays quiet
  Bool, Int, Number, String, Time, Duration, StringSet,
  List,         // a list literal; `elem` is its element type
  Event,        // one event value: first(E), last(E)
  EventStream,  // E [where …] [within …] [since …]: a condition, or the argument of count/first/last
  PropStream,   // E.p [where …] [within …]: only as the argument of sum/avg/min/max
  Audience,     // a tiers block named bare (only destinations may name one)
};

struct Type {
  TypeKind kind = TypeKind::Error;
  TypeKind elem = TypeKind::Error;        // List: element; PropStream: the property's type
  const ast::EventDecl* event = nullptr;  // Event, EventStream, PropStream

  static Type of(TypeKind k) { return Type{k}; }
  bool is(TypeKind k) const { return kind == k; }
  bool error() const { return kind == TypeKind::Error; }
  bool numeric() const { return kind == TypeKind::Int || kind == TypeKind::Number; }
  // Usable where a condition is expected: bool, or an event stream ("at least one").
  bool condition() const { return kind == TypeKind::Bool || kind == TypeKind::EventStream; }
};

std::string type_name(const Type& t);
std::string type_kind_name(TypeKind k);
// Parses a schema type spelling ("set<string>") into a kind; Error when unknown.
TypeKind type_from_name(const std::string& name);

}  // namespace seg::sema
