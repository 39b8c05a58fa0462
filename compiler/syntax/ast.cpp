#include "compiler/syntax/ast.h"

namespace seg::ast {

const char* kind_name(ExprKind k) {
  switch (k) {
#define X(name) \
  case ExprKind::name: return #name;
    SEG_EXPR_KINDS(X)
#undef X
  }
  return "?";
}

const char* op_text(Op op) {
  switch (op) {
    case Op::None: return "";
    case Op::Or: return "or";
    case Op::And: return "and";
    case Op::Not: return "not";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::In: return "in";
    case Op::NotIn: return "not in";
    case Op::Matches: return "matches";
    case Op::Coalesce: return "??";
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Mod: return "%";
    case Op::Neg: return "-";
  }
  return "";
}

}  // namespace seg::ast
