#pragma once
// Top-level declarations (LANGUAGE.md §3, §5–8) and stdlib destination type declarations.
#include "grammar/expressions.h"
#include "grammar/recovery.h"

namespace seg::grammar {

struct block_open : one<'{'> {};

// Schema: `profile { name: type @id … }` and `event NAME { prop: type, … }`.
struct set_type : seq<kw_set, _, one<'<'>, _, need<ident>, _, need<one<'>'>>> {};
struct type_name : sor<set_type, ident> {};
struct annotation : seq<one<'@'>, need<ident>> {};
struct field_colon : one<':'> {};
struct field_decl : seq<ident, _, need<field_colon>, _, need<type_name>, star<_, annotation>> {};
// Block items recover one by one (grammar/recovery.h); `*_start` says which line begins
// the next item after a broken one.
struct field_item : seq<field_decl, _, opt<comma>> {};
struct field_start : seq<ident, star<blank>, one<':'>> {};
struct profile_close : one<'}'> {};
struct profile_decl : seq<kw_profile, _, need<block_open>,
                          block_items<field_item, profile_close, field_start>, need<profile_close>> {};
struct event_close : one<'}'> {};
struct event_body
    : seq<block_open, block_items<field_item, event_close, field_start>, need<event_close>> {};
struct event_decl : seq<kw_event, _, need<ident>, opt<_, event_body>> {};

// Segments: short form `segment N = cond`, long form with clauses.
struct ident_list : list<ident, seq<_, comma, _>> {};
struct description_clause : seq<kw_description, _, need<string_lit>> {};
struct when_clause : seq<kw_when, _, need<expr>> {};
struct exclude_clause : seq<kw_exclude, _, need<ident_list>> {};
struct ttl_clause : seq<kw_ttl, _, need<duration>> {};
struct salt_clause : seq<kw_salt, _, need<string_lit>> {};
struct holdout_clause : seq<kw_holdout, _, need<percent>, opt<_, salt_clause>> {};
struct segment_clause
    : sor<description_clause, when_clause, exclude_clause, ttl_clause, holdout_clause> {};
struct segment_close : one<'}'> {};
struct segment_start : sor<kw_description, kw_when, kw_exclude, kw_ttl, kw_holdout> {};
struct segment_long : seq<block_open, block_items<segment_clause, segment_close, segment_start>,
                          need<segment_close>> {};
struct segment_eq : one<'='> {};
struct segment_short : seq<segment_eq, _, need<expr>> {};
struct segment_body : sor<segment_short, segment_long> {};
struct segment_decl : seq<kw_segment, _, need<ident>, _, need<segment_body>> {};

// Tiers: `tiers N [from S] { arm: cond | else … }`.
struct arm_else : kw_else {};
struct arm_body : sor<arm_else, expr> {};
struct arm_colon : one<':'> {};
struct tier_arm : seq<ident, _, arm_colon, _, need<arm_body>> {};
struct arm_sep : one<';'> {};
struct tiers_item : sor<tier_arm, holdout_clause, ttl_clause> {};
struct tiers_from : seq<kw_from, _, need<ident>> {};
struct tiers_close : one<'}'> {};
struct tiers_entry : seq<tiers_item, _, opt<arm_sep>> {};
struct tiers_start : sor<seq<ident, star<blank>, arm_colon>, kw_holdout, kw_ttl> {};
struct tiers_decl : seq<kw_tiers, _, need<ident>, _, opt<tiers_from, _>, need<block_open>,
                        block_items<tiers_entry, tiers_close, tiers_start>, need<tiers_close>> {};

// Destinations.
struct audience_ref : seq<ident, opt<one<'.'>, need<ident>>> {};
struct audience_list : list<audience_ref, seq<_, comma, _>> {};
struct hash_clause : seq<kw_hash, _, need<ident>> {};
struct match_key : seq<ident, opt<_, hash_clause>> {};
struct match_list : list<match_key, seq<_, comma, _>> {};
struct exit_action : sor<kw_remove, kw_keep> {};
struct dest_type : seq<kw_type, _, need<ident>> {};
struct dest_audience : seq<kw_audience, _, need<audience_list>> {};
struct dest_name : seq<kw_name, _, need<string_lit>> {};
struct dest_match : seq<kw_match, _, need<match_list>> {};
// `fields ltv, last(added_to_cart).cart_value as cart_value`: attributes, or any value
// named with `as` (LANGUAGE.md §12).
struct field_alias : seq<kw_as, _, need<ident>> {};
struct dest_field : seq<postfix, opt<_, field_alias>> {};
struct dest_field_list : list<dest_field, seq<_, comma, _>> {};
struct dest_fields : seq<kw_fields, _, need<dest_field_list>> {};
struct dest_on_exit : seq<kw_on, _, need<kw_exit>, _, need<exit_action>> {};
struct dest_include : seq<kw_include, _, need<kw_holdout>> {};
// `drift [warn P] [fail Q]` and `labels { key: "text", … }` (LANGUAGE.md §12).
struct drift_warn : seq<kw_warn, _, need<percent>> {};
struct drift_fail : seq<kw_fail, _, need<percent>> {};
struct dest_drift : seq<kw_drift, opt<_, drift_warn>, opt<_, drift_fail>> {};
struct label_colon : one<':'> {};
struct label_entry : seq<ident, _, need<label_colon>, _, need<string_lit>> {};
struct labels_close : one<'}'> {};
struct dest_labels : seq<kw_labels, _, need<block_open>, _,
                         opt<list<label_entry, seq<_, comma, _>>, _>, need<labels_close>> {};
struct dest_item
    : sor<dest_type, dest_audience, dest_name, dest_match, dest_fields, dest_on_exit,
          dest_include, dest_drift, dest_labels> {};
struct dest_close : one<'}'> {};
struct dest_start : sor<kw_type, kw_audience, kw_name, kw_match, kw_fields, kw_on, kw_include,
                        kw_drift, kw_labels> {};
struct destination_decl : seq<kw_destination, _, need<ident>, _, need<block_open>,
                              block_items<dest_item, dest_close, dest_start>, need<dest_close>> {};

// Measures (LANGUAGE.md §12): `measure N { audience A  converts E [where C] within D
// value E.prop }`. A missing `within` is a sema error (SEG034), so the rest still checks.
struct measure_audience : seq<kw_audience, _, need<audience_ref>> {};
struct measure_converts
    : seq<kw_converts, _, need<ident>, opt<_, where_clause>, opt<_, within_clause>> {};
struct value_ref : seq<ident, opt<_, one<'.'>, _, need<member_name>>> {};
struct measure_value : seq<kw_value, _, need<value_ref>> {};
struct measure_item : sor<measure_audience, measure_converts, measure_value, description_clause> {};
struct measure_close : one<'}'> {};
struct measure_start : sor<kw_audience, kw_converts, kw_value, kw_description> {};
struct measure_decl : seq<kw_measure, _, need<ident>, _, need<block_open>,
                          block_items<measure_item, measure_close, measure_start>, need<measure_close>> {};

// Destination type declarations: `destination type NAME { category ads … }`.
struct dtype_category : seq<kw_category, _, need<ident>> {};
struct dtype_normalize : seq<kw_normalize, _, need<ident>> {};
struct dtype_key : seq<kw_key, _, need<ident>, opt<_, dtype_normalize>, opt<_, hash_clause>> {};
struct dtype_fields : seq<kw_fields, _, need<number>> {};
struct dtype_batch : seq<kw_batch, _, need<number>> {};
struct dtype_updates : seq<kw_updates, _, need<bool_lit>> {};
struct dtype_latency : seq<kw_latency, _, need<duration>> {};
struct dtype_item : sor<dtype_category, dtype_key, dtype_fields, dtype_batch, dtype_updates,
                        dtype_latency, description_clause> {};
struct dtype_close : one<'}'> {};
struct dtype_head : seq<kw_destination, _, kw_type, _, ident, _, block_open> {};
struct dtype_start : sor<kw_category, kw_key, kw_fields, kw_batch, kw_updates, kw_latency,
                         kw_description> {};
struct dtype_decl : seq<dtype_head, block_items<dtype_item, dtype_close, dtype_start>, need<dtype_close>> {};

// Tests (LANGUAGE.md §8).
struct profile_id : sor<ident, string_lit> {};
struct obj_colon : one<':'> {};
struct obj_entry : seq<ident, _, need<obj_colon>, _, need<expr>> {};
struct obj_close : one<'}'> {};
struct obj_lit : seq<block_open, _, opt<list<obj_entry, seq<_, comma, _>>, _>, need<obj_close>> {};
struct step_profile : seq<kw_profile, _, need<profile_id>, _, need<obj_lit>> {};
struct step_at : seq<kw_at, _, need<timestamp>> {};
struct step_event : seq<kw_event, _, need<profile_id>, _, need<ident>, opt<_, obj_lit>> {};
struct op_kind : sor<kw_add, kw_remove, kw_update> {};
struct op_at : seq<kw_at, _, need<timestamp>> {};
struct expect_op : seq<op_kind, _, need<profile_id>, opt<_, op_at>> {};
struct ops_close : one<'}'> {};
struct expect_ops_head : seq<kw_ops, _, ident, _, block_open> {};
struct expect_ops : seq<expect_ops_head, _, star<expect_op, _>, need<ops_close>> {};
struct expect_not : kw_not {};
struct expect_in_kw : kw_in {};
struct expect_member
    : seq<profile_id, _, opt<expect_not, _>, need<expect_in_kw>, _, need<audience_ref>> {};
struct expect_body : sor<expect_ops, expect_member> {};
struct step_expect : seq<kw_expect, _, need<expect_body>> {};
struct test_step : sor<step_profile, step_at, step_event, step_expect> {};
struct test_close : one<'}'> {};
struct test_start : sor<kw_profile, kw_at, kw_event, kw_expect> {};
struct test_decl : seq<kw_test, _, need<string_lit>, _, need<block_open>,
                       block_items<test_step, test_close, test_start>, need<test_close>> {};

struct default_region_decl : seq<kw_default_region, _, need<string_lit>> {};

struct declaration : sor<profile_decl, event_decl, segment_decl, tiers_decl, dtype_decl,
                         destination_decl, measure_decl, test_decl, default_region_decl> {};

// One declaration at a time: the parser loops and resynchronises after errors.
struct declaration_start : seq<declaration> {};
struct one_declaration : seq<need<declaration_start>> {};

}  // namespace seg::grammar
