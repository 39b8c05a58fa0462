// The bulk path's yardstick (issue 4): bench/bulk/rules.seg's predicates written by hand
// as a struct-of-arrays loop over the same columns the JIT's bulk kernel reads, timed in
// the same run as that kernel and the interpreter, on synthetic profiles. Exits 1 when
// the three disagree on any membership word, so it doubles as a smoke test.
//
//   seg_bulk_baseline [PROFILES] [REPEAT]      (default 1000000 5)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <random>

#include "compiler/driver/driver.h"
#include "runtime/interp/bulk.h"
#include "runtime/jit/jit.h"

#ifndef SEG_BENCH_DIR
#error "SEG_BENCH_DIR must name the bench/ directory"
#endif

using namespace seg;

namespace {

constexpr int64_t kDay = 86'400'000;

// Column accessors: the same representation the kernel reads (stdlib/abi.h).
struct Cols {
  const seg_bulk_batch& b;
  bool valid(int attr, int i) const { return (b.attr_valid[attr] >> i) & 1; }
  int64_t i64(int attr, int i) const { return b.attr_values[attr][i]; }
  double num(int attr, int i) const {
    double d;
    std::memcpy(&d, &b.attr_values[attr][i], sizeof d);
    return d;
  }
};

struct Indices {
  int ltv, orders, churn, country, subscribed, last_order, signup;
  int cart_slot, viewed_slot, purchased_slot;
  int high_value, at_risk, lapsed, us_buyers, cart_recent, new_customers, engaged, winback, top, mid, rest;
  int64_t us;  // interned "US"
};

// The hand-written loop: one pass over the lanes, every predicate as a C++ expression,
// missing attributes read as false, then the word-level exclusions and tiers priority.
void baseline(const seg_bulk_batch& batch, const Indices& x, uint64_t* out) {
  Cols c{batch};
  uint64_t hv = 0, ar = 0, la = 0, us = 0, cr = 0, nc = 0, en = 0, lt100 = 0;
  int64_t now = batch.now;
  for (int i = 0; i < batch.n; ++i) {
    uint64_t bit = uint64_t{1} << i;
    bool orders_ok = c.valid(x.orders, i);
    int64_t orders = c.i64(x.orders, i);
    if (c.valid(x.ltv, i) && c.num(x.ltv, i) >= 500 && orders_ok && orders >= 3) hv |= bit;
    if (c.valid(x.churn, i) && c.num(x.churn, i) > 0.7 && c.valid(x.subscribed, i) && c.i64(x.subscribed, i)) ar |= bit;
    if (c.valid(x.last_order, i)) {
      int64_t ago = now - c.i64(x.last_order, i);
      if (ago >= 90 * kDay && ago < 365 * kDay) la |= bit;
    }
    int64_t purchases = batch.slot_count[x.purchased_slot][i];
    if (c.valid(x.country, i) && c.i64(x.country, i) == x.us && purchases > 0) us |= bit;
    if (batch.slot_newest[x.cart_slot][i] > now - kDay) cr |= bit;
    if (c.valid(x.signup, i) && now - c.i64(x.signup, i) < 30 * kDay && orders_ok && orders == 0) nc |= bit;
    if (batch.slot_count[x.viewed_slot][i] >= 5 || purchases >= 2) en |= bit;
    if (c.valid(x.ltv, i) && c.num(x.ltv, i) >= 100) lt100 |= bit;
  }
  uint64_t all = batch.n == 64 ? ~uint64_t{0} : (uint64_t{1} << batch.n) - 1;
  out[x.high_value] = hv, out[x.at_risk] = ar, out[x.lapsed] = la, out[x.us_buyers] = us;
  out[x.cart_recent] = cr, out[x.new_customers] = nc, out[x.engaged] = en;
  out[x.winback] = la & ~ar & ~hv;
  out[x.top] = hv;
  out[x.mid] = (lt100 | en) & ~hv;
  out[x.rest] = all & ~hv & ~out[x.mid];
}

int slot_of(const ir::Bundle& b, const char* event) {
  for (size_t s = 0; s < b.slots.size(); ++s)
    if (b.events[b.slots[s].event].name == event) return static_cast<int>(s);
  return -1;
}

template <typename F>
double median_seconds(int repeat, F&& body) {
  std::vector<double> secs;
  for (int i = 0; i < repeat; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    body();
    secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(secs.begin(), secs.end());
  return secs[secs.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
  int repeat = argc > 2 ? std::max(1, std::stoi(argv[2])) : 5;
  auto compilation = compile({std::string(SEG_BENCH_DIR) + "/bulk/rules.seg"});
  if (compilation->diags.has_errors()) {
    std::cerr << "bench/bulk/rules.seg does not compile\n";
    return 3;
  }
  auto bundle = build_bundle(*compilation);
  const ir::Bundle& b = *bundle;
  rt::StringPool strings;
  rt::SetPool sets(strings);
  rt::Interpreter in(b, strings, sets);
  Indices x{b.attribute("ltv"), b.attribute("orders"), b.attribute("churn_score"), b.attribute("country"),
            b.attribute("subscribed"), b.attribute("last_order_date"), b.attribute("signup_date"),
            slot_of(b, "added_to_cart"), slot_of(b, "viewed_product"), slot_of(b, "purchased"),
            b.audience("high_value"), b.audience("at_risk"), b.audience("lapsed"), b.audience("us_buyers"),
            b.audience("cart_recent"), b.audience("new_customers"), b.audience("engaged"), b.audience("winback"),
            b.audience("value.top"), b.audience("value.mid"), b.audience("value.rest"), strings.intern("US")};

  // Synthetic profiles: every attribute missing 10% of the time, realistic ranges.
  std::mt19937_64 rng(42);
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const int64_t now = 1'780'000'000'000;
  const uint32_t countries[] = {strings.intern("US"), strings.intern("CA"), strings.intern("GB"), strings.intern("DE")};
  std::vector<rt::Profile> profiles;
  profiles.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    rt::Profile p = in.make_profile(strings.intern("p" + std::to_string(i)));
    auto maybe = [&](int attr, rt::Value v) {
      if (!chance(0.1)) p.attrs[attr] = v;
    };
    maybe(x.ltv, rt::Value::number(std::exponential_distribution<double>(1 / 250.0)(rng)));
    maybe(x.orders, rt::Value::integer(std::poisson_distribution<int>(2)(rng)));
    maybe(x.churn, rt::Value::number(std::uniform_real_distribution<double>(0, 1)(rng)));
    maybe(x.country, rt::Value::string(countries[rng() % 4]));
    maybe(x.subscribed, rt::Value::boolean(chance(0.6)));
    maybe(x.last_order, rt::Value::time(now - static_cast<int64_t>(rng() % (500 * kDay))));
    maybe(x.signup, rt::Value::time(now - static_cast<int64_t>(rng() % (400 * kDay))));
    p.slots[x.purchased_slot].count = std::poisson_distribution<int>(1.5)(rng);
    p.slots[x.viewed_slot].count = std::poisson_distribution<int>(4)(rng);
    if (chance(0.3)) {  // the window slot keeps its latest entry; newest_ts mirrors it
      rt::Entry e;
      e.ts = now - static_cast<int64_t>(rng() % (3 * kDay));
      p.slots[x.cart_slot].newest_ts = e.ts;
      p.slots[x.cart_slot].ensure().entries.push_back(std::move(e));
    }
    profiles.push_back(std::move(p));
  }

  std::string error;
  jit::Options opt;
  opt.bulk = true;
  auto compiled = jit::compile(b, opt, error);
  if (!compiled || !compiled->bulk) {
    std::cerr << "JIT: " << (compiled ? "no bulk kernel" : error) << "\n";
    return 3;
  }
  std::vector<std::unique_ptr<rt::BulkEvaluator>> batches;
  std::vector<rt::Profile*> rows;
  for (auto& p : profiles) rows.push_back(&p);
  for (size_t i = 0; i < n; i += 64) {
    batches.push_back(std::make_unique<rt::BulkEvaluator>(in));
    batches.back()->load(rows.data() + i, static_cast<int>(std::min<size_t>(64, n - i)));
  }

  // Agreement first: hand-written, JIT and interpreter give the same words.
  std::vector<uint64_t> hand(b.audiences.size());
  size_t bad = 0;
  for (auto& batch : batches) {
    baseline(batch->batch(now), x, hand.data());
    batch->evaluate(compiled->bulk, now);
    std::vector<uint64_t> jit = batch->words();
    batch->evaluate(nullptr, now);
    for (size_t a = 0; a < hand.size(); ++a)
      if (hand[a] != jit[a] || jit[a] != batch->words()[a]) {
        if (bad++ < 5)
          std::cerr << fmt::format("mismatch in {}: hand {:#x} jit {:#x} interp {:#x}\n", b.audiences[a].name, hand[a],
                                   jit[a], batch->words()[a]);
      }
  }
  uint64_t sink = 0;
  double hand_s = median_seconds(repeat, [&] {
    for (auto& batch : batches) {
      baseline(batch->batch(now), x, hand.data());
      sink += hand[0];
    }
  });
  double jit_s = median_seconds(repeat, [&] {
    for (auto& batch : batches) batch->evaluate(compiled->bulk, now);
  });
  double interp_s = median_seconds(std::min(repeat, 3), [&] {
    for (auto& batch : batches) batch->evaluate(nullptr, now);
  });
  double per = 1e9 / static_cast<double>(n);
  std::cout << fmt::format(
      "bulk path, {} audiences, {} profiles: hand-written SoA loop {:.2f} ns/profile, JIT bulk kernel -O2 {:.2f} "
      "ns/profile (jit/hand {:.2f}), interpreter {:.1f} ns/profile (interp/jit {:.0f}); {}\n",
      b.audiences.size(), n, hand_s * per, jit_s * per, jit_s / hand_s, interp_s * per, interp_s / jit_s,
      bad ? fmt::format("{} MISMATCHED WORDS", bad) : "all words agree");
  if (sink == 1) std::cout << "\n";  // keeps the baseline's results observable
  return bad ? 1 : 0;
}
