// /metrics of `seg serve` (serve_metrics.h).
#include "runtime/serve/serve_metrics.h"

#include <fmt/format.h>

#include "runtime/serve/partition_task.h"
#include "runtime/service/metrics.h"

namespace seg::rt {

std::string serve_metrics_text(const ServeSnapshot& s) {
  const ir::Bundle& b = *s.bundle;
  MetricsInput m;
  m.destinations.resize(b.destinations.size());
  for (size_t i = 0; i < b.destinations.size(); ++i) m.destinations[i].name = b.destinations[i].name;
  std::vector<int64_t> members(b.audiences.size(), 0);
  for (const auto& p : s.partitions) {
    const RunStats& st = p.task->stats();
    m.records["applied"] += st.applied;
    m.records["ignored"] += st.ignored;
    m.records["rejected"] += st.rejected;
    m.records["blank"] += st.blank;
    for (const auto& [cause, n] : st.rejected_by) m.rejected_by[cause] += n;
    m.late += st.late;
    const Engine& e = p.task->engine();
    if (e.started()) {
      m.watermark_ms = m.started ? std::min(m.watermark_ms, e.watermark()) : e.watermark();
      m.started = true;
    }
    // A swap may leave a partition on rules of other shapes for a moment: by name.
    const ir::Bundle& eb = e.bundle();
    for (size_t i = 0; i < eb.destinations.size() && i < e.destination_stats().size(); ++i)
      for (size_t j = 0; j < b.destinations.size(); ++j)
        if (b.destinations[j].name == eb.destinations[i].name) {
          m.destinations[j].add += e.destination_stats()[i].add;
          m.destinations[j].remove += e.destination_stats()[i].remove;
          m.destinations[j].update += e.destination_stats()[i].update;
        }
    for (size_t i = 0; i < eb.audiences.size() && i < e.audience_stats().size(); ++i)
      for (size_t j = 0; j < b.audiences.size(); ++j)
        if (b.audiences[j].name == eb.audiences[i].name) members[j] += e.audience_stats()[i].members;
  }
  for (size_t j = 0; j < b.audiences.size(); ++j) m.audiences.emplace_back(b.audiences[j].name, members[j]);
  m.rule_changes = s.counters.rule_changes;
  m.wall_ms = s.wall_ms;
  m.state_bytes = s.state_bytes;
  m.bundle = b.revision;
  std::string out = metrics_text(m);
  out += "# HELP seg_consumer_lag_records Records in the partition not yet committed by this instance.\n"
         "# TYPE seg_consumer_lag_records gauge\n";
  for (const auto& p : s.partitions)
    out += fmt::format("seg_consumer_lag_records{{topic=\"{}\",partition=\"{}\"}} {}\n", p.topic, p.partition, p.lag);
  out += "# HELP seg_partition_watermark_seconds The partition's time (RUNTIME.md §3).\n"
         "# TYPE seg_partition_watermark_seconds gauge\n";
  for (const auto& p : s.partitions)
    if (p.task->engine().started())
      out += fmt::format("seg_partition_watermark_seconds{{topic=\"{}\",partition=\"{}\"}} {:.3f}\n", p.topic, p.partition,
                         static_cast<double>(p.task->engine().watermark()) / 1000.0);
  out += fmt::format(
      "# HELP seg_assigned_partitions Partitions this instance owns, by state.\n"
      "# TYPE seg_assigned_partitions gauge\n"
      "seg_assigned_partitions{{state=\"ready\"}} {}\nseg_assigned_partitions{{state=\"restoring\"}} {}\n"
      "# HELP seg_rebalances_total Rebalance callbacks (assignments and revocations).\n"
      "# TYPE seg_rebalances_total counter\nseg_rebalances_total {}\n"
      "# HELP seg_restore_seconds_total Time spent restoring partitions from the changelog.\n"
      "# TYPE seg_restore_seconds_total counter\nseg_restore_seconds_total {:.3f}\n"
      "# HELP seg_restore_bytes_total Changelog bytes read by restores.\n"
      "# TYPE seg_restore_bytes_total counter\nseg_restore_bytes_total {}\n"
      "# HELP seg_transactions_total Kafka transactions, by result.\n"
      "# TYPE seg_transactions_total counter\n"
      "seg_transactions_total{{result=\"committed\"}} {}\nseg_transactions_total{{result=\"aborted\"}} {}\n",
      s.partitions.size(), s.restoring, s.counters.rebalances, s.counters.restore_seconds, s.counters.restore_bytes,
      s.counters.commits, s.counters.aborts);
  return out;
}

}  // namespace seg::rt
