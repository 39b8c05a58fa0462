#pragma once
// What `seg serve --listen` shows on /metrics (RUNTIME.md §8): the series `seg run`
// has, summed over the assigned partitions, and the service's own — consumer lag and
// watermark per partition, rebalances, restores, transactions.
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace seg::rt {

class PartitionTask;

struct ServeCounters {
  int64_t commits = 0, aborts = 0, rebalances = 0, rule_changes = 0;
  double restore_seconds = 0;
  int64_t restore_bytes = 0;
};

struct ServeSnapshot {
  const ir::Bundle* bundle = nullptr;
  ServeCounters counters;
  struct Partition {
    std::string topic;
    int32_t partition = 0;
    const PartitionTask* task = nullptr;
    int64_t lag = 0;
  };
  std::vector<Partition> partitions;
  int64_t restoring = 0;  // partitions assigned, not yet restored
  int64_t wall_ms = 0;
  int64_t state_bytes = 0;
};

std::string serve_metrics_text(const ServeSnapshot& s);

}  // namespace seg::rt
