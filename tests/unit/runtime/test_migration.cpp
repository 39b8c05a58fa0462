// Rule changes over a state (issue 5): what a checkpoint written by other rules carries
// into the new layout, what starts empty (and is reported), and the ops the
// re-evaluation emits.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>

#include "runtime/engine/engine.h"
#include "runtime/io/file_sink.h"
#include "rules_fixture.h"

namespace {

const char* kSchema = R"(
profile {
  email: string @id
  ltv:   number
  tier:  string
}
event purchased { order_value: number, refunded: bool }
)";

std::unique_ptr<seg::ir::Bundle> bundle(const std::string& rules) { return seg::test::compile_rules(kSchema, rules); }

using seg::test::at;

seg::rt::Record identify(const char* id, const char* t, double ltv) {
  seg::rt::Record r;
  r.kind = seg::rt::RecordKind::Identify;
  r.profile = id;
  r.ts = at(t);
  r.traits.push_back({1, seg::rt::Value::number(ltv)});  // ltv: the schema's second attribute
  return r;
}

seg::rt::Record purchase(const seg::ir::Bundle& b, const char* id, const char* t, double value) {
  seg::rt::Record r;
  r.kind = seg::rt::RecordKind::Track;
  r.profile = id;
  r.ts = at(t);
  r.event = b.event("purchased");
  r.props = {seg::rt::Value::number(value), seg::rt::Value()};
  return r;
}

// Runs `records` under `before`, checkpoints, loads the checkpoint under `after` and
// applies the rule change; `after_engine` is left with the new state.
struct Change {
  std::unique_ptr<seg::ir::Bundle> old_rules, new_rules;
  seg::rt::MemorySink old_sink{8}, sink{8};
  std::unique_ptr<seg::rt::Engine> engine;
  seg::rt::RuleChangeReport report;

  Change(const std::string& before, const std::string& after,
         const std::function<void(seg::rt::Engine&, const seg::ir::Bundle&)>& feed)
      : old_rules(bundle(before)), new_rules(bundle(after)) {
    seg::rt::Engine e(*old_rules, old_sink);
    feed(e, *old_rules);
    e.finish();
    std::string state, why;
    e.save(state);
    engine = std::make_unique<seg::rt::Engine>(*new_rules, sink);
    REQUIRE_MESSAGE(engine->load(state, why), why);
    REQUIRE(engine->rule_change_pending());
    report = engine->apply_rule_change();
  }
  bool member(const char* profile, const char* audience) {
    seg::rt::Profile* p = engine->find(profile);
    return p && p->bit(p->member, new_rules->audience(audience));
  }
  bool noted(const std::string& text) const {
    return std::any_of(report.notes.begin(), report.notes.end(),
                       [&](const std::string& n) { return n.find(text) != std::string::npos; });
  }
};

const char* kDest = R"(
destination wh {
  type warehouse
  audience rich
  name "WH_RICH_v1"
}
)";

}  // namespace

TEST_CASE("rule change: memberships are re-evaluated and the diff has reason rule_change") {
  Change c("segment rich = ltv > 100\n" + std::string(kDest), "segment rich = ltv > 50\n" + std::string(kDest),
           [](seg::rt::Engine& e, const seg::ir::Bundle&) {
             e.process(identify("u1", "2026-01-01T10:00:00Z", 200));
             e.process(identify("u2", "2026-01-01T10:00:00Z", 70));
             e.process(identify("u3", "2026-01-01T10:00:00Z", 10));
           });
  CHECK(c.old_sink.lines[0].size() == 1);  // u1
  REQUIRE(c.sink.lines[0].size() == 1);    // u2 enters under the new threshold
  const std::string& op = c.sink.lines[0][0];
  CHECK(op.find("\"op\":\"add\"") != std::string::npos);
  CHECK(op.find("\"profile\":\"u2\"") != std::string::npos);
  CHECK(op.find("\"reason\":\"rule_change\"") != std::string::npos);
  CHECK(op.find("\"ts\":\"2026-01-01T10:00:00Z\"") != std::string::npos);
  CHECK(c.report.profiles == 3);
  CHECK(c.report.ops == 1);
  CHECK(c.engine->audience_stats()[c.new_rules->audience("rich")].members == 2);
}

TEST_CASE("rule change: aggregates are carried when the old state kept what the new rules need") {
  // All-time totals by property: count and sum survive a change that reads fewer properties.
  Change c("segment big = sum(purchased.order_value) > 100\n", "segment repeat = count(purchased) >= 2\n",
           [](seg::rt::Engine& e, const seg::ir::Bundle& b) {
             e.process(purchase(b, "u1", "2026-01-01T10:00:00Z", 80));
             e.process(purchase(b, "u1", "2026-01-02T10:00:00Z", 80));
           });
  CHECK(c.member("u1", "repeat"));
  CHECK(c.engine->find("u1")->slots[0].count == 2);
  CHECK(c.report.notes.empty());
}

TEST_CASE("rule change: a shorter window keeps the old entries inside it; a longer one starts empty") {
  auto feed = [](seg::rt::Engine& e, const seg::ir::Bundle& b) {
    e.process(purchase(b, "u1", "2026-01-01T10:00:00Z", 1));
    e.process(purchase(b, "u1", "2026-01-03T09:00:00Z", 1));
    e.process(purchase(b, "u1", "2026-01-03T10:00:00Z", 1));
  };
  Change shorter("segment busy = count(purchased within 3d) >= 2\n", "segment busy = count(purchased within 1d) >= 2\n",
                 feed);
  CHECK(shorter.member("u1", "busy"));
  CHECK(shorter.engine->find("u1")->slots[0].view().entries.size() == 2);  // the 2026-01-01 one is out
  CHECK(shorter.report.notes.empty());

  Change longer("segment busy = count(purchased within 1d) >= 2\n", "segment busy = count(purchased within 3d) >= 3\n",
                feed);
  CHECK_FALSE(longer.member("u1", "busy"));
  CHECK(longer.noted("starts empty: the window grew from 1d"));
}

TEST_CASE("rule change: a higher count threshold than the old state kept starts empty, and says so") {
  Change c("segment busy = count(purchased within 3d) >= 2\n", "segment busy = count(purchased within 3d) >= 5\n",
           [](seg::rt::Engine& e, const seg::ir::Bundle& b) {
             e.process(purchase(b, "u1", "2026-01-01T10:00:00Z", 1));
           });
  CHECK(c.noted("kept only the last 3 of these events"));
  CHECK(c.engine->find("u1")->slots[0].data == nullptr);
}

TEST_CASE("rule change: new filters are new aggregates; attributes the old rules did not keep are reported") {
  Change c("segment any = count(purchased) >= 1\n",
           "segment big = count(purchased where order_value > 50) >= 1\nsegment gold = tier == \"gold\"\n",
           [](seg::rt::Engine& e, const seg::ir::Bundle& b) { e.process(purchase(b, "u1", "2026-01-01T10:00:00Z", 80)); });
  CHECK(c.noted("aggregate `purchased where (.order_value > 50)` starts empty: new aggregate"));
  CHECK(c.noted("attribute tier was not kept by the old rules"));
  CHECK_FALSE(c.member("u1", "big"));
}

TEST_CASE("rule change: a TTL added to an audience starts its members' clocks at the change") {
  Change c("segment rich = ltv > 100\n", "segment rich {\n  when ltv > 100\n  ttl 1d\n}\n",
           [](seg::rt::Engine& e, const seg::ir::Bundle&) { e.process(identify("u1", "2026-01-01T10:00:00Z", 200)); });
  CHECK(c.member("u1", "rich"));
  CHECK(c.noted("has a new TTL"));
  CHECK(c.engine->find("u1")->deadline == at("2026-01-02T10:00:00Z"));
}

TEST_CASE("rule change: a new downstream name adds there and removes from the old one") {
  auto feed = [](seg::rt::Engine& e, const seg::ir::Bundle&) { e.process(identify("u1", "2026-01-01T10:00:00Z", 200)); };
  std::string renamed = kDest;
  renamed.replace(renamed.find("WH_RICH_v1"), 10, "WH_RICH_v2");
  Change c("segment rich = ltv > 100\n" + std::string(kDest), "segment rich = ltv > 100\n" + renamed, feed);
  REQUIRE(c.sink.lines[0].size() == 2);
  CHECK(c.sink.lines[0][0].find("\"op\":\"remove\"") != std::string::npos);
  CHECK(c.sink.lines[0][0].find("\"audience\":\"WH_RICH_v1\"") != std::string::npos);
  CHECK(c.sink.lines[0][1].find("\"op\":\"add\"") != std::string::npos);
  CHECK(c.sink.lines[0][1].find("\"audience\":\"WH_RICH_v2\"") != std::string::npos);
  CHECK(c.report.removed_from_old == 1);

  std::string keep = renamed;
  keep.replace(keep.find("}"), 1, "  on exit keep\n}");
  Change k("segment rich = ltv > 100\n" + std::string(kDest), "segment rich = ltv > 100\n" + keep, feed);
  REQUIRE(k.sink.lines[0].size() == 1);  // the old audience keeps its members
  CHECK(k.sink.lines[0][0].find("\"audience\":\"WH_RICH_v2\"") != std::string::npos);
  CHECK(k.report.kept_in_old == 1);
}

TEST_CASE("rule change: a destination no longer in the rules is left as it is, and counted") {
  Change c("segment rich = ltv > 100\n" + std::string(kDest), "segment rich = ltv > 100\n",
           [](seg::rt::Engine& e, const seg::ir::Bundle&) { e.process(identify("u1", "2026-01-01T10:00:00Z", 200)); });
  CHECK(c.report.left_in_dropped == 1);
  CHECK(c.noted("destination wh is no longer in the rules"));
}

TEST_CASE("rule change: the same rules resume without a rule change") {
  auto b = bundle("segment rich = ltv > 100\n");
  seg::rt::MemorySink sink(0);
  seg::rt::Engine e(*b, sink);
  e.process(identify("u1", "2026-01-01T10:00:00Z", 200));
  e.finish();
  std::string state, why;
  e.save(state);
  seg::rt::Engine again(*b, sink);
  REQUIRE(again.load(state, why));
  CHECK_FALSE(again.rule_change_pending());
}
