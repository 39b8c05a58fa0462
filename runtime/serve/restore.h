#pragma once
// Bringing a partition's local state up to its committed input offset (RUNTIME.md §8),
// on a thread of its own while the service keeps polling its group. The group's
// committed offset C for the partition is the truth; the local store says which input
// offset it reflects and how far into the changelog it has read. A store at C is used
// as it is; one behind C reads the changelog on from where it stopped; one ahead of C
// (the group's offsets were reset) or absent is rebuilt from the whole changelog.
//
// Each changelog message carries the input offset its transaction committed
// (header `seg.end`). Messages with seg.end > C belong to a transaction that never
// committed and are skipped; older ones are applied in log order — a write of an
// aborted transaction with seg.end <= C is always followed by the committed writes of
// the same keys, since the records behind it were applied again and committed later.
// So the restore is right even where the broker does not filter aborted messages
// (librdkafka's mock cluster), and read_committed does the rest on a real one.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "runtime/store/durable_state.h"

namespace seg::rt {

struct RestoreSettings {
  std::string brokers, group, changelog;
  std::map<std::string, std::string> properties;  // consumer properties
  std::string state_dir;
};

struct RestoreJob {
  std::string topic;
  int32_t partition = 0;
  // Results, read once done is true.
  std::unique_ptr<DurableState> store;
  std::string error;
  int64_t committed = 0;           // the group's offset (0: none)
  int64_t messages = 0, bytes = 0;  // read from the changelog
  double seconds = 0;
  std::atomic<bool> cancel{false}, done{false};
};

// Where a partition's local store lives.
std::string partition_dir(const std::string& state_dir, const std::string& topic, int32_t partition);
// The changelog's key for a store key of a partition of `topic`.
std::string changelog_key(const std::string& topic, const std::string& store_key);

void restore_partition(const RestoreSettings& s, RestoreJob& job);

}  // namespace seg::rt
