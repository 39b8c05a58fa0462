#pragma once
// A destination's sender (RUNTIME.md §4): its batching connector on a thread of its own, fed
// through a bounded queue, so a slow endpoint never stalls evaluation. The engine thread
// only appends op lines; a full queue makes it wait (the reader slows, no op is dropped).
// The sender thread moves ops into the connector (netting, batching) and flushes when a
// batch is full or flush_interval_ms has passed. flush() waits until every op handed in
// so far is acknowledged or given up: commits (--state) and the end of a run need that.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "runtime/connectors/connector.h"

namespace seg::rt {

class Sender {
 public:
  static constexpr size_t kQueueCapacity = 65536;

  Sender(std::string destination, ConnectorConfig cfg, const std::string& out_dir, bool resume, bool restarted);
  ~Sender();  // flushes what is queued, then stops the thread
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void add(std::string_view op_line);  // waits while the queue is full
  void flush();                        // waits until everything added is sent or given up
  // The same, waiting at most `timeout`: false when not done yet (call again).
  bool flush(std::chrono::milliseconds timeout);
  DeliveryStats stats() const;         // a consistent copy, from any thread
  size_t queue_depth() const;          // ops not yet acknowledged or given up
  const std::string& destination() const { return destination_; }

 private:
  void loop();

  std::string destination_;
  int64_t interval_ms_;
  std::unique_ptr<BatchConnector> conn_;  // used by the sender thread only
  mutable std::mutex mu_;
  std::condition_variable work_, space_, done_;
  std::deque<std::string> queue_;
  uint64_t flush_wanted_ = 0, flush_done_ = 0;
  size_t in_hand_ = 0;  // taken by the sender thread, not yet given to the connector
  bool stop_ = false;
  DeliveryStats stats_;  // copied from the connector after each step, under mu_
  std::thread thread_;
};

}  // namespace seg::rt
