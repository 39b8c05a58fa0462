// The linter's proofs over conditions (compiler/lint/conditions.h): which audiences can
// be left, and the satisfiability check behind SEG103 and SEG106, on its edges: missing
// values, integer domains, related window counts, what it must not claim.
#include <doctest/doctest.h>

#include "compiler/driver/driver.h"
#include "compiler/lint/conditions.h"

namespace {

const char* kSchema = R"(
profile {
  email:  string @id
  ltv:    number
  orders: int
  plan:   string
  tags:   set<string>
}
event purchased { order_value: number }
event viewed { sku: string }
)";

std::unique_ptr<seg::ir::Bundle> bundle(const std::string& rules) {
  auto c = seg::compile_sources({{"rules.seg", std::string(kSchema) + rules}});
  REQUIRE_MESSAGE(!c->diags.has_errors(), "rules do not check");
  return seg::build_bundle(*c);
}

using Sat = seg::lint::Conditions::Sat;

Sat arm(const std::string& tiers, const char* name) {
  auto b = bundle(tiers);
  seg::lint::Conditions c(*b);
  return c.satisfiable({b->audience(name)}, {});
}

}  // namespace

TEST_CASE("lint conditions: a negated comparison also holds when the attribute is missing") {
  CHECK(arm("tiers t {\n  big: ltv >= 100\n  rest: not (ltv >= 100)\n}\n", "t.rest") == Sat::Yes);
  CHECK(arm("tiers t {\n  big: ltv >= 100\n  bigger: ltv >= 200\n}\n", "t.bigger") == Sat::No);
  CHECK(arm("tiers t {\n  big: ltv >= 100\n  small: ltv < 100\n}\n", "t.small") == Sat::Yes);
  CHECK(arm("tiers t {\n  big: has(ltv)\n  none: ltv >= 5\n}\n", "t.none") == Sat::No);
}

TEST_CASE("lint conditions: integer attributes have no value between 1 and 2") {
  CHECK(arm("tiers t {\n  a: plan == \"x\"\n  odd: orders > 1 and orders < 2\n}\n", "t.odd") == Sat::No);
  CHECK(arm("tiers t {\n  a: plan == \"x\"\n  odd: ltv > 1 and ltv < 2\n}\n", "t.odd") == Sat::Yes);
}

TEST_CASE("lint conditions: strings, lists and set items") {
  CHECK(arm("tiers t {\n  a: plan in [\"gold\", \"silver\"]\n  b: plan == \"gold\"\n}\n", "t.b") == Sat::No);
  CHECK(arm("tiers t {\n  a: plan in [\"gold\", \"silver\"]\n  b: plan != \"gold\"\n}\n", "t.b") == Sat::Yes);
  CHECK(arm("tiers t {\n  a: \"vip\" in tags\n  b: \"vip\" in tags and ltv > 5\n}\n", "t.b") == Sat::No);
}

TEST_CASE("lint conditions: counts of one event in nested windows are ordered") {
  CHECK(arm("tiers t {\n  month: purchased within 30d\n  week: purchased within 7d\n}\n", "t.week") == Sat::No);
  // The other way round is reachable: bought this month, not this week.
  CHECK(arm("tiers t {\n  week: purchased within 7d\n  month: purchased within 30d\n}\n", "t.month") != Sat::No);
  // Different events are unrelated; a filter makes another aggregate.
  CHECK(arm("tiers t {\n  month: purchased within 30d\n  week: viewed within 7d\n}\n", "t.week") == Sat::Yes);
}

TEST_CASE("lint conditions: what is not understood is never claimed satisfiable") {
  // lower() is opaque: the checker cannot know it can hold, so no "yes".
  CHECK(arm("tiers t {\n  a: ltv > 5\n  b: lower(plan) == \"x\"\n}\n", "t.b") == Sat::Unknown);
  // ... but a contradiction on it is still a contradiction.
  CHECK(arm("tiers t {\n  a: lower(plan) == \"x\"\n  b: lower(plan) == \"x\" and ltv > 1\n}\n", "t.b") == Sat::No);
}

TEST_CASE("lint conditions: which audiences can be left") {
  auto b = bundle(R"(
segment ever = purchased
segment twice = count(purchased) >= 2
segment recent = purchased within 7d
segment rich = ltv > 100
segment whales = max(purchased.order_value) >= 1000
segment tenured = ago(first(purchased).time) >= 90d
segment never_twice = not twice
segment capped {
  when purchased
  ttl 30d
}
segment staff = id in ["a", "b"]
)");
  seg::lint::Conditions c(*b);
  auto leave = [&](const char* a) { return c.may_leave(b->audience(a)); };
  CHECK_FALSE(leave("ever"));
  CHECK_FALSE(leave("twice"));
  CHECK_FALSE(leave("whales"));
  CHECK_FALSE(leave("tenured"));
  CHECK_FALSE(leave("staff"));
  CHECK(leave("recent"));
  CHECK(leave("rich"));
  CHECK(leave("never_twice"));
  CHECK(leave("capped"));
}
