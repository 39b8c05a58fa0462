// The grammar has no infinite loops or left recursion (PEGTL's analyze), and accepts and
// rejects what LANGUAGE.md says, rule by rule.
#include <doctest/doctest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/errors.h"

namespace g = seg::grammar;
namespace pegtl = tao::pegtl;

template <typename Rule>
bool full_match(const std::string& text) {
  pegtl::memory_input<> in(text, "test");
  try {
    return pegtl::parse<pegtl::seq<Rule, pegtl::eof>, pegtl::nothing, g::control>(in);
  } catch (const pegtl::parse_error&) {
    return false;
  }
}

TEST_CASE("grammar analysis finds no problems") {
  CHECK(pegtl::analyze<g::one_declaration>() == 0);
  CHECK(pegtl::analyze<g::expr>() == 0);
}

TEST_CASE("lexical rules") {
  for (auto ok : {"24h", "30s", "15m", "3d", "2w", "1d12h"}) CHECK_MESSAGE(full_match<g::duration>(ok), ok);
  for (auto bad : {"24", "24x", "1.5h", "h"}) CHECK_MESSAGE(!full_match<g::duration>(bad), bad);
  for (auto ok : {"42", "75.5", "1e6", "$75", "$75.50", "2E-3"}) CHECK_MESSAGE(full_match<g::number>(ok), ok);
  for (auto bad : {"-3", "75.", ".5", "$", "1e"}) CHECK_MESSAGE(!full_match<g::number>(bad), bad);
  for (auto ok : {"2026-03-01", "2026-03-01T10:00:00Z", "2026-03-01T10:00:00.123Z",
                  "2026-03-01T10:00:00+02:00", "2026-03-01t10:00:00z"})
    CHECK_MESSAGE(full_match<g::timestamp>(ok), ok);
  for (auto bad : {"2026-3-1", "2026-03-01T10:00Z", "2026-03-01T10:00:00"})
    CHECK_MESSAGE(!full_match<g::timestamp>(bad), bad);
  CHECK(full_match<g::percent>("10%"));
  CHECK(full_match<g::percent>("2.5%"));
  CHECK(full_match<g::string_lit>(R"("a \"b\" \\ \n \t \u00e9")"));
  CHECK(full_match<g::string_lit>(R"("bad \q")"));  // parses; unescape_string rejects it (SEG002)
  CHECK(!full_match<g::string_lit>("\"unterminated"));
  CHECK(full_match<g::ident>("cart_value"));
  CHECK(full_match<g::ident>("name"));     // contextual keyword: still a name
  CHECK(full_match<g::ident>("count"));    // built-ins have their own namespace
  CHECK(!full_match<g::ident>("segment"));  // reserved
  CHECK(!full_match<g::ident>("within"));
  CHECK(full_match<g::ident>("withinx"));
}

TEST_CASE("expressions") {
  for (auto ok : {"ltv >= 100", "not (ltv >= 100)", "a and b or not c", "x between 1 and 2",
                  "country in [\"US\", \"CA\"]", "\"vip\" in tags", "x not in []", "ltv ?? 0 > 5",
                  "-ltv * 2 + 3 % 4 / 5 - 6", "added_to_cart within 24h",
                  "purchased where not refunded within 14d and ltv > 5",
                  "purchased where (order_value > 50 and not refunded) within 30d",
                  "count(viewed_product within 3d) >= 2", "last(added_to_cart).cart_value >= $75",
                  "not purchased since last(added_to_cart)", "ago(last(purchased).time) between 21d and 35d",
                  "sum(purchased.order_value where refunded within 7d) > 0", "profile.ltv > 1",
                  "email matches \"^a.*\"", "now - 2d < last_order_date", "has(x)", "f()"})
    CHECK_MESSAGE(full_match<g::expr>(ok), ok);
  for (auto bad : {"ltv >=", "a and", "(a", "x between 1", "a within", "[1, 2", "a..b", "ltv > 10%"})
    CHECK_MESSAGE(!full_match<g::expr>(bad), bad);
}

TEST_CASE("declarations") {
  for (auto ok : {"profile { email: string @id @pii }", "event signed_up", "event signed_up {}",
                  "event e { a: number, b: string }", "segment s = ltv > 1",
                  "segment s {\n when a\n exclude b, c\n ttl 48h\n holdout 10% salt \"x\"\n}",
                  "tiers t from s {\n a: x > 1\n b: else\n}", "tiers t { a: x; b: y }",
                  "destination d {\n type warehouse\n audience a, t.b\n match id, email hash sha256\n"
                  " fields ltv\n on exit keep\n include holdout\n}",
                  "destination type x {\n category ads\n key email normalize email hash sha256\n}",
                  "test \"t\" {\n profile u1 { a: 1 }\n at 2026-03-01 event u1 e { p: \"x\" }\n"
                  " expect u1 in s\n expect \"u 2\" not in t.a\n expect ops d {\n  add u1 at 2026-03-01\n  remove u1\n }\n}",
                  "default_region \"US\""})
    CHECK_MESSAGE(full_match<g::one_declaration>(ok), ok);
  for (auto bad : {"segment = x", "segment s", "segment s { ttl }", "tiers { a: x }",
                   "destination d { type }", "profile { a }", "test t {}", "default_region US"})
    CHECK_MESSAGE(!full_match<g::one_declaration>(bad), bad);
}
