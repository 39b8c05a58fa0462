#include "compiler/ir/ir.h"

#include "compiler/ir/visitor.h"

namespace seg::ir {

const char* type_name(Type t) {
  switch (t) {
    case Type::Bool: return "bool";
    case Type::Int: return "int";
    case Type::Number: return "number";
    case Type::String: return "string";
    case Type::Time: return "time";
    case Type::Duration: return "duration";
    case Type::StringSet: return "set<string>";
    case Type::Event: return "event";
  }
  return "?";
}

const char* kind_name(Kind k) {
  switch (k) {
#define X(k) \
  case Kind::k: return #k;
    SEG_IR_KINDS(X)
#undef X
  }
  return "?";
}

const char* op_name(Op op) {
  static const char* kNames[] = {"?", "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">="};
  return kNames[static_cast<int>(op)];
}

const char* fn_name(Fn f) {
  switch (f) {
#define SEG_BUILTIN_STRING(e, name, arity, param, result, desc) \
  case Fn::e: return name;
#include "stdlib/builtins/functions.def"
  }
  return "?";
}

const char* agg_name(AggFn a) {
  switch (a) {
    case AggFn::Exists: return "exists";
#define SEG_BUILTIN_AGGREGATE(e, name, arity, param, result, desc) \
  case AggFn::e: return name;
#include "stdlib/builtins/functions.def"
  }
  return "?";
}

const char* normalize_name(Normalize n) {
  static const char* kNames[] = {"none", "email", "email_google", "phone_digits", "e164"};
  return kNames[static_cast<int>(n)];
}

namespace {
template <typename T>
int32_t find(const std::vector<T>& v, const std::string& name) {
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i].name == name) return static_cast<int32_t>(i);
  return -1;
}
}  // namespace

int32_t Bundle::attribute(const std::string& name) const { return find(attributes, name); }
int32_t Bundle::event(const std::string& name) const { return find(events, name); }
int32_t Bundle::audience(const std::string& name) const { return find(audiences, name); }
int32_t Bundle::destination(const std::string& name) const { return find(destinations, name); }

void for_each_root(Bundle& b, const std::function<void(Expr&)>& f) {
  for (auto& s : b.slots)
    if (s.filter) f(s.filter);
  for (auto& a : b.audiences) {
    if (a.when) f(a.when);
    if (a.cond) f(a.cond);
  }
  for (auto& d : b.destinations)
    for (auto& fld : d.fields)
      if (fld.expr) f(fld.expr);
  for (auto& m : b.measures)
    if (m.filter) f(m.filter);
}

void Mutator::run(Bundle& b) {
  for_each_root(b, [&](Expr& e) { e = mutate(e); });
}

}  // namespace seg::ir
