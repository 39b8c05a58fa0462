#pragma once
// `--threads N` (RUNTIME.md §7): profiles split by a hash of their key over N engines,
// each on its own thread, fed in batches by the caller's thread, which parses. Time is
// global: every record carries the watermark after it, so each engine closes the same
// instants as one engine would; at the end of a batch every engine is advanced to the
// batch's watermark and their ops (all of instants before it) are merged per destination
// by (instant, profile key) — the order one engine writes — so the output is byte for
// byte that of one thread.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "runtime/engine/engine.h"

namespace seg::rt {

class Partitioned {
 public:
  // on_engine: called with each engine's interpreter before its first record (JIT kernels).
  Partitioned(const ir::Bundle& b, OpSink& out, int threads, const std::function<void(Interpreter&)>& on_engine,
              size_t batch_records = 8192);
  ~Partitioned();
  Partitioned(const Partitioned&) = delete;
  Partitioned& operator=(const Partitioned&) = delete;

  // The pools the caller's parser interns into; they change at each batch (set_pools).
  StringPool& strings();
  SetPool& sets();
  // Called after a batch is handed over: point the parser at the new pools.
  void on_new_pools(std::function<void(StringPool&, SetPool&)> f) { on_new_pools_ = std::move(f); }

  // A record parsed with strings()/sets(); an ignored one only moves time.
  void process(const Record& r);
  void finish(std::optional<int64_t> until);

  int64_t watermark() const { return watermark_; }
  bool started() const { return started_; }
  int64_t profiles() const;
  int64_t evaluations() const;
  std::vector<AudienceStats> audience_stats() const;
  std::vector<DestinationStats> destination_stats() const;
  std::vector<MeasureCounts> measure_counts() const;
  std::vector<int64_t> held_by_destination() const;
  // The engines, for a state's byte count (they are idle between calls).
  std::vector<const Engine*> engines() const;
  void for_each_interp(const std::function<void(Interpreter&)>& f);

 private:
  struct Batch;
  struct Worker;
  void publish();                 // the filled batch to the workers; a fresh one to fill
  void retire_oldest();           // wait for the oldest batch in flight, merge its ops
  void merge(Batch& batch);
  void worker_loop(Worker& w, size_t index);

  const ir::Bundle& b_;
  OpSink& out_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<Batch> filling_;                  // being filled by the caller
  std::deque<std::unique_ptr<Batch>> in_flight_;    // published, oldest first
  std::vector<std::unique_ptr<Batch>> free_;        // merged, to be reused
  std::function<void(StringPool&, SetPool&)> on_new_pools_;
  size_t batch_records_;
  size_t depth_;  // batches in flight at most: the parser runs ahead of the engines
  size_t filled_ = 0;
  int64_t watermark_ = 0;
  bool started_ = false;

  std::mutex mu_;
  std::condition_variable work_;  // a batch was published, or stop
  std::condition_variable done_;  // a worker finished a batch
  uint64_t published_ = 0;        // batches published so far (their sequence numbers)
  bool stop_ = false;
};

// Which of n engines a profile belongs to (stable: a state written with n threads is
// split the same way when read back).
int partition_of(std::string_view profile, int n);

}  // namespace seg::rt
