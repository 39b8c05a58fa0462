#pragma once
// Lexical rules of the .seg language (LANGUAGE.md §2): whitespace and comments,
// keywords, identifiers and literals.
#include <tao/pegtl.hpp>

namespace seg::grammar {
namespace pegtl = tao::pegtl;
using namespace tao::pegtl;

// Like must<Rule>, but a failure is reported where Rule started rather than where its
// match gave up, so "expected a duration" points at `3` in `ttl 3`, not after it.
template <typename Rule>
struct need : must<Rule> {
  template <apply_mode A, rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    {
      auto m = in.template mark<rewind_mode::required>();  // rewinds on scope exit if unmatched
      if (m(Control<Rule>::template match<A, rewind_mode::active, Action, Control>(in, st...)))
        return true;
    }
    Control<Rule>::raise(static_cast<const ParseInput&>(in), st...);
    return false;
  }
};

// Whitespace is insignificant everywhere (tier arms may also be separated by `;`).
struct line_comment : seq<sor<one<'#'>, two<'/'>>, until<eolf>> {};
struct ws : sor<plus<space>, line_comment> {};
struct _ : star<ws> {};

// Reserved keywords (LANGUAGE.md §10): never identifiers.
struct kw_profile : TAO_PEGTL_KEYWORD("profile") {};
struct kw_event : TAO_PEGTL_KEYWORD("event") {};
struct kw_segment : TAO_PEGTL_KEYWORD("segment") {};
struct kw_tiers : TAO_PEGTL_KEYWORD("tiers") {};
struct kw_destination : TAO_PEGTL_KEYWORD("destination") {};
struct kw_test : TAO_PEGTL_KEYWORD("test") {};
struct kw_when : TAO_PEGTL_KEYWORD("when") {};
struct kw_exclude : TAO_PEGTL_KEYWORD("exclude") {};
struct kw_and : TAO_PEGTL_KEYWORD("and") {};
struct kw_or : TAO_PEGTL_KEYWORD("or") {};
struct kw_not : TAO_PEGTL_KEYWORD("not") {};
struct kw_in : TAO_PEGTL_KEYWORD("in") {};
struct kw_between : TAO_PEGTL_KEYWORD("between") {};
struct kw_else : TAO_PEGTL_KEYWORD("else") {};
struct kw_true : TAO_PEGTL_KEYWORD("true") {};
struct kw_false : TAO_PEGTL_KEYWORD("false") {};
struct kw_now : TAO_PEGTL_KEYWORD("now") {};
struct kw_where : TAO_PEGTL_KEYWORD("where") {};
struct kw_within : TAO_PEGTL_KEYWORD("within") {};
struct kw_since : TAO_PEGTL_KEYWORD("since") {};

struct reserved
    : sor<kw_profile, kw_event, kw_segment, kw_tiers, kw_destination, kw_test, kw_when, kw_exclude,
          kw_and, kw_or, kw_not, kw_in, kw_between, kw_else, kw_true, kw_false, kw_now, kw_where,
          kw_within, kw_since> {};

// Contextual keywords: only where the grammar expects them.
struct kw_description : TAO_PEGTL_KEYWORD("description") {};
struct kw_ttl : TAO_PEGTL_KEYWORD("ttl") {};
struct kw_holdout : TAO_PEGTL_KEYWORD("holdout") {};
struct kw_salt : TAO_PEGTL_KEYWORD("salt") {};
struct kw_type : TAO_PEGTL_KEYWORD("type") {};
struct kw_audience : TAO_PEGTL_KEYWORD("audience") {};
struct kw_name : TAO_PEGTL_KEYWORD("name") {};
struct kw_match : TAO_PEGTL_KEYWORD("match") {};
struct kw_fields : TAO_PEGTL_KEYWORD("fields") {};
struct kw_on : TAO_PEGTL_KEYWORD("on") {};
struct kw_exit : TAO_PEGTL_KEYWORD("exit") {};
struct kw_remove : TAO_PEGTL_KEYWORD("remove") {};
struct kw_keep : TAO_PEGTL_KEYWORD("keep") {};
struct kw_include : TAO_PEGTL_KEYWORD("include") {};
struct kw_at : TAO_PEGTL_KEYWORD("at") {};
struct kw_expect : TAO_PEGTL_KEYWORD("expect") {};
struct kw_ops : TAO_PEGTL_KEYWORD("ops") {};
struct kw_add : TAO_PEGTL_KEYWORD("add") {};
struct kw_update : TAO_PEGTL_KEYWORD("update") {};
struct kw_from : TAO_PEGTL_KEYWORD("from") {};
struct kw_default_region : TAO_PEGTL_KEYWORD("default_region") {};
struct kw_hash : TAO_PEGTL_KEYWORD("hash") {};
struct kw_set : TAO_PEGTL_KEYWORD("set") {};
struct kw_matches : TAO_PEGTL_KEYWORD("matches") {};
// Destination type declarations (stdlib only by convention; see docs/language.md).
struct kw_category : TAO_PEGTL_KEYWORD("category") {};
struct kw_key : TAO_PEGTL_KEYWORD("key") {};
struct kw_normalize : TAO_PEGTL_KEYWORD("normalize") {};
struct kw_batch : TAO_PEGTL_KEYWORD("batch") {};
struct kw_updates : TAO_PEGTL_KEYWORD("updates") {};
struct kw_latency : TAO_PEGTL_KEYWORD("latency") {};
// Measurement and health (LANGUAGE.md §12).
struct kw_measure : TAO_PEGTL_KEYWORD("measure") {};
struct kw_converts : TAO_PEGTL_KEYWORD("converts") {};
struct kw_value : TAO_PEGTL_KEYWORD("value") {};
struct kw_drift : TAO_PEGTL_KEYWORD("drift") {};
struct kw_warn : TAO_PEGTL_KEYWORD("warn") {};
struct kw_fail : TAO_PEGTL_KEYWORD("fail") {};
struct kw_labels : TAO_PEGTL_KEYWORD("labels") {};
struct kw_as : TAO_PEGTL_KEYWORD("as") {};

struct ident : seq<not_at<reserved>, identifier> {};

// Literals.
struct hexquad : rep<4, xdigit> {};
// Any escape parses; unescape_string() rejects unknown ones with a clear SEG002.
struct escape : seq<one<'\\'>, not_one<'\n', '\r'>> {};
struct string_char : sor<escape, seq<not_at<one<'\\'>>, not_one<'"', '\n', '\r'>>> {};
struct string_close : one<'"'> {};
struct string_lit : seq<one<'"'>, star<string_char>, need<string_close>> {};

struct digits : plus<digit> {};
struct date : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>> {};
struct clock : seq<rep<2, digit>, one<':'>, rep<2, digit>, one<':'>, rep<2, digit>,
                   opt<one<'.'>, digits>> {};
struct zone : sor<one<'Z', 'z'>, seq<one<'+', '-'>, rep<2, digit>, one<':'>, rep<2, digit>>> {};
struct timestamp : seq<date, opt<one<'T', 't'>, clock, zone>, not_at<identifier_other>> {};

struct duration_unit : one<'s', 'm', 'h', 'd', 'w'> {};
struct duration : seq<plus<digits, duration_unit>, not_at<identifier_other>> {};

struct exponent : seq<one<'e', 'E'>, opt<one<'+', '-'>>, digits> {};
struct number_body : seq<digits, opt<one<'.'>, digits>, opt<exponent>> {};
struct number : seq<opt<one<'$'>>, number_body, not_at<identifier_other>> {};
struct percent : seq<number_body, one<'%'>> {};

}  // namespace seg::grammar
