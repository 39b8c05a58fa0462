#pragma once
// Holdout lift of a `measure` block (RUNTIME.md §9): per arm exposed, converted, rate and
// value; absolute lift pT - pH with a 95% Wald interval; relative lift pT/pH - 1 with a 95%
// interval from the delta method on log(pT/pH); the two-sided p-value of the pooled
// two-proportion z-test; a sample-ratio check (chi-square, one degree of freedom, of the
// arm sizes against the holdout share, flagged below p = 0.001); `insufficient` until each
// arm has at least 30 conversions. docs/health.md explains how to read them.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/ir/ir.h"
#include "runtime/engine/engine.h"

namespace seg::rt {

inline constexpr int64_t kMinConversions = 30;  // per arm, before lift is reported as significant or not
inline constexpr double kSampleRatioAlpha = 0.001;

struct Interval {
  double estimate = 0, low = 0, high = 0;
};

struct SampleRatio {
  double expected_holdout_share = 0, chi_square = 0, p_value = 1;
  bool flag = false;
};

struct Lift {
  MeasureArm treatment, holdout;
  std::optional<Interval> absolute, relative;  // absent when an arm has no exposure (relative: no conversion)
  std::optional<double> p_value;               // absent when the pooled rate is 0 or 1
  SampleRatio sample_ratio;
  std::string status;  // insufficient | significant | not_significant
};

Lift compute_lift(const MeasureCounts& c, double holdout_share);

// The summary.json entry of one measure block (RUNTIME.md §9, `measures`).
nlohmann::ordered_json lift_json(const ir::Bundle& b, const ir::Measure& m, const MeasureCounts& c);

}  // namespace seg::rt
