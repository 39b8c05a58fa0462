#pragma once
// Expressions (LANGUAGE.md §4), lowest precedence first:
//   or · and · not · event-history suffixes (where/within/since) · comparison ·
//   ?? · + - · * / % · unary - · postfix (.prop, calls).
// The history suffixes sit just above comparison so that a `where` condition
// (a single comparison or `not` expression) never swallows the `within` that follows it.
#include "grammar/lexical.h"

namespace seg::grammar {

struct expr;

struct paren_close : one<')'> {};
struct bracket_close : one<']'> {};
struct comma : one<','> {};
struct paren_expr : seq<one<'('>, _, need<expr>, _, need<paren_close>> {};
struct list_items : list<expr, seq<_, comma, _>> {};
struct list_lit : seq<one<'['>, _, opt<list_items, _>, need<bracket_close>> {};
struct call_args : list<expr, seq<_, comma, _>> {};
struct call : seq<ident, _, one<'('>, _, opt<call_args, _>, need<paren_close>> {};
struct member_name : ident {};
struct profile_attr : seq<kw_profile, _, one<'.'>, _, need<member_name>> {};
struct name_ref : ident {};
struct bool_lit : sor<kw_true, kw_false> {};
struct now_lit : kw_now {};

struct primary
    : sor<paren_expr, list_lit, string_lit, timestamp, duration, number, bool_lit, now_lit,
          profile_attr, call, name_ref> {};

struct member_suffix : seq<one<'.'>, _, need<member_name>> {};
struct postfix : seq<primary, star<_, member_suffix>> {};

struct unary;
struct neg_op : one<'-'> {};
struct negation : seq<neg_op, _, need<unary>> {};
struct unary : sor<negation, postfix> {};

struct mul_op : sor<one<'*'>, seq<one<'/'>, not_at<one<'/'>>>, one<'%'>> {};
struct mul_expr : seq<unary, star<_, mul_op, _, need<unary>>> {};
struct add_op : one<'+', '-'> {};
struct add_expr : seq<mul_expr, star<_, add_op, _, need<mul_expr>>> {};
struct coalesce_op : two<'?'> {};
struct coalesce_expr : seq<add_expr, star<_, coalesce_op, _, need<add_expr>>> {};

struct cmp_op : sor<string<'=', '='>, string<'!', '='>, string<'<', '='>, string<'>', '='>,
                    one<'<'>, one<'>'>> {};
struct cmp_rhs : seq<coalesce_expr> {};
struct cmp_binary : seq<cmp_op, _, need<cmp_rhs>> {};
struct not_in_op : seq<kw_not, _, kw_in> {};
struct cmp_not_in : seq<not_in_op, _, need<cmp_rhs>> {};
struct cmp_in : seq<kw_in, _, need<cmp_rhs>> {};
struct cmp_matches : seq<kw_matches, _, need<cmp_rhs>> {};
struct between_and : kw_and {};
struct cmp_between : seq<kw_between, _, need<cmp_rhs>, _, need<between_and>, _, need<cmp_rhs>> {};
struct cmp_tail : sor<cmp_binary, cmp_not_in, cmp_in, cmp_matches, cmp_between> {};
struct cmp_expr : seq<coalesce_expr, opt<_, cmp_tail>> {};

// A `where` condition: one comparison, or `not` of one (parentheses for more).
struct where_cond;
struct where_not : seq<kw_not, _, need<where_cond>> {};
struct where_cond : sor<where_not, cmp_expr> {};
struct where_clause : seq<kw_where, _, need<where_cond>> {};
struct window : seq<duration> {};
struct within_clause : seq<kw_within, _, need<window>> {};
struct since_time : seq<coalesce_expr> {};
struct since_clause : seq<kw_since, _, need<since_time>> {};
struct query_expr
    : seq<cmp_expr, opt<_, where_clause>, opt<_, within_clause>, opt<_, since_clause>> {};

struct not_expr;
struct logical_not : seq<kw_not, _, need<not_expr>> {};
struct not_expr : sor<logical_not, query_expr> {};
struct and_expr : seq<not_expr, star<_, kw_and, _, need<not_expr>>> {};
struct or_expr : seq<and_expr, star<_, kw_or, _, need<and_expr>>> {};
struct expr : seq<or_expr> {};

}  // namespace seg::grammar
