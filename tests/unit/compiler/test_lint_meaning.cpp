// SEG112's comparison of audience meanings across two bundles (compiler/lint/meaning.h):
// equal for a reformat and for renamed segments and tiers blocks, different (and which
// part) for a changed condition, exclusion, TTL, holdout or an earlier tier arm.
#include <doctest/doctest.h>

#include "compiler/driver/driver.h"
#include "compiler/lint/meaning.h"

namespace {

const char* kSchema = R"(
profile {
  email:  string @id
  ltv:    number
  orders: int
}
event purchased { order_value: number }
event added_to_cart { cart_value: number }
)";

std::unique_ptr<seg::ir::Bundle> bundle(const std::string& rules) {
  auto c = seg::compile_sources({{"rules.seg", std::string(kSchema) + rules}});
  REQUIRE_MESSAGE(!c->diags.has_errors(), "rules do not check");
  return seg::build_bundle(*c);
}

// "" when audience `a` of `old_rules` means what audience `b` of `new_rules` means, else
// the parts that differ.
std::string differs(const std::string& old_rules, const char* a, const std::string& new_rules, const char* b) {
  auto x = bundle(old_rules), y = bundle(new_rules);
  seg::lint::Meanings m;
  REQUIRE(x->audience(a) >= 0);
  REQUIRE(y->audience(b) >= 0);
  return seg::lint::Meanings::differences(m.of(*x, x->audience(a)), m.of(*y, y->audience(b)));
}

const std::string kTiers = R"(
segment buyers = purchased within 30d
tiers value from buyers {
  high: ltv >= 500
  mid:  ltv >= 100
  low:  else
}
)";

}  // namespace

TEST_CASE("meaning: a reformat is no change") {
  CHECK(differs("segment s = ltv >= 100 and orders > 2\n", "s", "segment s = 2 < orders and 100 <= ltv\n", "s") == "");
  CHECK(differs("segment s = purchased within 24h or ltv > 5\n", "s", "segment s = ltv > $5 or purchased within 1d\n",
                "s") == "");
  CHECK(differs("segment s = ltv >= 100\n", "s", "segment s = ltv > 100\n", "s") == "condition");
  // An int and a number compare alike; arithmetic keeps its types.
  CHECK(differs("segment s = orders >= 3\n", "s", "segment s = orders >= 3.0\n", "s") == "");
}

TEST_CASE("meaning: referenced segments compare by definition, not by name") {
  std::string old_rules = "segment a = ltv >= 100\nsegment s {\n  when orders > 1\n  exclude a\n}\n";
  std::string renamed = "segment big = ltv >= 100\nsegment t {\n  when orders > 1\n  exclude big\n}\n";
  CHECK(differs(old_rules, "s", renamed, "t") == "");
  std::string changed = "segment a = ltv >= 200\nsegment s {\n  when orders > 1\n  exclude a\n}\n";
  CHECK(differs(old_rules, "s", changed, "s") == "exclusions");
  CHECK(differs("segment a = ltv >= 100\nsegment s = a and orders > 1\n", "s",
                "segment a = ltv >= 101\nsegment s = a and orders > 1\n", "s") == "condition");
}

TEST_CASE("meaning: TTL and holdout, and the default salt is the segment's name") {
  CHECK(differs("segment s = ltv >= 1\n", "s", "segment s {\n  when ltv >= 1\n  ttl 2d\n}\n", "s") == "TTL");
  CHECK(differs("segment s {\n  when ltv >= 1\n  holdout 10%\n}\n", "s",
                "segment s {\n  when ltv >= 1\n  holdout 20%\n}\n", "s") == "holdout");
  CHECK(differs("segment s {\n  when ltv >= 1\n  holdout 10%\n}\n", "s",
                "segment t {\n  when ltv >= 1\n  holdout 10%\n}\n", "t") == "holdout");
  CHECK(differs("segment s {\n  when ltv >= 1\n  holdout 10% salt \"x\"\n}\n", "s",
                "segment t {\n  when ltv >= 1\n  holdout 10% salt \"x\"\n}\n", "t") == "");
  CHECK(differs("segment s = ltv >= 1\n", "s", "segment s {\n  when ltv >= 2\n  ttl 1d\n}\n", "s") ==
        "condition and TTL");
}

TEST_CASE("meaning: tier arms: own condition, earlier arms, universe") {
  CHECK(differs(kTiers, "value.mid", kTiers, "value.mid") == "");
  std::string renamed = kTiers;
  renamed.replace(renamed.find("tiers value"), 11, "tiers worth");
  CHECK(differs(kTiers, "value.mid", renamed, "worth.mid") == "");
  std::string earlier = kTiers;
  earlier.replace(earlier.find("ltv >= 500"), 10, "ltv >= 900");
  CHECK(differs(kTiers, "value.mid", earlier, "value.mid") == "tier arms");
  CHECK(differs(kTiers, "value.high", earlier, "value.high") == "condition");
  std::string universe = kTiers;
  universe.replace(universe.find("within 30d"), 10, "within 60d");
  CHECK(differs(kTiers, "value.low", universe, "value.low") == "tier arms");
}
