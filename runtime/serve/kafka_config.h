#pragma once
// The `kafka` section of `seg serve --config FILE` (RUNTIME.md §8): where the records
// come from (brokers, group, topics), where ops, the changelog and rejected records go,
// and any librdkafka property passed through as it is.
#include <map>
#include <string>
#include <vector>

namespace seg::rt {

struct KafkaConfig {
  std::string brokers;  // bootstrap.servers
  std::string group;    // group.id
  std::vector<std::string> topics;
  std::string ops_prefix = "seg.ops.";      // ops of destination D go to <ops_prefix>D
  std::string changelog = "seg.changelog";  // compacted; as many partitions as the input
  std::string dead_letter = "seg.rejected";
  bool static_membership = false;  // group.instance.id = the instance id
  int commit_interval_ms = 100;    // one transaction per interval (or per max_cycle_records)
  int max_cycle_records = 20000;
  // Passed to librdkafka as they are; a key starting with "consumer." or "producer."
  // applies to that client only (the prefix removed).
  std::map<std::string, std::string> properties;
};

// Reads the `kafka` object of the config file; `error` names the file and the key.
bool load_kafka_config(const std::string& path, KafkaConfig& out, std::string& error);

}  // namespace seg::rt
