#pragma once
// What every lint rule sees, and the rules themselves (one per file, run by lint.cpp
// in this order).
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "compiler/lint/conditions.h"
#include "compiler/lint/lint.h"
#include "compiler/sema/program.h"

namespace seg::lint {

struct Context {
  const Compilation& c;
  const sema::Program& p;
  const ir::Bundle& b;
  const Config& cfg;
  Conditions cond;
  std::vector<Diagnostic>& out;

  Diagnostic& report(Code code, FileId file, Span span, std::string message);
  FileId file_of(const void* decl) const;
  bool user_file(FileId f) const;  // not the embedded stdlib
  // Destinations declared in the user's files, with their IR index.
  void each_destination(const std::function<void(const ast::DestinationDecl&, const ir::Destination&)>& f) const;
  // The AST condition of an audience (a segment's `when`, an arm's condition; null for `else`).
  const ast::Expr* condition(const std::string& audience) const;
  FileId audience_file(const std::string& audience) const;  // where its condition is written
  // Calls f on e and every sub-expression, with the polarity it is under (`not` flips it).
  static void walk(const ast::Expr* e, const std::function<void(const ast::Expr*, bool)>& f, bool positive = true);
};

void rule_audience_rot(Context& cx);      // SEG101
void rule_naming(Context& cx);            // SEG102
void rule_overlapping_ads(Context& cx);   // SEG103
void rule_over_sending(Context& cx);      // SEG104
void rule_unused(Context& cx);            // SEG105
void rule_unreachable_arm(Context& cx);   // SEG106
void rule_holdouts(Context& cx);          // SEG107, SEG111
void rule_negated_missing(Context& cx);   // SEG108
void rule_short_window(Context& cx);      // SEG109

}  // namespace seg::lint
