// A partition's local state brought up to its committed input offset from the
// changelog (restore.h).
#include "runtime/serve/restore.h"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <vector>

#include "runtime/serve/partition_task.h"

namespace seg::rt {

std::string partition_dir(const std::string& state_dir, const std::string& topic, int32_t partition) {
  return state_dir + "/" + topic + "-" + std::to_string(partition);
}

std::string changelog_key(const std::string& topic, const std::string& store_key) { return topic + '\0' + store_key; }

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
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  auto set = [&](const std::string& k, const std::string& v) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) == RD_KAFKA_CONF_OK) return true;
    error = "kafka property " + k + ": " + err;
    return false;
  };
  for (const auto& [k, v] : s.properties)
    if (!set(k, v)) return rd_kafka_conf_destroy(conf), false;
  if (!set("bootstrap.servers", s.brokers) || !set("group.id", s.group) || !set("enable.auto.commit", "false") ||
      !set("isolation.level", "read_committed") || !set("enable.partition.eof", "true") ||
      !set("auto.offset.reset", "earliest"))
    return rd_kafka_conf_destroy(conf), false;
  h.rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!h.rk) {
    error = std::string("cannot create the restore consumer: ") + err;
    return false;
  }
  return true;
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
  Handle h;
  if (!make_consumer(s, h, job.error)) return false;
  // The group's committed offset for the input partition.
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, job.topic.c_str(), job.partition);
  rd_kafka_resp_err_t e = rd_kafka_committed(h.rk, list, 30000);
  int64_t c = list->elems[0].offset;
  rd_kafka_resp_err_t pe = list->elems[0].err;
  rd_kafka_topic_partition_list_destroy(list);
  if (e || pe) {
    job.error = std::string("cannot read the committed offset of ") + job.topic + "[" + std::to_string(job.partition) +
                "]: " + rd_kafka_err2str(e ? e : pe);
    return false;
  }
  job.committed = c < 0 ? 0 : c;
  PartitionMeta m = PartitionMeta::parse(job.store->run_meta());
  if (job.store->committed() && m.input_offset == job.committed) return true;  // up to date
  int64_t from = m.changelog_offset;
  if (!job.store->committed() || m.input_offset > job.committed) {  // rebuilt from the start
    job.store.reset();
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir, ec);
    job.store = DurableState::open(dir, false, job.error);
    if (!job.store) return false;
    from = 0;
  }
  std::string old_meta = job.store->run_meta().empty() ? PartitionMeta{}.json() : job.store->run_meta();
  int64_t low = 0, high = 0;
  e = rd_kafka_query_watermark_offsets(h.rk, s.changelog.c_str(), job.partition, &low, &high, 30000);
  if (e) {
    job.error = "cannot read the changelog " + s.changelog + "[" + std::to_string(job.partition) + "]'s offsets: " + rd_kafka_err2str(e);
    return false;
  }
  from = std::max(from, low);
  std::vector<StateChange> batch;
  size_t batch_bytes = 0;
  std::string prefix = job.topic + '\0';
  if (job.committed > 0 && from < high) {
    list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, s.changelog.c_str(), job.partition)->offset = from;
    e = rd_kafka_assign(h.rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (e) {
      job.error = std::string("cannot read the changelog: ") + rd_kafka_err2str(e);
      return false;
    }
    int64_t at = from;
    auto last_progress = std::chrono::steady_clock::now();
    while (at < high) {
      if (job.cancel) return false;
      rd_kafka_message_t* msg = rd_kafka_consumer_poll(h.rk, 200);
      if (!msg) {
        if (std::chrono::steady_clock::now() - last_progress > std::chrono::seconds(60)) {
          job.error = "the changelog " + s.changelog + " stopped at offset " + std::to_string(at) + " of " + std::to_string(high);
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
      if (key.substr(0, prefix.size()) == prefix && header_end(msg) <= job.committed) {
        StateChange ch{std::string(key.substr(prefix.size())), std::nullopt};
        if (msg->payload) ch.value = std::string(static_cast<const char*>(msg->payload), msg->len);
        batch_bytes += ch.key.size() + (ch.value ? ch.value->size() : 0);
        batch.push_back(std::move(ch));
      }
      rd_kafka_message_destroy(msg);
      if (batch_bytes > (16 << 20)) {  // a restore cut off here starts again from old_meta's offset
        if (!job.store->apply(batch, old_meta, job.error)) return false;
        batch.clear();
        batch_bytes = 0;
      }
    }
    high = at;
  }
  PartitionMeta done;
  done.input_offset = job.committed;
  done.changelog_offset = high;
  return job.store->apply(batch, done.json(), job.error);
}

}  // namespace

void restore_partition(const RestoreSettings& s, RestoreJob& job) {
  auto t0 = std::chrono::steady_clock::now();
  if (!run(s, job)) job.store.reset();
  job.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  job.done = true;
}

}  // namespace seg::rt
