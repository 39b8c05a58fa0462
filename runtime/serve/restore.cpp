// A partition's local state brought up to its committed input offset from the
// changelog (restore.h).
#include "runtime/serve/restore.h"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <vector>

#include "runtime/serve/kafka_clients.h"
#include "runtime/serve/partition_task.h"

namespace seg::rt {

std::string partition_dir(const std::string& state_dir, const std::string& topic, int32_t partition) {
  return state_dir + "/" + topic + "-" + std::to_string(partition);
}

std::string changelog_key(const std::string& topic, std::string_view store_key) {
  std::string k = topic;
  k += '\0';
  k += store_key;
  return k;
}

namespace {

struct Handle {
  rd_kafka_t* rk = nullptr;
  ~Handle() {
    if (rk) {
      rd_kafka_consumer_close(rk);
      rd_kafka_destroy(rk);
    }
  }
};

bool make_consumer(const RestoreSettings& s, Handle& h, std::string& error) {
  // A group id because librdkafka's consumer wants one; nothing is committed under it.
  rd_kafka_conf_t* conf = client_conf(s.kafka, ClientRole::Consumer,
                                      {{"group.id", s.kafka.group + ".restore"}, {"enable.auto.commit", "false"},
                                       {"isolation.level", "read_committed"}, {"enable.partition.eof", "true"},
                                       {"auto.offset.reset", "earliest"}},
                                      error);
  if (!conf) return false;
  h.rk = new_client(ClientRole::Consumer, conf, error);
  return h.rk != nullptr;
}

int64_t header_end(rd_kafka_message_t* m) {
  rd_kafka_headers_t* hs = nullptr;
  const void* v = nullptr;
  size_t n = 0;
  if (rd_kafka_message_headers(m, &hs) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      rd_kafka_header_get_last(hs, "seg.end", &v, &n) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return INT64_MAX;  // not ours: never applied
  return std::strtoll(std::string(static_cast<const char*>(v), n).c_str(), nullptr, 10);
}

bool run(const RestoreSettings& s, RestoreJob& job) {
  std::string dir = partition_dir(s.state_dir, job.topic, job.partition);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  job.store = DurableState::open(dir, false, job.error);
  if (!job.store) return false;
  PartitionMeta m = PartitionMeta::parse(job.store->run_meta());
  int64_t from = m.changelog_offset;
  job.committed = std::max<int64_t>(m.input_offset, 0);
  if (!job.store->committed()) from = 0;
  Handle h;
  if (!make_consumer(s, h, job.error)) return false;
  int64_t low = 0, high = 0;
  rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(h.rk, s.kafka.changelog.c_str(), job.partition, &low, &high, 30000);
  if (e) {
    job.error = "cannot read the changelog " + s.kafka.changelog + "[" + std::to_string(job.partition) + "]'s offsets: " +
                rd_kafka_err2str(e) +
                (e == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ? " (the changelog needs as many partitions as the input topic)" : "");
    return false;
  }
  if (from < low) {  // retention (not compaction) removed writes the state is made of
    job.error = "the changelog " + s.kafka.changelog + "[" + std::to_string(job.partition) + "] starts at offset " +
                std::to_string(low) + " but the state needs it from offset " + std::to_string(from) +
                ": it must be compacted (cleanup.policy=compact), never deleted by retention";
    return false;
  }
  if (from >= high) return true;  // nothing committed since this store was written
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, s.kafka.changelog.c_str(), job.partition)->offset = from;
  e = rd_kafka_assign(h.rk, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (e) {
    job.error = std::string("cannot read the changelog: ") + rd_kafka_err2str(e);
    return false;
  }
  // The partition's writes since `from`, each with its transaction's input offset; the
  // last cycle marker says which transaction is the last complete one.
  struct Write {
    int64_t end;
    StateChange change;
  };
  std::vector<Write> writes;
  std::string prefix = job.topic + '\0';
  int64_t at = from, marker = -1;
  auto last_progress = std::chrono::steady_clock::now();
  while (at < high) {
    if (job.cancel) return false;
    rd_kafka_message_t* msg = rd_kafka_consumer_poll(h.rk, 200);
    if (!msg) {
      if (std::chrono::steady_clock::now() - last_progress > std::chrono::seconds(60)) {
        job.error = "the changelog " + s.kafka.changelog + " stopped at offset " + std::to_string(at) + " of " + std::to_string(high);
        return false;
      }
      continue;
    }
    last_progress = std::chrono::steady_clock::now();
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      rd_kafka_message_destroy(msg);
      break;  // read_committed: the last stable offset is the end
    }
    if (msg->err) {
      job.error = std::string("reading the changelog: ") + rd_kafka_message_errstr(msg);
      rd_kafka_message_destroy(msg);
      return false;
    }
    at = msg->offset + 1;
    ++job.messages;
    job.bytes += static_cast<int64_t>(msg->len + msg->key_len);
    std::string_view key(static_cast<const char*>(msg->key), msg->key_len);
    if (key.substr(0, prefix.size()) == prefix) {
      int64_t end = header_end(msg);
      std::string_view k = key.substr(prefix.size());
      if (k == kCycleKey) {
        marker = end;
      } else {
        Write w{end, {std::string(k), std::nullopt}};
        if (msg->payload) w.change.value = std::string(static_cast<const char*>(msg->payload), msg->len);
        writes.push_back(std::move(w));
      }
    }
    rd_kafka_message_destroy(msg);
  }
  std::vector<StateChange> apply;
  if (marker >= 0) {
    job.committed = marker;
    for (Write& w : writes)
      if (w.end <= marker) apply.push_back(std::move(w.change));
  }
  PartitionMeta done;
  done.input_offset = job.committed;
  done.changelog_offset = at;
  return job.store->apply(apply, done.json(), job.error);
}

}  // namespace

void restore_partition(const RestoreSettings& s, RestoreJob& job) {
  auto t0 = std::chrono::steady_clock::now();
  if (!run(s, job)) job.store.reset();
  job.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  job.done = true;
}

}  // namespace seg::rt
