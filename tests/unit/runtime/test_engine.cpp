// The interpreter and the engine on small rule sets: the deadline kernel's instants,
// missing values, and checkpoints that round-trip.
#include <doctest/doctest.h>

#include "runtime/engine/engine.h"
#include "runtime/io/file_sink.h"
#include "rules_fixture.h"

namespace {

const char* kSchema = R"(
profile {
  email: string @id
  ltv:   number
  orders: int
  seen:  time
}
event purchased { order_value: number, refunded: bool }
)";

std::unique_ptr<seg::ir::Bundle> bundle(const std::string& rules) { return seg::test::compile_rules(kSchema, rules); }

using seg::test::at;

seg::rt::Record identify(const char* id, const char* t) {
  seg::rt::Record r;
  r.kind = seg::rt::RecordKind::Identify;
  r.profile = id;
  r.ts = at(t);
  return r;
}

seg::rt::Record purchase(const seg::ir::Bundle& b, const char* id, const char* t) {
  seg::rt::Record r;
  r.kind = seg::rt::RecordKind::Track;
  r.profile = id;
  r.ts = at(t);
  r.event = b.event("purchased");
  r.props.assign(2, seg::rt::Value());
  return r;
}

}  // namespace

TEST_CASE("deadline: an ago() window opens and closes at its exact instants") {
  auto b = bundle("segment replenish = ago(last(purchased).time) between 21d and 35d\n");
  seg::rt::MemorySink sink(0);
  seg::rt::Engine e(*b, sink);
  e.process(purchase(*b, "u1", "2026-01-01T10:00:00Z"));
  e.close_instant();
  seg::rt::Profile* p = e.find("u1");
  REQUIRE(p);
  // Not a member yet; the next instant it may change is 21 days later, exactly.
  CHECK(p->deadline == at("2026-01-22T10:00:00Z"));
  e.advance_to(at("2026-01-22T10:00:00Z"));
  e.close_instant();
  CHECK(p->bit(p->member, b->audience("replenish")));
  // Inclusive upper bound: still in at 35d, out 1 ms later.
  CHECK(p->deadline == at("2026-02-05T10:00:00.001Z"));
}

TEST_CASE("deadline: a window ends at ts + D, and only the latest entry is kept for `within`") {
  auto b = bundle("segment recent = purchased within 1d\n");
  CHECK(b->slots.at(0).latest_only);
  seg::rt::MemorySink sink(0);
  seg::rt::Engine e(*b, sink);
  e.process(purchase(*b, "u1", "2026-01-01T10:00:00Z"));
  e.process(purchase(*b, "u1", "2026-01-01T12:00:00Z"));
  e.close_instant();
  seg::rt::Profile* p = e.find("u1");
  CHECK(p->slots[0].view().entries.size() == 1);
  CHECK(p->deadline == at("2026-01-02T12:00:00Z"));
}

TEST_CASE("missing values: comparisons are false, not of them true, ?? and has") {
  auto b = bundle(R"(
segment big = ltv >= 100
segment not_big = not (ltv >= 100)
segment has_ltv = has(ltv)
segment default_big = (ltv ?? 500) >= 100
segment div = orders / 0 >= 0
segment not_in = email not in ["a@example.com"]
)");
  seg::rt::MemorySink sink(0);
  seg::rt::Engine e(*b, sink);
  e.process(identify("u1", "2026-01-01T10:00:00Z"));
  e.close_instant();
  seg::rt::Profile* p = e.find("u1");
  auto in = [&](const char* a) { return p->bit(p->member, b->audience(a)); };
  CHECK_FALSE(in("big"));
  CHECK(in("not_big"));
  CHECK_FALSE(in("has_ltv"));
  CHECK(in("default_big"));
  CHECK_FALSE(in("div"));
  CHECK_FALSE(in("not_in"));  // `not in` is a comparison: false on a missing value
}

TEST_CASE("checkpoints round-trip byte for byte; other rules take them over as a rule change") {
  auto b = bundle("segment recent = count(purchased within 3d) >= 2\nsegment rich = ltv > 10\n");
  seg::rt::MemorySink sink(0);
  seg::rt::Engine e(*b, sink);
  e.process(purchase(*b, "u1", "2026-01-01T10:00:00Z"));
  e.process(purchase(*b, "u1", "2026-01-01T11:00:00Z"));
  e.process(identify("u2", "2026-01-01T12:00:00Z"));
  e.finish();
  std::string first, second, why;
  e.save(first);
  seg::rt::Engine again(*b, sink);
  REQUIRE(again.load(first, why));
  again.save(second);
  CHECK(first == second);
  CHECK(again.find("u1")->bit(again.find("u1")->member, b->audience("recent")));

  auto other = bundle("segment rich = ltv > 20\n");
  seg::rt::Engine e3(*other, sink);
  REQUIRE(e3.load(first, why));
  CHECK(e3.rule_change_pending());
  seg::rt::Engine e4(*b, sink);
  CHECK_FALSE(e4.load(first.substr(0, first.size() / 2), why));
}

TEST_CASE("layout: count(E within D) >= N keeps only the last N + 1 timestamps") {
  auto b = bundle("segment busy = count(purchased within 3d) >= 2\n");
  REQUIRE(b->slots.size() == 1);
  CHECK(b->slots[0].cap == 3);
  CHECK_FALSE(b->slots[0].latest_only);
  seg::rt::MemorySink sink(0);
  seg::rt::Engine e(*b, sink);
  for (const char* t : {"2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z", "2026-01-01T12:00:00Z",
                        "2026-01-01T13:00:00Z", "2026-01-01T14:00:00Z"})
    e.process(purchase(*b, "u1", t));
  e.close_instant();
  seg::rt::Profile* p = e.find("u1");
  CHECK(p->slots[0].view().entries.size() == 3);
  CHECK(p->bit(p->member, b->audience("busy")));
  // Still a member until the second-latest purchase leaves the window.
  e.advance_to(at("2026-01-04T12:59:59.999Z"));
  e.close_instant();
  CHECK(p->bit(p->member, b->audience("busy")));
  e.advance_to(at("2026-01-04T13:00:00Z"));
  e.close_instant();
  CHECK_FALSE(p->bit(p->member, b->audience("busy")));
}

TEST_CASE("layout: an aggregate other than a count threshold keeps the whole window") {
  auto b = bundle("segment some = count(purchased within 3d) * 2 >= 4\n");
  CHECK(b->slots[0].cap == 0);
  CHECK_FALSE(b->slots[0].latest_only);
}
