#pragma once
// One input partition in `seg serve` (RUNTIME.md §8): its own engine and time, its own
// RocksDB state, and the records of its open instant held back. A transaction may only
// end between instants (an instant's state is never sent half-made, RUNTIME.md §3), so
// the records of the newest instant wait here until a later record closes it; the
// partition's committed input offset is the first record still waiting. Everything a
// cycle made — ops, rejected records, the state's changes — is taken by the service
// and committed in one Kafka transaction; the local store is written after it commits.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/engine/engine.h"
#include "runtime/io/input.h"
#include "runtime/service/run.h"
#include "runtime/store/durable_state.h"

namespace seg::rt {

// An op made by the engine, for the service to produce (destination index, profile key).
struct PendingOp {
  int32_t destination = 0;
  std::string profile, line;
};

// A record refused, for the dead-letter topic.
struct RejectedRecord {
  int64_t offset = 0;
  std::string key, cause, reason, raw;
};

// What the partition's local store says of itself (its run meta).
struct PartitionMeta {
  int64_t input_offset = -1;     // the next input offset to read; -1: nothing committed
  int64_t changelog_offset = 0;  // the changelog read up to here into this store
  static PartitionMeta parse(const std::string& run_meta);
  std::string json() const;
};

class PartitionTask {
 public:
  using EngineHook = std::function<void(Interpreter&)>;
  // The engine from the store (an empty store: a new engine). Rules that differ from
  // those that wrote the store are a rule change, applied at once.
  static std::unique_ptr<PartitionTask> open(const ir::Bundle& b, std::string topic, int32_t partition,
                                             std::unique_ptr<DurableState> store, std::string& error);
  ~PartitionTask();

  const std::string& topic() const { return topic_; }
  int32_t partition() const { return partition_; }
  const Engine& engine() const { return *engine_; }
  const RunStats& stats() const { return stats_; }
  PartitionMeta meta() const { return PartitionMeta::parse(store_->run_meta()); }
  // Before the first record: the JIT's kernels attach here (and detach before the
  // engine goes).
  void attach(const EngineHook& on_engine, const EngineHook& on_end);

  // A consumed message. max_ts: later records are rejected as future_timestamp.
  void add(int64_t offset, std::string_view key, std::string_view payload, int64_t max_ts);
  // The partition's end was reached (live time may move its clock) or a message came.
  void set_caught_up(bool c) { caught_up_ = c; }
  bool caught_up() const { return caught_up_; }

  // Cycle end: complete instants closed (their ops made); with `live_now`, while caught
  // up, the waiting records applied too and time moved to live_now.
  void close(std::optional<int64_t> live_now);
  // What the cycle made: taken by the service.
  std::vector<PendingOp>& ops() { return ops_; }
  std::vector<RejectedRecord>& rejected() { return rejected_; }
  bool has_changes() const;
  PreparedCommit prepare() { return store_->prepare(*engine_, all_); }
  // The offset to commit: the first record not yet applied (or past the last one read).
  int64_t next_offset() const { return pending_.empty() ? read_to_ : pending_.front().offset; }
  int64_t committed_offset() const { return committed_offset_; }
  // After the transaction committed: the local store written.
  bool write(const PreparedCommit& c, int64_t changelog_offset, std::string& error);
  // After an abort: back to the last commit (engine from the store, waiting records
  // dropped); the service seeks the consumer to committed_offset().
  bool rewind(std::string& error);
  // SIGHUP, in two steps so that no engine of the old rules outlives them: park()
  // closes the open instant, saves the state and drops the engine (every partition's
  // first, the old rules' code is freed once the first new engine attaches); resume()
  // carries the state into the new rules and re-evaluates every profile.
  std::string park();
  bool resume(const ir::Bundle& b, const std::string& state, RuleChangeReport& report, std::string& error);

 private:
  struct Waiting {
    int64_t offset = 0;
    LineResult result;
    Record record;
    RejectedRecord rejected;
  };
  class Collect;
  PartitionTask(const ir::Bundle& b, std::string topic, int32_t partition, std::unique_ptr<DurableState> store);
  bool build(const std::string* checkpoint, std::string& error, RuleChangeReport* report = nullptr);
  void apply(Waiting& w);
  void flush_waiting();

  const ir::Bundle* bundle_;
  std::string topic_;
  int32_t partition_;
  std::unique_ptr<DurableState> store_;
  std::unique_ptr<Collect> sink_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<InputParser> parser_;
  EngineHook on_engine_, on_end_;
  std::vector<Waiting> pending_;  // the open instant's records, in arrival order
  int64_t pending_ts_ = INT64_MIN;
  int64_t read_to_ = 0, committed_offset_ = 0;
  bool caught_up_ = false, all_ = false, touched_ = false;
  RunStats stats_, committed_stats_;
  std::vector<PendingOp> ops_;
  std::vector<RejectedRecord> rejected_;
};

}  // namespace seg::rt
