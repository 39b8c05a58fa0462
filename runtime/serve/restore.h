#pragma once
// Bringing a partition's local state up to date from the changelog (RUNTIME.md §8), on a
// thread of its own while the service keeps polling its group. The changelog is the
// truth: every transaction writes, per partition, the state's changed keys and then a
// cycle marker, each message with the input offset the transaction commits (header
// `seg.end`). The last marker in the log names the last complete transaction, C; the
// restore applies, in log order, every write with seg.end <= C, and the partition is
// read on from C. Writes with seg.end > C belong to a transaction that did not complete
// (or was aborted and redone from an earlier offset) and are skipped; a write of an
// aborted transaction with seg.end <= C is always followed by the redone writes of the
// same keys, since its records were applied again before C was reached. So the restore
// is right where the broker does not hide aborted messages (librdkafka's mock cluster,
// which also stores no offsets sent to a transaction), and read_committed does the rest
// on a real one, where C is also the group's committed offset.
//
// A local store already holds the state up to its own changelog offset: only the log
// after it is read.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "runtime/serve/kafka_config.h"
#include "runtime/store/durable_state.h"

namespace seg::rt {

struct RestoreSettings {
  KafkaConfig kafka;
  std::string state_dir;
};

struct RestoreJob {
  std::string topic;
  int32_t partition = 0;
  // Results, read once done is true.
  std::unique_ptr<DurableState> store;
  std::string error;
  int64_t committed = 0;           // the input offset the state reflects (read on from it)
  int64_t messages = 0, bytes = 0;  // read from the changelog
  double seconds = 0;
  std::atomic<bool> cancel{false}, done{false};
};

// Where a partition's local store lives.
std::string partition_dir(const std::string& state_dir, const std::string& topic, int32_t partition);
// The changelog's key for a store key of a partition of `topic`, and the cycle marker's.
std::string changelog_key(const std::string& topic, std::string_view store_key);
inline constexpr std::string_view kCycleKey = "m/cycle";

void restore_partition(const RestoreSettings& s, RestoreJob& job);

}  // namespace seg::rt
