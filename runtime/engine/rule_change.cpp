// Rule changes over an existing state (RUNTIME.md §6): the state a checkpoint holds is
// carried into this bundle's layout as the Migration plans it, then every profile is
// evaluated at the watermark and what each destination holds is diffed against the
// new memberships; every op of that instant has reason rule_change.
#include <chrono>

#include "runtime/engine/engine.h"
#include "runtime/engine/json_text.h"

namespace seg::rt {
namespace {

// An old aggregate's state in the new slot's shape: kept properties re-indexed, a
// shorter window or a lower cap applied.
SlotState carry_slot(const SlotState& src, const SlotPlan& plan) {
  SlotState dst;
  dst.count = src.count;
  dst.newest_ts = src.newest_ts;
  dst.first_ts = src.first_ts;
  if (!src.data) return dst;
  const SlotData& s = *src.data;
  SlotData& d = dst.ensure();
  auto pick = [&](const std::vector<Value>& from) {
    std::vector<Value> out;
    out.reserve(plan.props.size());
    for (int32_t k : plan.props) out.push_back(from[k]);
    return out;
  };
  auto entry = [&](const Entry& e) { return Entry{e.ts, e.arrival, pick(e.props)}; };
  if (!s.n.empty()) {
    for (int32_t k : plan.props) {
      d.sum.push_back(s.sum[k]);
      d.n.push_back(s.n[k]);
      d.min.push_back(s.min[k]);
      d.max.push_back(s.max[k]);
    }
  }
  d.has_first = s.has_first;
  if (s.has_first) d.first = entry(s.first);
  d.has_last = s.has_last;
  if (s.has_last) d.last = entry(s.last);
  for (const Entry& e : s.entries) d.entries.push_back(entry(e));
  if (plan.keep_last > 0)
    while (d.entries.size() > static_cast<size_t>(plan.keep_last)) d.entries.pop_front();
  return dst;
}

}  // namespace

void Engine::migrate(RuleChange& rc, Profile& old, Profile& p, int32_t pi) {
  const Migration& m = rc.plan;
  for (size_t i = 0; i < m.attr_from.size(); ++i)
    if (m.attr_from[i] >= 0) p.attrs[i] = old.attrs[m.attr_from[i]];
  for (size_t i = 0; i < m.slots.size(); ++i) {
    const SlotPlan& plan = m.slots[i];
    if (plan.from < 0) continue;
    p.slots[i] = carry_slot(old.slots[plan.from], plan);
    if (plan.prune_window_ms) interp_.prune(b_.slots[i], p.slots[i], watermark_);
  }
  for (size_t a = 0; a < m.audience_from.size(); ++a)
    if (m.audience_from[a] >= 0) Profile::set_bit(p.member, static_cast<int32_t>(a), old.bit(old.member, m.audience_from[a]));
  for (size_t t = 0; t < m.ttl_from.size(); ++t) {
    // A TTL the old rules did not have: current members' clocks start now.
    p.ttl[t] = m.ttl_from[t] >= 0 ? old.ttl[m.ttl_from[t]] : TtlState{watermark_, false};
  }
  for (size_t s = 0; s < m.sent_from.size(); ++s)
    if (m.sent_from[s] >= 0) p.sent[s] = old.sent[m.sent_from[s]];
  for (size_t d = 0; d < m.seq_from.size(); ++d)
    if (m.seq_from[d] >= 0) p.seq[d] = old.seq[m.seq_from[d]];
  for (size_t i = 0; i < m.measure_from.size(); ++i)
    if (m.measure_from[i] >= 0 && static_cast<size_t>(m.measure_from[i]) < old.measures.size())
      p.measures[i] = old.measures[m.measure_from[i]];
  // Keys and fields unchanged: what was sent is what the attributes give, so the first
  // diff need not normalise and hash them again.
  for (size_t di = 0; di < b_.destinations.size(); ++di) {
    if (!m.same_keys[di]) continue;
    const ir::Destination& d = b_.destinations[di];
    for (size_t j = 0; j < d.audiences.size(); ++j) {
      const SentState& s = p.sent[d.sent_base + j];
      if (!s.sent) continue;
      p.dest_cache[di] = {p.attr_version, s.keys, s.fields};
      break;
    }
  }
  for (size_t o = 0; o < m.orphans.size(); ++o) {
    const SentState& s = old.sent[m.orphans[o].old_sent];
    if (!s.sent) continue;
    if (m.orphans[o].keep) ++rc.kept_in_old;
    else rc.removes.push_back({pi, static_cast<int32_t>(o), s.keys, s.fields});
  }
  // What destinations no longer in the rules hold is left there.
  for (const Migration::SentRange& r : m.dropped)
    for (int32_t j = r.first; j < r.first + r.count; ++j) rc.left_in_dropped += old.sent[j].sent;
  p.deadline = kNever;
}

const std::string& Engine::segment_name(const Op& op) const {
  return op.orphan >= 0 ? rule_change_orphans_[op.orphan].segment : b_.audiences[op.audience].name;
}

RuleChangeReport Engine::apply_rule_change() {
  auto started = std::chrono::steady_clock::now();
  RuleChangeReport report;
  if (!rule_change_) return report;
  std::unique_ptr<RuleChange> rc = std::move(rule_change_);
  report.from = rc->from;
  report.to = b_.revision;
  report.notes = rc->plan.notes;
  report.kept_in_old = rc->kept_in_old;
  report.left_in_dropped = rc->left_in_dropped;
  // Statistics from the carried state; evaluation counts the changes from here.
  for (AudienceStats& s : aud_stats_) s = {};
  for (DestinationStats& s : dest_stats_) s.unmatched = 0;
  for (Profile& p : profiles_) {
    for (size_t a = 0; a < aud_stats_.size(); ++a) aud_stats_[a].members += p.bit(p.member, static_cast<int32_t>(a));
    for (size_t di = 0; di < b_.destinations.size(); ++di) {
      const ir::Destination& d = b_.destinations[di];
      for (size_t j = 0; j < d.audiences.size(); ++j) dest_stats_[di].unmatched += p.sent[d.sent_base + j].unmatched;
    }
    p.deadline = kNever;
  }
  timers_ = {};
  rule_change_orphans_ = rc->plan.orphans;
  orphan_middle_.clear();
  for (const Orphan& o : rule_change_orphans_) {
    std::string s = "\",\"destination\":";
    append_json_string(s, b_.destinations[o.destination].name);
    s += ",\"audience\":";
    append_json_string(s, o.downstream);
    s += ",\"segment\":";
    append_json_string(s, o.segment);
    s += ",\"profile\":";
    orphan_middle_.push_back(std::move(s));
  }
  if (started_) {
    rule_change_active_ = true;
    for (const PendingRemove& r : rc->removes) {
      const Orphan& o = rule_change_orphans_[r.orphan];
      Op op;
      op.destination = o.destination;
      op.orphan = r.orphan;
      op.profile = profiles_[r.pi].id;
      op.profile_index = r.pi;
      op.kind = OpKind::Remove;
      op.reason = Reason::RuleChange;
      op.keys = r.keys;
      op.fields = r.fields;
      int32_t ai = b_.audience(o.segment);
      op.holdout = ai >= 0 && profiles_[r.pi].bit(profiles_[r.pi].holdout, ai);
      pending_.push_back(op);
    }
    report.removed_from_old = static_cast<int64_t>(rc->removes.size());
    for (size_t pi = 0; pi < profiles_.size(); ++pi) evaluate(static_cast<int32_t>(pi), watermark_);
    ++epoch_;
    report.ops = static_cast<int64_t>(pending_.size());
    emit_instant(watermark_);
    rule_change_active_ = false;
    sink_.flush();
  }
  report.profiles = static_cast<int64_t>(profiles_.size());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace seg::rt
