// Holdout lift statistics (RUNTIME.md §9); the formulas are in lift.h and docs/health.md,
// and tests/health/lift_scipy.py checks them against scipy.
#include "runtime/service/lift.h"

#include <cmath>

namespace seg::rt {
namespace {

constexpr double kZ95 = 1.959963984540054;  // the 97.5th percentile of the standard normal

double rate(const MeasureArm& a) { return a.exposed ? static_cast<double>(a.converted) / a.exposed : 0; }

// Two-sided p-value of a standard normal statistic, and of a chi-square with one degree
// of freedom (the square of one).
double normal_two_sided(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }
double chi_square_1df(double x) { return std::erfc(std::sqrt(x / 2)); }

}  // namespace

Lift compute_lift(const MeasureCounts& c, double h) {
  Lift out;
  out.treatment = c.treatment;
  out.holdout = c.holdout;
  const double nT = static_cast<double>(c.treatment.exposed), nH = static_cast<double>(c.holdout.exposed);
  const double pT = rate(c.treatment), pH = rate(c.holdout);
  if (nT > 0 && nH > 0) {
    double d = pT - pH;
    double se = std::sqrt(pT * (1 - pT) / nT + pH * (1 - pH) / nH);
    out.absolute = Interval{d, d - kZ95 * se, d + kZ95 * se};
    if (pT > 0 && pH > 0) {
      double log_ratio = std::log(pT / pH);
      double se_log = std::sqrt((1 - pT) / (nT * pT) + (1 - pH) / (nH * pH));
      out.relative = Interval{pT / pH - 1, std::exp(log_ratio - kZ95 * se_log) - 1,
                              std::exp(log_ratio + kZ95 * se_log) - 1};
    }
    double pooled = static_cast<double>(c.treatment.converted + c.holdout.converted) / (nT + nH);
    double se0 = std::sqrt(pooled * (1 - pooled) * (1 / nT + 1 / nH));
    if (se0 > 0) out.p_value = normal_two_sided(d / se0);
  }
  // Sample ratio: are the arms the sizes the holdout share says they should be?
  out.sample_ratio.expected_holdout_share = h;
  double n = nT + nH;
  if (n > 0 && h > 0 && h < 1) {
    double eH = n * h, eT = n * (1 - h);
    out.sample_ratio.chi_square = (nH - eH) * (nH - eH) / eH + (nT - eT) * (nT - eT) / eT;
    out.sample_ratio.p_value = chi_square_1df(out.sample_ratio.chi_square);
    out.sample_ratio.flag = out.sample_ratio.p_value < kSampleRatioAlpha;
  }
  if (c.treatment.converted < kMinConversions || c.holdout.converted < kMinConversions || !out.p_value)
    out.status = "insufficient";
  else
    out.status = *out.p_value < 0.05 ? "significant" : "not_significant";
  return out;
}

nlohmann::ordered_json lift_json(const ir::Bundle& b, const ir::Measure& m, const MeasureCounts& c) {
  using Json = nlohmann::ordered_json;
  Lift l = compute_lift(c, m.holdout_share);
  const ir::Event& ev = b.events[m.event];
  bool has_value = m.value_prop >= 0;
  auto arm = [&](const MeasureArm& a) {
    Json j;
    j["exposed"] = a.exposed;
    j["converted"] = a.converted;
    j["rate"] = a.exposed ? Json(rate(a)) : Json(nullptr);
    j["value"] = has_value ? Json(a.value) : Json(nullptr);
    return j;
  };
  auto interval = [](const std::optional<Interval>& i) {
    return i ? Json{{"estimate", i->estimate}, {"low", i->low}, {"high", i->high}} : Json(nullptr);
  };
  Json j;
  j["audience"] = b.audiences[m.audience].name;
  j["converts"] = ev.name;
  j["window_seconds"] = m.window_ms / 1000;
  j["value_property"] = has_value ? Json(ev.props[m.value_prop].name) : Json(nullptr);
  j["holdout_share"] = m.holdout_share;
  j["treatment"] = arm(l.treatment);
  j["holdout"] = arm(l.holdout);
  j["absolute_lift"] = interval(l.absolute);
  j["relative_lift"] = interval(l.relative);
  j["p_value"] = l.p_value ? Json(*l.p_value) : Json(nullptr);
  j["sample_ratio"] = {{"expected_holdout_share", l.sample_ratio.expected_holdout_share},
                       {"chi_square", l.sample_ratio.chi_square},
                       {"p_value", l.sample_ratio.p_value},
                       {"flag", l.sample_ratio.flag}};
  j["status"] = l.status;
  return j;
}

}  // namespace seg::rt
