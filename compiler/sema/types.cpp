#include "compiler/sema/types.h"

#include "compiler/syntax/ast.h"

namespace seg::sema {

std::string type_kind_name(TypeKind k) {
  switch (k) {
    case TypeKind::Error: return "<error>";
    case TypeKind::Bool: return "bool";
    case TypeKind::Int: return "int";
    case TypeKind::Number: return "number";
    case TypeKind::String: return "string";
    case TypeKind::Time: return "time";
    case TypeKind::Duration: return "duration";
    case TypeKind::StringSet: return "set<string>";
    case TypeKind::List: return "list";
    case TypeKind::Event: return "event";
    case TypeKind::EventStream: return "event history";
    case TypeKind::PropStream: return "event property";
    case TypeKind::Audience: return "tiers block";
  }
  return "?";
}

std::string type_name(const Type& t) {
  switch (t.kind) {
    case TypeKind::List:
      return t.elem == TypeKind::Error ? "empty list" : "list<" + type_kind_name(t.elem) + ">";
    case TypeKind::Event:
      return t.event ? "event `" + t.event->name.name + "`" : "event";
    case TypeKind::EventStream:
      return t.event ? "history of event `" + t.event->name.name + "`" : "event history";
    case TypeKind::PropStream:
      return "property values of event `" + (t.event ? t.event->name.name : std::string("?")) + "`";
    default:
      return type_kind_name(t.kind);
  }
}

TypeKind type_from_name(const std::string& n) {
  if (n == "bool") return TypeKind::Bool;
  if (n == "int") return TypeKind::Int;
  if (n == "number") return TypeKind::Number;
  if (n == "string") return TypeKind::String;
  if (n == "time") return TypeKind::Time;
  if (n == "duration") return TypeKind::Duration;
  if (n == "set<string>") return TypeKind::StringSet;
  return TypeKind::Error;
}

}  // namespace seg::sema
