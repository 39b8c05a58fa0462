// Expressions on one line. Parentheses come only from Paren nodes, which the parser keeps,
// so the printed text always parses back to the same tree.
#include "compiler/syntax/formatter.h"

namespace seg {

std::string format_expr(const ast::Expr* e) {
  using K = ast::ExprKind;
  switch (e->kind) {
    case K::BoolLit: return e->flag ? "true" : "false";
    case K::NumberLit:
    case K::DurationLit:
    case K::TimeLit: return e->text;
    case K::StringLit: return e->raw;
    case K::Now: return "now";
    case K::Invalid: return "<invalid>";
    case K::Name: return e->text;
    case K::ProfileAttr: return "profile." + e->text;
    case K::Member: return format_expr(e->args[0]) + "." + e->text;
    case K::Paren: return "(" + format_expr(e->args[0]) + ")";
    case K::ListLit:
    case K::Call: {
      std::string out = e->kind == K::Call ? e->text + "(" : "[";
      for (size_t i = 0; i < e->args.size(); ++i) out += (i ? ", " : "") + format_expr(e->args[i]);
      return out + (e->kind == K::Call ? ")" : "]");
    }
    case K::Unary:
      return e->op == ast::Op::Not ? "not " + format_expr(e->args[0]) : "-" + format_expr(e->args[0]);
    case K::Binary: {
      std::string out = format_expr(e->args[0]);
      for (size_t i = 1; i < e->args.size(); ++i)
        out += std::string(" ") + ast::op_text(e->op) + " " + format_expr(e->args[i]);
      return out;
    }
    case K::Between:
      return format_expr(e->args[0]) + " between " + format_expr(e->args[1]) + " and " +
             format_expr(e->args[2]);
    case K::Query: {
      std::string out = format_expr(e->args[0]);
      if (e->where) out += " where " + format_expr(e->where);
      if (e->within) out += " within " + format_expr(e->within);
      if (e->since) out += " since " + format_expr(e->since);
      return out;
    }
  }
  return "";
}

}  // namespace seg
