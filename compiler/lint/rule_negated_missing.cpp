// SEG108: `not (ltv >= 500)` is true when `ltv` (an attribute, an event property, a
// `last(E).p`) is missing (a comparison with a missing
// value is false, and its negation true), which quietly puts every profile without the
// attribute into the audience. Silent when the condition also tests `has(attr)` or
// gives a default with `??`.
#include <fmt/format.h>

#include "compiler/lint/lint_rules.h"

namespace seg::lint {
namespace {

const ast::Expr* strip(const ast::Expr* e) {
  while (e && e->kind == ast::ExprKind::Paren && !e->args.empty()) e = e->args[0];
  return e;
}

bool is_comparison(const ast::Expr* e) {
  if (e->kind == ast::ExprKind::Between) return true;
  if (e->kind != ast::ExprKind::Binary) return false;
  switch (e->op) {
    case ast::Op::Eq: case ast::Op::Ne: case ast::Op::Lt: case ast::Op::Le: case ast::Op::Gt: case ast::Op::Ge:
    case ast::Op::In: case ast::Op::NotIn: case ast::Op::Matches: return true;
    default: return false;
  }
}

}  // namespace

void rule_negated_missing(Context& cx) {
  // An operand that can be missing: an attribute, an event property, `last(E).p`.
  std::string scratch;
  auto attribute = [&](const ast::Expr* e) -> const std::string* {
    e = strip(e);
    if (!e) return nullptr;
    if (e->kind == ast::ExprKind::Member && !e->args.empty() && strip(e->args[0])->kind == ast::ExprKind::Call) {
      scratch = strip(e->args[0])->text + "(…)." + e->text;
      return &scratch;
    }
    auto r = cx.p.refs.find(e);
    if (r == cx.p.refs.end()) return nullptr;
    bool missing_ok = r->second.kind == sema::RefKind::Attribute || r->second.kind == sema::RefKind::Property;
    return missing_ok ? &r->second.name : nullptr;
  };
  auto check = [&](const ast::Expr* cond, FileId file) {
    std::set<std::string> guarded;  // has(x) in the condition
    Context::walk(cond, [&](const ast::Expr* e, bool) {
      if (e->kind == ast::ExprKind::Call && e->text == "has" && !e->args.empty())
        if (const std::string* a = attribute(e->args[0])) guarded.insert(*a);
    });
    Context::walk(cond, [&](const ast::Expr* e, bool) {
      if (e->kind != ast::ExprKind::Unary || e->op != ast::Op::Not || e->args.empty()) return;
      const ast::Expr* inner = strip(e->args[0]);
      if (!inner || !is_comparison(inner)) return;
      for (const ast::Expr* operand : inner->args) {
        const std::string* a = attribute(operand);
        if (!a || guarded.count(*a)) continue;
        auto& diag = cx.report(Code::NegatedMissing, file, e->span,
                               fmt::format("this is also true for every profile without `{}`: a comparison with a "
                                           "missing value is false, so its negation is true",
                                           *a));
        diag.help = fmt::format("write the opposite comparison (false when `{0}` is missing), give a default "
                                "(`({0} ?? 0)`), or add `has({0}) and`",
                                *a);
        return;
      }
    });
  };
  for (const auto& [name, s] : cx.p.segments)
    if (cx.user_file(cx.file_of(s))) check(s->when, cx.file_of(s));
  for (const auto& [name, t] : cx.p.tiers)
    if (cx.user_file(t.file))
      for (const ast::TierArm& arm : t.decl->arms) check(arm.cond, t.file);
}

}  // namespace seg::lint
