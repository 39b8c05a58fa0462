// State updates: fold one recorded event into a profile (through the JIT's fold kernel
// when one is installed), apply it to a slot, prune a window's expired entries.
#include "runtime/interp/interp.h"

#include <algorithm>

namespace seg::rt {

void Interpreter::fold(Profile& p, int32_t event, int64_t ts, uint64_t arrival,
                       const std::vector<Value>& props, int64_t now) {
  const seg_kernels* k = kernels_.load(std::memory_order_acquire);
  if (k && k->fold[event]) {
    seg_jit_ctx ctx = context(p, now);
    ctx.props = props.data();
    ctx.ts = ts;
    ctx.arrival = arrival;
    k->fold[event](&ctx);
    return;
  }
  for (int32_t si : b_.fold[event])
    if (!b_.slots[si].filter || eval(b_.slots[si].filter, p, now, props.data()).truthy())
      apply(p, si, ts, arrival, props.data(), now);
}

void Interpreter::apply(Profile& p, int32_t si, int64_t ts, uint64_t arrival, const Value* props, int64_t now) {
  const ir::Slot& s = b_.slots[si];
  SlotState& slot = p.slots[si];
  SlotData& st = slot.ensure();
  Entry e;
  e.ts = ts;
  e.arrival = arrival;
  e.props.reserve(s.props.size());
  for (int32_t k : s.props) e.props.push_back(props[k]);
  if (s.kind == ir::SlotKind::AllTime) {
    ++slot.count;
    slot.newest_ts = std::max(slot.newest_ts, ts);
    slot.first_ts = std::min(slot.first_ts, ts);
    if (st.n.size() != s.props.size()) {  // running totals start with the first event
      st.sum.assign(s.props.size(), 0);
      st.n.assign(s.props.size(), 0);
      st.min.assign(s.props.size(), Value());
      st.max.assign(s.props.size(), Value());
    }
    for (size_t k = 0; k < s.props.size(); ++k) {
      const Value& v = e.props[k];
      if (v.missing()) continue;
      double x = as_double(v);
      st.sum[k] += x;
      ++st.n[k];
      if (st.min[k].missing() || as_double(v) < as_double(st.min[k])) st.min[k] = v;
      if (st.max[k].missing() || as_double(v) > as_double(st.max[k])) st.max[k] = v;
    }
    // last/first order by timestamp, ties by arrival (RUNTIME.md §3).
    if (!st.has_last || ts >= st.last.ts) {
      st.last = e;
      st.has_last = true;
    }
    if (!st.has_first || ts < st.first.ts) {
      st.first = std::move(e);
      st.has_first = true;
    }
    return;
  }
  // A late event already outside its window changes nothing.
  if (s.kind == ir::SlotKind::Window && ts <= now - s.window_ms) return;
  if (ts > slot.newest_ts) slot.newest_ts = ts;
  if (s.latest_only) {  // keep only the latest (ts, then arrival)
    if (st.entries.empty()) st.entries.push_back(std::move(e));
    else if (ts >= st.entries.back().ts) st.entries.back() = std::move(e);
    return;
  }
  auto pos = std::upper_bound(st.entries.begin(), st.entries.end(), ts,
                              [](int64_t t, const Entry& x) { return t < x.ts; });
  st.entries.insert(pos, std::move(e));
  // Counting up to `cap` is all the thresholds need: drop the oldest beyond it.
  if (s.cap > 0 && st.entries.size() > static_cast<size_t>(s.cap)) st.entries.pop_front();
}

void Interpreter::prune(const ir::Slot& s, SlotState& st, int64_t now) const {
  if (s.kind != ir::SlotKind::Window || !st.data) return;
  // Half-open windows (now - D, now]: an entry at ts leaves at ts + D.
  EntryQueue& q = st.data->entries;
  while (!q.empty() && q.front().ts <= now - s.window_ms) q.pop_front();
}

}  // namespace seg::rt
