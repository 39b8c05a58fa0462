#pragma once
// Internal to the parser: turns PEGTL parse trees into AST nodes. The grammar decides
// what is syntax; this file decides what each piece means.
#include <tao/pegtl/contrib/parse_tree.hpp>

#include <optional>
#include <string_view>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"
#include "grammar/errors.h"

namespace seg::syntax {

using Node = tao::pegtl::parse_tree::node;
namespace g = seg::grammar;

// Left-deep operator chains longer than this are refused (SEG003): they would make
// every later recursive walk deep enough to exhaust the stack.
inline constexpr size_t kMaxChain = 256;

class TreeBuilder {
 public:
  TreeBuilder(ast::Ast& ast, FileId file, const char* base, DiagnosticBag& diags)
      : ast_(ast), file_(file), base_(base), diags_(diags) {}

  ast::Decl* declaration(const Node& n);
  ast::Expr* expr(const Node& n);

 private:
  Span span(const Node& n) const {
    return {static_cast<uint32_t>(n.m_begin.data - base_),
            static_cast<uint32_t>(n.m_end.data - base_)};
  }
  ast::Ident ident(const Node& n) const { return {n.string(), span(n)}; }
  const Node* child(const Node& n, size_t i) const {
    return i < n.children.size() ? n.children[i].get() : nullptr;
  }
  void error(Code code, Span s, std::string msg) { diags_.report(code, file_, s, std::move(msg)); }

  // Expressions.
  ast::Expr* literal(const Node& n);
  ast::Expr* invalid(ast::Expr* e);
  ast::Expr* chain(const Node& n);
  ast::Expr* nary(const Node& n, ast::Op op);
  ast::Expr* comparison(const Node& n);
  ast::Expr* query(const Node& n);
  ast::Expr* postfix(const Node& n);
  ast::Expr* millis_lit(const Node& n, ast::ExprKind kind, const char* what,
                        std::optional<int64_t> (*decode)(std::string_view, std::string&));
  ast::Expr* duration_lit(const Node& n);
  ast::Expr* time_lit(const Node& n);
  std::string string_value(const Node& n);

  // Declarations.
  ast::Decl* profile(const Node& n);
  ast::Decl* event(const Node& n);
  ast::Decl* segment(const Node& n);
  ast::Decl* tiers(const Node& n);
  ast::Decl* destination(const Node& n);
  ast::Decl* dest_type(const Node& n);
  ast::Decl* measure(const Node& n);
  ast::Decl* test(const Node& n);
  ast::Decl* default_region(const Node& n);
  ast::Field field(const Node& n);
  ast::Holdout holdout(const Node& n);
  ast::AudienceRef audience_ref(const Node& n);
  ast::ProfileIdRef profile_id(const Node& n);
  ast::TestStep test_step(const Node& n);
  std::vector<ast::Ident> ident_list(const Node& n);
  int64_t integer(const Node& n);
  ast::Decl* decl(ast::DeclKind kind, const Node& n);

  ast::Ast& ast_;
  FileId file_;
  const char* base_;
  DiagnosticBag& diags_;
};

// Which grammar rules become parse-tree nodes.
template <typename Rule>
using selector = tao::pegtl::parse_tree::selector<
    Rule,
    tao::pegtl::parse_tree::store_content::on<
        // expressions
        g::paren_expr, g::list_lit, g::string_lit, g::timestamp, g::duration, g::number,
        g::percent, g::bool_lit, g::now_lit, g::profile_attr, g::call, g::name_ref,
        g::member_name, g::member_suffix, g::negation, g::neg_op, g::mul_op, g::add_op,
        g::coalesce_op, g::cmp_op, g::cmp_binary, g::cmp_not_in, g::cmp_in, g::cmp_matches, g::cmp_between,
        g::cmp_expr, g::where_clause, g::within_clause, g::since_clause, g::query_expr,
        g::logical_not, g::where_not, g::postfix, g::mul_expr, g::add_expr, g::coalesce_expr,
        g::and_expr, g::or_expr, g::ident,
        // declarations
        g::profile_decl, g::event_decl, g::event_body, g::field_decl, g::type_name,
        g::annotation, g::segment_decl, g::segment_short, g::segment_long,
        g::description_clause, g::when_clause, g::exclude_clause, g::ttl_clause,
        g::holdout_clause, g::salt_clause, g::ident_list, g::tiers_decl, g::tiers_from,
        g::tier_arm, g::arm_else, g::destination_decl, g::audience_ref, g::audience_list,
        g::match_key, g::hash_clause, g::match_list, g::dest_type, g::dest_audience,
        g::dest_name, g::dest_match, g::dest_fields, g::dest_on_exit, g::dest_include,
        g::exit_action, g::dtype_decl, g::dtype_head, g::dtype_category, g::dtype_key,
        g::dtype_normalize, g::dtype_fields, g::dtype_batch, g::dtype_updates,
        g::dtype_latency, g::test_decl, g::profile_id, g::obj_lit, g::obj_entry,
        g::step_profile, g::step_at, g::step_event, g::step_expect, g::expect_ops,
        g::expect_ops_head, g::expect_op, g::op_kind, g::op_at, g::expect_member,
        g::expect_not, g::default_region_decl, g::dest_drift, g::drift_warn, g::drift_fail,
        g::dest_labels, g::label_entry, g::measure_decl, g::measure_audience, g::measure_converts,
        g::measure_value, g::value_ref, g::dest_field, g::dest_field_list, g::field_alias>>;

}  // namespace seg::syntax
