#pragma once
// Error recovery inside block declarations: `block_items<Item, Close, Start>` parses a
// block's items one by one. When an item fails (a `need<>` raises, or the text is no item
// at all), the error is handed to the caller's recovery state and the item is skipped up to
// the next line that starts an item of the same block (`Start`) or the block's `}`, so the
// other items of the declaration still parse. Without a recovery state among the parse
// states (or when it refuses: the per-file error cap), the error propagates as before.
#include <tao/pegtl/contrib/analyze_traits.hpp>

#include <concepts>

#include "grammar/lexical.h"

namespace seg::grammar {

// A declaration keyword in column 1: the start of the next top-level declaration, never
// skipped over by recovery (a missing `}` is the block's own error).
struct decl_keyword : sor<kw_profile, kw_event, kw_segment, kw_tiers, kw_destination, kw_measure,
                          kw_test, kw_default_region> {};

namespace recovery_detail {

// Finds the state with `recover(error, skipped_begin, skipped_end)`; false when none.
inline bool record(const parse_error&, const char*, const char*) { return false; }
template <typename S, typename... Ss>
bool record(const parse_error& e, const char* b, const char* end, S& s, Ss&... rest) {
  if constexpr (requires { { s.recover(e, b, end) } -> std::convertible_to<bool>; })
    return s.recover(e, b, end);
  else
    return record(e, b, end, rest...);
}

template <typename Rule>
bool starts_with(const char* p, const char* end) {
  memory_input<tracking_mode::lazy> in(p, end, "");
  return parse<Rule>(in);
}

// At the start of a line (p > begin and after a newline) with a declaration keyword.
inline bool at_declaration(const char* begin, const char* p, const char* end) {
  return p > begin && p[-1] == '\n' && starts_with<decl_keyword>(p, end);
}

// End of the text an item may cover, from `p` (the item's start): the rest of its line
// and any further lines up to one that starts (after indentation) with `Start` or `}` at
// the item's brace depth, or with a declaration keyword in column 1. Strings and comments
// are skipped; a `}` or `;` on the item's own line ends it there. An item is parsed within
// these bounds (so `when ltv >` does not take the next line's `ttl` as its operand), and a
// failed item is skipped up to them.
template <typename Start>
const char* skip_item(const char* begin, const char* p, const char* end) {
  const char* from = p;
  int depth = 0;
  while (p < end) {
    while (p < end && *p != '\n') {
      char c = *p;
      if (c == '"') {
        for (++p; p < end && *p != '"' && *p != '\n'; ++p)
          if (*p == '\\' && p + 1 < end && p[1] != '\n') ++p;
        if (p < end && *p == '"') ++p;
        continue;
      }
      if (c == '#' || (c == '/' && p + 1 < end && p[1] == '/')) {
        while (p < end && *p != '\n') ++p;
        break;
      }
      if (depth == 0 && c == '}' && p > from) return p;
      if (depth == 0 && c == ';') return p + 1;  // tier arms' separator
      if (c == '{') ++depth;  // only braces: an unclosed `(` is a usual mistake on a broken line
      if (c == '}' && depth > 0) --depth;
      ++p;
    }
    if (p >= end) return end;
    ++p;  // the newline
    if (at_declaration(begin, p, end)) return p;
    const char* q = p;
    while (q < end && (*q == ' ' || *q == '\t' || *q == '\r')) ++q;
    if (depth == 0 && q < end && (*q == '}' || starts_with<Start>(q, end))) return q;
  }
  return end;
}

}  // namespace recovery_detail

template <typename Item, typename Close, typename Start>
struct block_items {
  using rule_t = block_items;
  using subs_t = type_list<Item, Close, Start>;

  template <apply_mode A, rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    const char* begin = in.begin();
    for (;;) {
      (void)pegtl::match<_, A, rewind_mode::required, Action, Control>(in, st...);
      if (in.empty() || pegtl::match<at<Close>, apply_mode::nothing, rewind_mode::required, nothing,
                                     normal>(in))
        return true;
      const char* item = in.current();
      const char* to = recovery_detail::skip_item<Start>(begin, item, in.end());
      if (to <= item) to = item + 1;
      try {
        bool ok;
        if constexpr (requires { ParseInput(in.iterator(), to, in.source()); }) {
          ParseInput sub(in.iterator(), to, in.source());
          ok = pegtl::match<Item, A, rewind_mode::required, Action, Control>(sub, st...);
          if (ok) in.bump(static_cast<size_t>(sub.current() - in.current()));
        } else {
          auto m = in.template mark<rewind_mode::required>();
          ok = m(pegtl::match<Item, A, rewind_mode::active, Action, Control>(in, st...));
        }
        if (ok) continue;
        // Not an item: the next declaration after a missing `}` is the block's own error.
        if (recovery_detail::at_declaration(begin, item, in.end())) return true;
        Control<Close>::raise(static_cast<const ParseInput&>(in), st...);
      } catch (const parse_error& e) {
        if (recovery_detail::at_declaration(begin, item, in.end())) throw;
        if (!recovery_detail::record(e, item, to, st...)) throw;
        in.bump(static_cast<size_t>(to - in.current()));
      }
    }
  }
};

}  // namespace seg::grammar

// For PEGTL's analyze (tests/grammar): the items repeat like `star<Item>`.
template <typename Name, typename Item, typename Close, typename Start>
struct tao::pegtl::analyze_traits<Name, seg::grammar::block_items<Item, Close, Start>>
    : analyze_traits<Name, typename star<Item>::rule_t> {};
