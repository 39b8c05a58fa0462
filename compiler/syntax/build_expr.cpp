// Parse tree -> AST for expressions.
#include <fmt/format.h>

#include "compiler/syntax/literals.h"
#include "compiler/syntax/tree_builder.h"

namespace seg::syntax {
namespace {

ast::Op op_from_text(std::string_view t) {
  static const std::pair<std::string_view, ast::Op> kOps[] = {
      {"==", ast::Op::Eq}, {"!=", ast::Op::Ne},  {"<=", ast::Op::Le},       {">=", ast::Op::Ge},
      {"<", ast::Op::Lt},  {">", ast::Op::Gt},   {"??", ast::Op::Coalesce}, {"+", ast::Op::Add},
      {"-", ast::Op::Sub}, {"*", ast::Op::Mul},  {"/", ast::Op::Div},       {"%", ast::Op::Mod}};
  for (auto [text, op] : kOps)
    if (text == t) return op;
  return ast::Op::None;
}

}  // namespace

// A literal already reported as invalid: later passes stay quiet about it.
ast::Expr* TreeBuilder::invalid(ast::Expr* e) {
  e->kind = ast::ExprKind::Invalid;
  return e;
}

std::string TreeBuilder::string_value(const Node& n) {
  std::string err;
  auto v = unescape_string(n.string_view(), err);
  if (!v) {
    error(Code::InvalidLiteral, span(n), "invalid string: " + err);
    return {};
  }
  return *v;
}

// Durations and timestamps: a millisecond value decoded from the source spelling.
ast::Expr* TreeBuilder::millis_lit(const Node& n, ast::ExprKind kind, const char* what,
                                   std::optional<int64_t> (*decode)(std::string_view, std::string&)) {
  ast::Expr* e = ast_.expr(kind, span(n));
  e->text = n.string();
  std::string err;
  if (auto ms = decode(e->text, err)) {
    e->millis = *ms;
    return e;
  }
  error(Code::InvalidLiteral, e->span, fmt::format("invalid {} `{}`: {}", what, e->text, err));
  return invalid(e);
}

ast::Expr* TreeBuilder::duration_lit(const Node& n) {
  return millis_lit(n, ast::ExprKind::DurationLit, "duration", parse_duration_ms);
}

ast::Expr* TreeBuilder::time_lit(const Node& n) {
  return millis_lit(n, ast::ExprKind::TimeLit, "timestamp", parse_timestamp_ms);
}

ast::Expr* TreeBuilder::literal(const Node& n) {
  if (n.is_type<g::string_lit>()) {
    ast::Expr* e = ast_.expr(ast::ExprKind::StringLit, span(n));
    e->text = string_value(n);
    e->raw = n.string();
    return e;
  }
  if (n.is_type<g::duration>()) return duration_lit(n);
  if (n.is_type<g::timestamp>()) return time_lit(n);
  if (n.is_type<g::number>()) {
    ast::Expr* e = ast_.expr(ast::ExprKind::NumberLit, span(n));
    e->text = n.string();
    e->flag = !e->text.empty() && e->text[0] == '$';
    std::string err;
    if (auto v = parse_number(e->text, err)) {
      e->number = *v;
      return e;
    }
    error(Code::InvalidLiteral, e->span, "invalid number `" + e->text + "`: " + err);
    return invalid(e);
  }
  if (n.is_type<g::bool_lit>()) {
    ast::Expr* e = ast_.expr(ast::ExprKind::BoolLit, span(n));
    e->flag = n.string_view() == "true";
    return e;
  }
  return ast_.expr(ast::ExprKind::Now, span(n));
}

ast::Expr* TreeBuilder::nary(const Node& n, ast::Op op) {
  if (n.children.size() == 1) return expr(*n.children[0]);
  ast::Expr* e = ast_.expr(ast::ExprKind::Binary, span(n));
  e->op = op;
  for (const auto& c : n.children) e->args.push_back(expr(*c));
  return e;
}

// `a op b op c` -> ((a op b) op c), capped at kMaxChain operands.
ast::Expr* TreeBuilder::chain(const Node& n) {
  if (n.children.size() > 2 * kMaxChain) {
    error(Code::NestingTooDeep, span(n),
          fmt::format("expression has more than {} operands in a row", kMaxChain));
    return ast_.expr(ast::ExprKind::Invalid, span(n));
  }
  ast::Expr* left = expr(*n.children[0]);
  for (size_t i = 1; i + 1 < n.children.size(); i += 2) {
    ast::Expr* right = expr(*n.children[i + 1]);
    ast::Expr* b = ast_.expr(ast::ExprKind::Binary, {left->span.begin, right->span.end});
    b->op = op_from_text(n.children[i]->string_view());
    b->args = {left, right};
    left = b;
  }
  return left;
}

ast::Expr* TreeBuilder::comparison(const Node& n) {
  ast::Expr* lhs = expr(*n.children[0]);
  if (n.children.size() == 1) return lhs;
  const Node& tail = *n.children[1];
  if (tail.is_type<g::cmp_between>()) {
    ast::Expr* e = ast_.expr(ast::ExprKind::Between, span(n));
    e->args = {lhs, expr(*tail.children[0]), expr(*tail.children[1])};
    return e;
  }
  ast::Expr* e = ast_.expr(ast::ExprKind::Binary, span(n));
  if (tail.is_type<g::cmp_binary>()) {
    e->op = op_from_text(tail.children[0]->string_view());
    e->args = {lhs, expr(*tail.children[1])};
  } else {
    e->op = tail.is_type<g::cmp_in>()      ? ast::Op::In
            : tail.is_type<g::cmp_matches>() ? ast::Op::Matches
                                             : ast::Op::NotIn;
    e->args = {lhs, expr(*tail.children[0])};
  }
  return e;
}

ast::Expr* TreeBuilder::query(const Node& n) {
  if (n.children.size() == 1) return expr(*n.children[0]);
  ast::Expr* q = ast_.expr(ast::ExprKind::Query, span(n));
  q->args = {expr(*n.children[0])};
  for (size_t i = 1; i < n.children.size(); ++i) {
    const Node& c = *n.children[i];
    if (c.is_type<g::where_clause>())
      q->where = expr(*c.children[0]);
    else if (c.is_type<g::within_clause>())
      q->within = duration_lit(*c.children[0]);
    else
      q->since = expr(*c.children[0]);
  }
  return q;
}

ast::Expr* TreeBuilder::postfix(const Node& n) {
  if (n.children.size() > kMaxChain) {
    error(Code::NestingTooDeep, span(n),
          fmt::format("more than {} `.property` accesses in a row", kMaxChain));
    return ast_.expr(ast::ExprKind::Invalid, span(n));
  }
  ast::Expr* left = expr(*n.children[0]);
  for (size_t i = 1; i < n.children.size(); ++i) {
    const Node& name = *n.children[i]->children[0];
    ast::Expr* m = ast_.expr(ast::ExprKind::Member, {left->span.begin, span(name).end});
    m->text = name.string();
    m->name_span = span(name);
    m->args = {left};
    left = m;
  }
  return left;
}

ast::Expr* TreeBuilder::expr(const Node& n) {
  if (n.is_type<g::expr>() || n.is_type<g::cmp_rhs>() || n.is_type<g::since_time>())
    return expr(*n.children[0]);
  if (n.is_type<g::or_expr>()) return nary(n, ast::Op::Or);
  if (n.is_type<g::and_expr>()) return nary(n, ast::Op::And);
  if (n.is_type<g::logical_not>() || n.is_type<g::where_not>() || n.is_type<g::negation>()) {
    bool neg = n.is_type<g::negation>();
    ast::Expr* e = ast_.expr(ast::ExprKind::Unary, span(n));
    e->op = neg ? ast::Op::Neg : ast::Op::Not;
    e->args = {expr(*n.children[neg ? 1 : 0])};
    return e;
  }
  if (n.is_type<g::query_expr>()) return query(n);
  if (n.is_type<g::cmp_expr>()) return comparison(n);
  if (n.is_type<g::coalesce_expr>() || n.is_type<g::add_expr>() || n.is_type<g::mul_expr>())
    return chain(n);
  if (n.is_type<g::postfix>()) return postfix(n);
  if (n.is_type<g::paren_expr>()) {
    ast::Expr* e = ast_.expr(ast::ExprKind::Paren, span(n));
    e->args = {expr(*n.children[0])};
    return e;
  }
  if (n.is_type<g::list_lit>()) {
    ast::Expr* e = ast_.expr(ast::ExprKind::ListLit, span(n));
    for (const auto& c : n.children) e->args.push_back(expr(*c));
    return e;
  }
  if (n.is_type<g::name_ref>()) {
    ast::Expr* e = ast_.expr(ast::ExprKind::Name, span(n));
    e->text = n.string();
    e->name_span = e->span;
    return e;
  }
  if (n.is_type<g::profile_attr>()) {
    ast::Expr* e = ast_.expr(ast::ExprKind::ProfileAttr, span(n));
    e->text = n.children[0]->string();
    e->name_span = span(*n.children[0]);
    return e;
  }
  if (n.is_type<g::call>()) {
    ast::Expr* e = ast_.expr(ast::ExprKind::Call, span(n));
    e->text = n.children[0]->string();
    e->name_span = span(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) e->args.push_back(expr(*n.children[i]));
    return e;
  }
  return literal(n);
}

}  // namespace seg::syntax
