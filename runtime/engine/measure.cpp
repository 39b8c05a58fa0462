// Measures (LANGUAGE.md §12, RUNTIME.md §9): the per-profile facts a `measure` block
// counts. A profile is exposed at its first entry into the measured audience, in the arm
// its holdout flag gives (treatment or holdout), and converts — once — when an event of the
// block's kind passes its filter within (entry, entry + window]; the block's value
// property is summed over every such event. The filter is evaluated by the interpreter in
// both engines: it runs once per converting event of an exposed profile, never per record.
#include "runtime/engine/engine.h"

namespace seg::rt {

void Engine::expose(Profile& p, int64_t now) {
  for (size_t i = 0; i < b_.measures.size(); ++i) {
    MeasureState& m = p.measures[i];
    int32_t a = b_.measures[i].audience;
    if (m.exposed != kNever || !p.bit(p.member, a)) continue;
    m.exposed = now;
    m.holdout = p.bit(p.holdout, a);
    ++(m.holdout ? measure_counts_[i].holdout : measure_counts_[i].treatment).exposed;
  }
}

void Engine::convert(Profile& p, const Record& r) {
  for (int32_t i : measures_of_event_[r.event]) {
    const ir::Measure& def = b_.measures[i];
    MeasureState& m = p.measures[i];
    if (m.exposed == kNever || r.ts <= m.exposed || r.ts > m.exposed + def.window_ms) continue;
    if (def.filter && !interp_.eval(def.filter, p, watermark_, r.props.data()).truthy()) continue;
    MeasureArm& arm = m.holdout ? measure_counts_[i].holdout : measure_counts_[i].treatment;
    if (!m.converted) {
      m.converted = true;
      ++arm.converted;
    }
    if (def.value_prop >= 0 && !r.props[def.value_prop].missing()) {
      double v = as_double(r.props[def.value_prop]);
      m.value += v;
      arm.value += v;
    }
  }
}

void Engine::recount_measures() {
  measure_counts_.assign(b_.measures.size(), MeasureCounts{});
  for (const Profile& p : profiles_)
    for (size_t i = 0; i < p.measures.size() && i < measure_counts_.size(); ++i) {
      const MeasureState& m = p.measures[i];
      if (m.exposed == kNever) continue;
      MeasureArm& arm = m.holdout ? measure_counts_[i].holdout : measure_counts_[i].treatment;
      ++arm.exposed;
      arm.converted += m.converted;
      arm.value += m.value;
    }
}

std::vector<int64_t> Engine::held_by_destination() const {
  std::vector<int64_t> out(b_.destinations.size(), 0);
  for (const Profile& p : profiles_)
    for (size_t d = 0; d < b_.destinations.size(); ++d) {
      const ir::Destination& dest = b_.destinations[d];
      for (size_t j = 0; j < dest.audiences.size(); ++j) out[d] += p.sent[dest.sent_base + j].sent;
    }
  return out;
}

}  // namespace seg::rt
