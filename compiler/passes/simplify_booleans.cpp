// `x and true` → x, `x or false` → x, `not true` → false, and so on. Only rewrites that
// hold under the missing-value rules (and/or/not treat missing as false).
#include "compiler/ir/visitor.h"
#include "compiler/passes/passes.h"

namespace seg::passes {
namespace {

bool is_const(ir::Expr e, bool v) {
  return e->kind == ir::Kind::Const && e->type == ir::Type::Bool && e->value.b == v;
}

class Simplify : public ir::Mutator {
 public:
  using Mutator::Mutator;
  ir::Expr visit(ir::Expr e) override {
    switch (e->kind) {
      case ir::Kind::Not:
        if (e->args[0]->kind == ir::Kind::Const && e->args[0]->type == ir::Type::Bool)
          return build.boolean(!e->args[0]->value.b);
        return e;
      case ir::Kind::And:
        if (is_const(e->args[0], false) || is_const(e->args[1], false)) return build.boolean(false);
        if (is_const(e->args[0], true)) return truthy(e->args[1]);
        if (is_const(e->args[1], true)) return truthy(e->args[0]);
        return e;
      case ir::Kind::Or:
        if (is_const(e->args[0], true) || is_const(e->args[1], true)) return build.boolean(true);
        if (is_const(e->args[0], false)) return truthy(e->args[1]);
        if (is_const(e->args[1], false)) return truthy(e->args[0]);
        return e;
      default: return e;
    }
  }

 private:
  // `true and x` is x only when x is never missing; otherwise keep a bool-making node.
  ir::Expr truthy(ir::Expr x) {
    switch (x->kind) {
      case ir::Kind::Not: case ir::Kind::And: case ir::Kind::Or: case ir::Kind::Cmp:
      case ir::Kind::InList: case ir::Kind::InSet: case ir::Kind::Has: case ir::Kind::Member:
      case ir::Kind::Const: case ir::Kind::Matches:
        return x;
      default: return build.and_(x, build.boolean(true));
    }
  }
};

}  // namespace

void simplify_booleans(ir::Bundle& b) { Simplify(b).run(b); }

}  // namespace seg::passes
