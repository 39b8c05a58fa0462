#pragma once
// The one table of parse-error messages. A rule listed here raises its message when it
// fails inside `must<>`; a failing rule without an entry gets a generic message.
#include "grammar/declarations.h"

namespace seg::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

#define SEG_PARSE_ERROR(rule, text) \
  template <>                       \
  inline constexpr const char* error_message<rule> = text;

SEG_PARSE_ERROR(declaration_start,
                "expected a declaration (`profile`, `event`, `segment`, `tiers`, `destination`, "
                "`measure`, `test` or `default_region`)")
SEG_PARSE_ERROR(expr, "expected an expression")
SEG_PARSE_ERROR(not_expr, "expected a condition")
SEG_PARSE_ERROR(and_expr, "expected a condition")
SEG_PARSE_ERROR(unary, "expected an operand")
SEG_PARSE_ERROR(mul_expr, "expected an operand")
SEG_PARSE_ERROR(add_expr, "expected an operand")
SEG_PARSE_ERROR(cmp_rhs, "expected a value to compare with")
SEG_PARSE_ERROR(between_and, "expected `and` in `between … and …`")
SEG_PARSE_ERROR(paren_close, "expected `)`")
SEG_PARSE_ERROR(bracket_close, "expected `,` or `]` in a list")
SEG_PARSE_ERROR(member_name, "expected a property name after `.`")
SEG_PARSE_ERROR(where_cond, "expected a condition after `where` (use parentheses for `and`/`or`)")
SEG_PARSE_ERROR(window, "expected a duration such as `24h` after `within`")
SEG_PARSE_ERROR(since_time, "expected a time after `since`")
SEG_PARSE_ERROR(string_close, "unterminated string: expected `\"` before the end of the line")
SEG_PARSE_ERROR(string_lit, "expected a string in double quotes")
SEG_PARSE_ERROR(ident, "expected a name")
SEG_PARSE_ERROR(block_open, "expected `{`")
SEG_PARSE_ERROR(field_colon, "expected `:` between a field name and its type")
SEG_PARSE_ERROR(type_name, "expected a type (`bool`, `int`, `number`, `string`, `time`, "
                           "`duration` or `set<string>`)")
SEG_PARSE_ERROR(profile_close, "expected a field `name: type` or `}`")
SEG_PARSE_ERROR(event_close, "expected a property `name: type` or `}`")
SEG_PARSE_ERROR(ident_list, "expected a list of names separated by `,`")
SEG_PARSE_ERROR(duration, "expected a duration such as `24h`, `30m` or `1d12h`")
SEG_PARSE_ERROR(percent, "expected a percentage such as `10%`")
SEG_PARSE_ERROR(segment_body, "expected `=` and a condition, or a `{` block")
SEG_PARSE_ERROR(segment_close,
                "expected a segment clause (`description`, `when`, `exclude`, `ttl`, `holdout`) "
                "or `}`")
SEG_PARSE_ERROR(arm_body, "expected a condition or `else` after `:`")
SEG_PARSE_ERROR(tiers_close, "expected a tier arm `name: condition`, `holdout` or `}`")
SEG_PARSE_ERROR(audience_list, "expected an audience: a segment, a tiers block or `tiers.arm`")
SEG_PARSE_ERROR(audience_ref, "expected an audience: a segment, a tiers block or `tiers.arm`")
SEG_PARSE_ERROR(match_list, "expected match keys such as `email, phone`")
SEG_PARSE_ERROR(kw_exit, "expected `exit` after `on`")
SEG_PARSE_ERROR(exit_action, "expected `remove` or `keep` after `on exit`")
SEG_PARSE_ERROR(kw_holdout, "expected `holdout` after `include`")
SEG_PARSE_ERROR(dest_close,
                "expected a destination setting (`type`, `audience`, `name`, `match`, `fields`, "
                "`on exit`, `include holdout`, `drift`, `labels`) or `}`")
SEG_PARSE_ERROR(dest_field_list, "expected fields: attributes, or values named with `as`, separated by `,`")
SEG_PARSE_ERROR(label_colon, "expected `:` after the label's name")
SEG_PARSE_ERROR(labels_close, "expected a label `name: \"text\"`, `,` or `}`")
SEG_PARSE_ERROR(value_ref, "expected the converting event's numeric property, such as `purchased.order_value`")
SEG_PARSE_ERROR(measure_close,
                "expected a measure clause (`audience`, `converts`, `value`, `description`) or `}`")
SEG_PARSE_ERROR(dtype_close,
                "expected a destination type setting (`category`, `key`, `fields`, `batch`, "
                "`updates`, `latency`, `description`) or `}`")
SEG_PARSE_ERROR(number, "expected a number")
SEG_PARSE_ERROR(bool_lit, "expected `true` or `false`")
SEG_PARSE_ERROR(timestamp, "expected a timestamp such as `2026-03-01` or `2026-03-01T10:00:00Z`")
SEG_PARSE_ERROR(profile_id, "expected a profile id (a name or a string)")
SEG_PARSE_ERROR(obj_colon, "expected `:` after the attribute name")
SEG_PARSE_ERROR(obj_close, "expected `,` or `}`")
SEG_PARSE_ERROR(obj_lit, "expected `{` with attributes")
SEG_PARSE_ERROR(ops_close, "expected an expected op (`add`, `remove`, `update` ID [at T]) or `}`")
SEG_PARSE_ERROR(expect_in_kw, "expected `in` or `not in`")
SEG_PARSE_ERROR(expect_body, "expected `ops DESTINATION { … }` or `ID in AUDIENCE`")
SEG_PARSE_ERROR(test_close,
                "expected a test step (`profile`, `at`, `event`, `expect`) or `}`")

#undef SEG_PARSE_ERROR

// must_if<> policy: messages only where `must<>` raises, never on ordinary backtracking.
struct errors {
  template <typename Rule>
  static constexpr const char* message = error_message<Rule>;
  template <typename Rule>
  static constexpr bool raise_on_failure = false;
};

template <typename Rule>
using control = must_if<errors, normal, false>::control<Rule>;

}  // namespace seg::grammar
