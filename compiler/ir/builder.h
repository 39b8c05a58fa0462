#pragma once
// Checked factories: the only way IR nodes are made. Each checks arity and operand
// types (a violation is a compiler bug, reported by throwing std::logic_error) and
// computes the node's type and whether it moves with `now`.
#include "compiler/ir/ir.h"

namespace seg::ir {

class Builder {
 public:
  explicit Builder(Bundle& b) : b_(b) {}

  Expr constant(Value v);
  Expr boolean(bool v);
  Expr now();
  Expr attr(int32_t index);
  Expr profile_id();
  Expr prop(int32_t event, int32_t index);
  Expr not_(Expr a);
  Expr and_(Expr a, Expr b);
  Expr or_(Expr a, Expr b);
  Expr neg(Expr a);
  Expr arith(Op op, Expr a, Expr b);
  Expr cmp(Op op, Expr a, Expr b);
  Expr coalesce(Expr a, Expr b);
  // negated: `not in`, still false when x is missing.
  Expr in_list(Expr x, std::vector<Expr> items, bool negated);
  Expr in_set(Expr x, Expr set, bool negated);
  Expr has(Expr a);
  Expr call(Fn fn, std::vector<Expr> args);
  Expr matches(Expr a, int32_t regex);
  Expr agg(AggFn fn, int32_t slot, int32_t prop, Expr since);
  Expr event_field(Expr event, int32_t event_index, int32_t prop);
  Expr member(int32_t audience);

  // Rebuilds a node of the same kind with new operands (the Mutator's default).
  Expr rebuild(Expr old, std::vector<Expr> args);

 private:
  Node* make(Kind k, Type t, std::vector<Expr> args = {});
  Bundle& b_;
};

}  // namespace seg::ir
