#pragma once
// `seg serve` without the command line (RUNTIME.md §8): a Kafka application in a
// consumer group. Each assigned input partition gets its own engine, time and RocksDB
// state (partition_task.h), restored from the changelog when needed (restore.h); each
// cycle of about commit_interval_ms commits the ops (one topic per destination), the
// rejected records (dead-letter topic), the state's changes (changelog) and the consumed
// offsets in one transaction, so each op appears once among committed messages after
// any crash, restart or rebalance.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "compiler/ir/ir.h"
#include "runtime/serve/kafka_config.h"

namespace seg::rt {

class Interpreter;

struct ServeOptions {
  KafkaConfig kafka;
  std::string state_dir;
  std::string instance;  // this instance's name: its transactional.id is <group>.<instance>
  std::string listen;    // HOST:PORT for /metrics, /healthz, /readyz
  std::optional<int64_t> max_future_ms = 3'600'000;
  std::optional<int64_t> wall_clock;  // pinned wall clock (tests, replays)
  int64_t lateness_ms = 60'000;
  std::function<void(Interpreter&)> on_engine, on_engine_end;  // the JIT's kernels
  std::function<bool()> stop_requested;                        // SIGINT/SIGTERM
  std::function<const ir::Bundle*()> poll_rules;               // SIGHUP: new rules, or null
};

// Runs until stop_requested(); 0 after a clean stop (transaction committed, group left),
// otherwise 3 with `error` (a fatal or fenced producer, a state that cannot be written).
int serve(const ir::Bundle& b, const ServeOptions& opt, std::string& error);

}  // namespace seg::rt
