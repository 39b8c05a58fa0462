// Holdout lift statistics (runtime/service/lift.h) against values computed by hand (and
// checked with scipy: tests/health/measure_check.py does the same on a whole run).
#include <doctest/doctest.h>

#include "runtime/service/lift.h"

using namespace seg::rt;

namespace {
MeasureCounts counts(int64_t nT, int64_t xT, int64_t nH, int64_t xH) {
  MeasureCounts c;
  c.treatment = {nT, xT, 0};
  c.holdout = {nH, xH, 0};
  return c;
}
}  // namespace

TEST_CASE("lift: 12% against 8% of 1000 each") {
  Lift l = compute_lift(counts(1000, 120, 1000, 80), 0.5);
  REQUIRE(l.absolute);
  CHECK(l.absolute->estimate == doctest::Approx(0.04));
  // 0.04 ± 1.96 · sqrt(.12·.88/1000 + .08·.92/1000)
  CHECK(l.absolute->low == doctest::Approx(0.013762823691022174).epsilon(1e-9));
  CHECK(l.absolute->high == doctest::Approx(0.06623717630897782).epsilon(1e-9));
  REQUIRE(l.relative);
  CHECK(l.relative->estimate == doctest::Approx(0.5));
  // exp(ln 1.5 ± 1.96 · sqrt(.88/120 + .92/80)) - 1
  CHECK(l.relative->low == doctest::Approx(0.14624370149979748).epsilon(1e-9));
  CHECK(l.relative->high == doctest::Approx(0.9629333596825855).epsilon(1e-9));
  // pooled z = .04 / sqrt(.1·.9·2/1000) = 2.98142
  REQUIRE(l.p_value);
  CHECK(*l.p_value == doctest::Approx(0.0028691127920766127).epsilon(1e-7));
  CHECK(l.sample_ratio.chi_square == doctest::Approx(0));
  CHECK_FALSE(l.sample_ratio.flag);
  CHECK(l.status == "significant");
}

TEST_CASE("lift: insufficient below 30 conversions in an arm, whatever the p-value") {
  Lift l = compute_lift(counts(1000, 200, 1000, 29), 0.5);
  CHECK(*l.p_value < 1e-6);
  CHECK(l.status == "insufficient");
  CHECK(compute_lift(counts(1000, 60, 1000, 58), 0.5).status == "not_significant");
}

TEST_CASE("lift: the sample-ratio check flags a broken split") {
  // 1000 against 800 where 50% was drawn: chi-square (100² / 900) · 2 = 22.2, p = 2.4e-6.
  Lift l = compute_lift(counts(1000, 100, 800, 80), 0.5);
  CHECK(l.sample_ratio.chi_square == doctest::Approx(22.222222222222).epsilon(1e-9));
  CHECK(l.sample_ratio.p_value == doctest::Approx(2.4284674729758432e-06).epsilon(1e-6));
  CHECK(l.sample_ratio.flag);
  // 10% drawn: 900 against 100 is exactly right.
  CHECK_FALSE(compute_lift(counts(900, 90, 100, 10), 0.1).sample_ratio.flag);
}

TEST_CASE("lift: nothing to compare") {
  Lift none = compute_lift(counts(0, 0, 0, 0), 0.5);
  CHECK_FALSE(none.absolute);
  CHECK_FALSE(none.p_value);
  CHECK(none.status == "insufficient");
  Lift zero = compute_lift(counts(100, 5, 100, 0), 0.5);  // no relative lift over a 0% rate
  CHECK(zero.absolute);
  CHECK_FALSE(zero.relative);
}
