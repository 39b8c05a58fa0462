#pragma once
// Expression lowering, shared by audiences, tiers arms and slot filters.
#include <map>
#include <string>

#include "compiler/ir/builder.h"
#include "compiler/sema/program.h"

namespace seg {

class ExprLowering {
 public:
  ExprLowering(const sema::Program& p, ir::Bundle& b) : p_(p), b_(b), build_(b) {}
  // A condition or value in profile context.
  ir::Expr lower(const ast::Expr* e);
  // A filter over the properties of event `event` (a slot's or a measure's `where`).
  ir::Expr lower_filter(const ast::Expr* e, int32_t event) { return expr(e, event); }
  ir::Builder& builder() { return build_; }

 private:
  ir::Expr expr(const ast::Expr* e, int event);  // event >= 0: inside `where` of that event
  ir::Expr binary(const ast::Expr* e, int event);
  ir::Expr call(const ast::Expr* e, int event);
  ir::Expr member(const ast::Expr* e, int event);
  ir::Expr query(const ast::Expr* e, ir::AggFn fn, int event);
  ir::Expr literal(const ast::Expr* e);
  ir::Expr event_time(ir::Expr agg);
  int32_t slot(int32_t event, ir::Expr filter, ir::SlotKind kind, int64_t window);
  int32_t regex(const std::string& pattern);
  sema::TypeKind type_of(const ast::Expr* e) const;
  const sema::Ref* ref(const ast::Expr* e) const;

  const sema::Program& p_;
  ir::Bundle& b_;
  ir::Builder build_;
  std::map<std::string, int32_t> slot_ids_;
};

// The IR type of a value type (schema types, event values); throws on the others.
ir::Type ir_type(sema::TypeKind k);

// A test literal or a list of them, as an IR constant of the declared type.
ir::Value literal_value(const ast::Expr* e, ir::Type want);

}  // namespace seg
