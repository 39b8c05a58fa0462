// The `seg serve` loop: consumer group, restores, transactions (serve.h).
#include "runtime/serve/serve.h"

#include <librdkafka/rdkafka.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>
#include <unistd.h>

#include "stdlib/builtins/builtins.h"
#include "runtime/serve/kafka_clients.h"
#include "runtime/serve/partition_task.h"
#include "runtime/serve/restore.h"
#include "runtime/serve/serve_metrics.h"
#include "runtime/service/metrics.h"

namespace seg::rt {
namespace {

using Key = std::pair<std::string, int32_t>;  // input topic, partition

int64_t system_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// One JSON line per event on stderr (RUNTIME.md §8).
void log(const char* level, const char* event, const std::string& msg, nlohmann::ordered_json extra = {}) {
  nlohmann::ordered_json j;
  j["ts"] = builtins::format_time(system_ms());
  j["level"] = level;
  j["event"] = event;
  j["msg"] = msg;
  if (extra.is_object())
    for (auto& [k, v] : extra.items()) j[k] = v;
  std::string line = j.dump() + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

std::string partition_name(const Key& k) { return k.first + "[" + std::to_string(k.second) + "]"; }

class Service {
 public:
  Service(const ir::Bundle& b, const ServeOptions& opt) : bundle_(&b), opt_(opt) {}
  ~Service();
  int run(std::string& error);

 private:
  bool make_clients(std::string& error);
  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts, void* opaque);
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque);
  void assigned(rd_kafka_topic_partition_list_t* parts);
  void revoked(rd_kafka_topic_partition_list_t* parts);
  void adopt_restored();
  bool end_cycle();
  bool produce(const std::string& topic, int32_t partition, std::string_view key, const std::string* value,
               const std::string* end);
  template <typename Call>
  bool txn_call(const char* what, Call call);
  void rewind_all();
  void seek_to(const Key& key, int64_t offset);
  void abort_and_rewind(const std::string& why);
  void swap_rules(const ir::Bundle& nb);
  int64_t wall_now() const { return opt_.wall_clock ? *opt_.wall_clock : system_ms(); }
  void publish();
  bool fail(const std::string& why) {
    if (fatal_.empty()) fatal_ = why;
    return false;
  }

  const ir::Bundle* bundle_;
  const ServeOptions& opt_;
  rd_kafka_t* consumer_ = nullptr;
  rd_kafka_t* producer_ = nullptr;
  std::map<Key, std::unique_ptr<PartitionTask>> tasks_;
  struct Restoring {
    std::unique_ptr<RestoreJob> job;
    std::thread thread;
  };
  std::map<Key, Restoring> restoring_;
  std::map<int32_t, int64_t> changelog_end_;  // per changelog partition: past our last write
  std::map<Key, int64_t> seeks_pending_;  // partitions whose seek must be retried
  bool in_txn_ = false, ever_assigned_ = false;
  int64_t undelivered_ = 0;
  bool trace_cycles_ = std::getenv("SEG_SERVE_TRACE") != nullptr;  // delivery reports with an error since the cycle's flush began
  std::string fatal_;
  int64_t records_in_cycle_ = 0;
  std::chrono::steady_clock::time_point cycle_start_ = std::chrono::steady_clock::now(), last_live_{};
  ServeCounters counters_;
  std::unique_ptr<MetricsServer> metrics_;
  std::chrono::steady_clock::time_point published_{};
};

Service::~Service() {
  for (auto& [k, r] : restoring_) {
    r.job->cancel = true;
    if (r.thread.joinable()) r.thread.join();
  }
  tasks_.clear();
  // librdkafka 2.0.2 asserts in rd_kafka_sticky_assignor_state_destroy when a consumer
  // that never finished joining (no assignment yet) is destroyed: the process is ending,
  // so such a consumer (already closed: it left the group) is not destroyed.
  if (consumer_ && ever_assigned_) rd_kafka_destroy(consumer_);
  if (producer_) rd_kafka_destroy(producer_);
}

bool Service::make_clients(std::string& error) {
  std::string txn_id = opt_.kafka.group + "." + opt_.instance;
  rd_kafka_conf_t* pc = client_conf(opt_.kafka, ClientRole::Producer,
                                    {{"transactional.id", txn_id}, {"linger.ms", "5"},
                                     {"queue.buffering.max.messages", "1000000"}},
                                    error);
  if (!pc) return false;
  rd_kafka_conf_set_dr_msg_cb(pc, on_delivery);
  rd_kafka_conf_set_opaque(pc, this);
  producer_ = new_client(ClientRole::Producer, pc, error);
  if (!producer_) return false;
  Settings group = {{"group.id", opt_.kafka.group},
                    {"partition.assignment.strategy", "cooperative-sticky"},
                    {"enable.auto.commit", "false"},
                    {"isolation.level", "read_committed"},
                    {"enable.partition.eof", "true"},
                    {"auto.offset.reset", "earliest"}};
  if (opt_.kafka.static_membership) group.emplace_back("group.instance.id", opt_.instance);
  rd_kafka_conf_t* cc = client_conf(opt_.kafka, ClientRole::Consumer, group, error);
  if (!cc) return false;
  rd_kafka_conf_set_rebalance_cb(cc, on_rebalance);
  rd_kafka_conf_set_opaque(cc, this);
  consumer_ = new_client(ClientRole::Consumer, cc, error);
  if (!consumer_) return false;
  rd_kafka_poll_set_consumer(consumer_);
  return true;
}

void Service::on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* s = static_cast<Service*>(opaque);
  if (m->err) ++s->undelivered_;
  if (m->err || std::string(rd_kafka_topic_name(m->rkt)) != s->opt_.kafka.changelog) return;
  int64_t& end = s->changelog_end_[m->partition];
  end = std::max(end, m->offset + 1);
}

void Service::on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts, void* opaque) {
  auto* s = static_cast<Service*>(opaque);
  ++s->counters_.rebalances;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    s->assigned(parts);
  } else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
    s->revoked(parts);
  } else {
    log("error", "rebalance", std::string("rebalance failed: ") + rd_kafka_err2str(err));
    rd_kafka_assign(rk, nullptr);
  }
}

// New partitions wait paused while a thread brings their state up to the group's
// committed offset; the loop keeps polling meanwhile (no eviction for a long restore).
void Service::assigned(rd_kafka_topic_partition_list_t* parts) {
  ever_assigned_ = true;
  rd_kafka_error_t* e = rd_kafka_incremental_assign(consumer_, parts);
  if (e) {
    fail(std::string("cannot take the assigned partitions: ") + rd_kafka_error_string(e));
    rd_kafka_error_destroy(e);
    return;
  }
  rd_kafka_pause_partitions(consumer_, parts);
  RestoreSettings rs{opt_.kafka, opt_.state_dir};
  for (int i = 0; i < parts->cnt; ++i) {
    Key key{parts->elems[i].topic, parts->elems[i].partition};
    log("info", "assigned", "partition " + partition_name(key) + " assigned; restoring its state",
        {{"topic", key.first}, {"partition", key.second}});
    Restoring& r = restoring_[key];
    r.job = std::make_unique<RestoreJob>();
    r.job->topic = key.first;
    r.job->partition = key.second;
    RestoreJob* job = r.job.get();
    r.thread = std::thread([rs, job] { restore_partition(rs, *job); });
  }
  if (metrics_) metrics_->set_ready(false);
}

// Revoked: this cycle's work committed (the next owner starts from it), local state
// kept. Lost (the session timed out): the transaction aborted, nothing of it kept.
void Service::revoked(rd_kafka_topic_partition_list_t* parts) {
  bool lost = rd_kafka_assignment_lost(consumer_);
  if (lost) {
    if (in_txn_) {
      rd_kafka_error_t* e = rd_kafka_abort_transaction(producer_, 30000);
      if (e) rd_kafka_error_destroy(e);
      ++counters_.aborts;
    }
    in_txn_ = false;
    rewind_all();
  } else {
    end_cycle();
  }
  for (int i = 0; i < parts->cnt; ++i) {
    Key key{parts->elems[i].topic, parts->elems[i].partition};
    if (auto it = restoring_.find(key); it != restoring_.end()) {
      it->second.job->cancel = true;
      if (it->second.thread.joinable()) it->second.thread.join();
      restoring_.erase(it);
    }
    tasks_.erase(key);
    log("info", lost ? "lost" : "revoked", "partition " + partition_name(key) + (lost ? " lost" : " revoked"),
        {{"topic", key.first}, {"partition", key.second}});
  }
  rd_kafka_error_t* e = rd_kafka_incremental_unassign(consumer_, parts);
  if (e) rd_kafka_error_destroy(e);
}

// Restored partitions become tasks: read on from their committed offset.
void Service::adopt_restored() {
  for (auto it = restoring_.begin(); it != restoring_.end();) {
    RestoreJob& job = *it->second.job;
    if (!job.done) {
      ++it;
      continue;
    }
    it->second.thread.join();
    Key key = it->first;
    if (!job.store) {
      fail("restoring " + partition_name(key) + ": " + job.error);
      restoring_.erase(it);
      return;
    }
    std::string error;
    auto task = PartitionTask::open(*bundle_, key.first, key.second, std::move(job.store), error);
    if (!task) {
      fail("opening the state of " + partition_name(key) + ": " + error);
      return;
    }
    task->attach(opt_.on_engine, opt_.on_engine_end);
    counters_.restore_seconds += job.seconds;
    counters_.restore_bytes += job.bytes;
    log("info", "restored",
        "partition " + partition_name(key) + " ready at offset " + std::to_string(job.committed),
        {{"topic", key.first}, {"partition", key.second}, {"offset", job.committed}, {"changelog_messages", job.messages},
         {"changelog_bytes", job.bytes}, {"seconds", job.seconds}, {"profiles", task->engine().profiles()}});
    seek_to(key, job.committed);
    rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, key.first.c_str(), key.second);
    rd_kafka_resume_partitions(consumer_, l);
    rd_kafka_topic_partition_list_destroy(l);
    tasks_[key] = std::move(task);
    it = restoring_.erase(it);
  }
  if (metrics_ && restoring_.empty()) metrics_->set_ready(true);
}

bool Service::produce(const std::string& topic, int32_t partition, std::string_view key, const std::string* value,
                      const std::string* end) {
  for (;;) {
    rd_kafka_resp_err_t e;
    if (end) {
      e = rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                            RD_KAFKA_V_KEY(key.data(), key.size()),
                            RD_KAFKA_V_VALUE(value ? const_cast<char*>(value->data()) : nullptr, value ? value->size() : 0),
                            RD_KAFKA_V_HEADER("seg.end", end->data(), static_cast<ssize_t>(end->size())),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    } else {
      e = rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
                            RD_KAFKA_V_VALUE(const_cast<char*>(value->data()), value->size()),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    }
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
    if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      char why[256];
      if (rd_kafka_fatal_error(producer_, why, sizeof why))
        return fail("producing to " + topic + ": " + why);
      // The transaction failed already (a message it holds could not be delivered):
      // the caller aborts it and reads the records again.
      log("warn", "produce", "producing to " + topic + ": " + rd_kafka_err2str(e));
      return false;
    }
    rd_kafka_poll(producer_, 50);  // the queue drains as the broker acknowledges
  }
}

// A transactional call, retried while its error is retriable; true when it succeeded.
// An error that needs an abort aborts and rewinds every partition to its last commit
// (false, fatal_ empty: the records are read again); a fatal one — fenced by a newer
// instance with our transactional.id — stops the service.
template <typename Call>
bool Service::txn_call(const char* what, Call call) {
  for (int attempt = 0;; ++attempt) {
    rd_kafka_error_t* err = call();
    if (!err) return true;
    std::string msg = std::string(what) + ": " + rd_kafka_error_string(err);
    bool fatal = rd_kafka_error_is_fatal(err), abort = rd_kafka_error_txn_requires_abort(err),
         retriable = rd_kafka_error_is_retriable(err);
    rd_kafka_error_destroy(err);
    if (fatal)
      return fail("the transactional producer failed (" + msg + "); is another instance running with --instance " +
                  opt_.instance + "? (fenced)");
    if (retriable && attempt < 10) {
      log("warn", "retry", msg);
      std::this_thread::sleep_for(std::chrono::milliseconds(100 << std::min(attempt, 5)));
      continue;
    }
    if (!abort && !in_txn_) return fail(msg);
    abort_and_rewind(msg);
    return false;
  }
}

void Service::abort_and_rewind(const std::string& why) {
  log("warn", "abort", "transaction aborted: " + why + "; rewinding to the last commit");
  ++counters_.aborts;
  rd_kafka_error_t* e = rd_kafka_abort_transaction(producer_, 60000);
  in_txn_ = false;
  if (e) {
    std::string what = rd_kafka_error_string(e);
    rd_kafka_error_destroy(e);
    fail("cannot abort the transaction: " + what);
    return;
  }
  rewind_all();
}

void Service::rewind_all() {
  for (auto& [key, task] : tasks_) {
    std::string error;
    if (!task->rewind(error)) {
      fail("rewinding " + partition_name(key) + ": " + error);
      return;
    }
    seek_to(key, task->committed_offset());
  }
}

// The partition read on from `offset`. A seek that fails is retried from the loop, and
// until one succeeds the partition's messages are dropped: reading on from where the
// fetcher was would skip the records between.
void Service::seek_to(const Key& key, int64_t offset) {
  rd_kafka_topic_partition_list_t* l = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(l, key.first.c_str(), key.second)->offset =
      offset > 0 ? offset : RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_error_t* e = rd_kafka_seek_partitions(consumer_, l, 10000);
  std::string why = e ? rd_kafka_error_string(e) : l->elems[0].err ? rd_kafka_err2str(l->elems[0].err) : "";
  if (e) rd_kafka_error_destroy(e);
  rd_kafka_topic_partition_list_destroy(l);
  if (why.empty()) {
    seeks_pending_.erase(key);
    return;
  }
  if (!seeks_pending_.count(key))
    log("warn", "seek", "cannot move " + partition_name(key) + " to offset " + std::to_string(offset) + " yet: " + why);
  seeks_pending_[key] = offset;
}

// One transaction: every partition's complete instants, their ops, rejected records,
// state changes and next offsets; the local stores written once it committed. False
// only when the service must stop (fatal_); an aborted cycle is read again.
bool Service::end_cycle() {
  int64_t records = records_in_cycle_;
  records_in_cycle_ = 0;
  cycle_start_ = std::chrono::steady_clock::now();
  // Live time moves once a second (RUNTIME.md §3: at least that often): on a quiet
  // stream a partition commits only when its clock moved, not every cycle.
  std::optional<int64_t> live;
  if (cycle_start_ - last_live_ >= std::chrono::seconds(1)) {
    live = wall_now() - opt_.lateness_ms;
    last_live_ = cycle_start_;
  }
  std::vector<PartitionTask*> work;
  for (auto& [key, task] : tasks_) {
    task->close(live);
    if (task->has_changes()) work.push_back(task.get());
  }
  if (work.empty() || !fatal_.empty()) return fatal_.empty();
  if (!in_txn_) {
    if (!txn_call("begin_transaction", [&] { return rd_kafka_begin_transaction(producer_); })) return fatal_.empty();
    in_txn_ = true;
  }
  std::vector<PreparedCommit> prepared;
  rd_kafka_topic_partition_list_t* offsets = rd_kafka_topic_partition_list_new(static_cast<int>(work.size()));
  bool ok = true;
  for (PartitionTask* t : work) {
    for (const PendingOp& op : t->ops())
      ok = ok && produce(opt_.kafka.ops_prefix + bundle_->destinations[op.destination].name, RD_KAFKA_PARTITION_UA,
                         op.profile, &op.line, nullptr);
    for (const RejectedRecord& r : t->rejected()) {
      nlohmann::ordered_json j;
      j["topic"] = t->topic();
      j["partition"] = t->partition();
      j["offset"] = r.offset;
      j["cause"] = r.cause;
      j["reason"] = r.reason;
      j["raw"] = r.raw;
      std::string v = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      ok = ok && produce(opt_.kafka.dead_letter, RD_KAFKA_PARTITION_UA, r.key, &v, nullptr);
    }
    prepared.push_back(t->prepare());
    std::string end = std::to_string(t->next_offset());
    for (const StateChange& ch : prepared.back().changes)
      ok = ok && produce(opt_.kafka.changelog, t->partition(), changelog_key(t->topic(), ch.key),
                         ch.value ? &*ch.value : nullptr, &end);
    rd_kafka_topic_partition_list_add(offsets, t->topic().c_str(), t->partition())->offset = t->next_offset();
  }
  // The cycle markers go last, once every other message of the transaction has been
  // acknowledged: a marker then never names a state whose ops are not all in the log,
  // even on a broker that shows what a transaction wrote before it commits or aborts
  // (librdkafka's mock cluster; restore.h). A message that could not be delivered
  // aborts the transaction instead.
  auto tp = std::chrono::steady_clock::now();
  if (ok) {
    undelivered_ = 0;
    if (rd_kafka_flush(producer_, 60000) != RD_KAFKA_RESP_ERR_NO_ERROR || undelivered_ > 0) ok = false;
  }
  for (PartitionTask* t : work) {
    std::string end = std::to_string(t->next_offset());
    ok = ok && produce(opt_.kafka.changelog, t->partition(), changelog_key(t->topic(), kCycleKey), &end, &end);
  }
  auto tf = std::chrono::steady_clock::now();
  rd_kafka_consumer_group_metadata_t* cgmd = rd_kafka_consumer_group_metadata(consumer_);
  ok = ok && txn_call("send_offsets_to_transaction",
                      [&] { return rd_kafka_send_offsets_to_transaction(producer_, offsets, cgmd, 30000); });
  auto to = std::chrono::steady_clock::now();
  ok = ok && txn_call("commit_transaction", [&] { return rd_kafka_commit_transaction(producer_, 60000); });
  if (trace_cycles_) {  // SEG_SERVE_TRACE=1: where a cycle's time goes (docs/serve.md)
    auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    log("debug", "cycle", "transaction timings",
        {{"records", records}, {"partitions", work.size()}, {"produce_ms", ms(cycle_start_, tp)},
         {"flush_ms", ms(tp, tf)}, {"offsets_ms", ms(tf, to)}, {"commit_ms", ms(to, std::chrono::steady_clock::now())}});
  }
  rd_kafka_consumer_group_metadata_destroy(cgmd);
  rd_kafka_topic_partition_list_destroy(offsets);
  if (!ok && fatal_.empty() && in_txn_) abort_and_rewind("a message of the transaction was not delivered");
  if (!ok) return fatal_.empty();
  in_txn_ = false;
  ++counters_.commits;
  rd_kafka_poll(producer_, 0);  // delivery reports: where the changelog ends now
  for (size_t i = 0; i < work.size(); ++i) {
    std::string error;
    if (!work[i]->write(prepared[i], changelog_end_[work[i]->partition()], error))
      return fail("writing the local state of " + work[i]->topic() + "[" + std::to_string(work[i]->partition()) +
                  "]: " + error);
    work[i]->ops().clear();
    work[i]->rejected().clear();
  }
  return true;
}

// SIGHUP: every partition's state carried into the new rules (RUNTIME.md §6); the ops
// with reason rule_change commit with the next cycle.
void Service::swap_rules(const ir::Bundle& nb) {
  std::string from = bundle_->revision;
  bundle_ = &nb;
  int64_t ops = 0, profiles = 0;
  std::map<Key, std::string> states;
  for (auto& [key, task] : tasks_) states[key] = task->park();
  for (auto& [key, task] : tasks_) {
    RuleChangeReport r;
    std::string error;
    if (!task->resume(nb, states[key], r, error)) {
      fail("swapping the rules of " + partition_name(key) + ": " + error);
      return;
    }
    ops += r.ops;
    profiles += r.profiles;
  }
  ++counters_.rule_changes;
  log("info", "rule_change", "rules changed (bundle " + from + " -> " + nb.revision + ")",
      {{"from", from}, {"to", nb.revision}, {"profiles", profiles}, {"ops", ops}});
}

void Service::publish() {
  ServeSnapshot snap;
  snap.bundle = bundle_;
  snap.counters = counters_;
  for (auto& [key, task] : tasks_) {
    ServeSnapshot::Partition p;
    p.topic = key.first;
    p.partition = key.second;
    p.task = task.get();
    int64_t lo = 0, hi = 0;
    if (rd_kafka_get_watermark_offsets(consumer_, key.first.c_str(), key.second, &lo, &hi) == RD_KAFKA_RESP_ERR_NO_ERROR)
      p.lag = std::max<int64_t>(0, hi - task->next_offset());
    snap.partitions.push_back(p);
  }
  snap.restoring = static_cast<int64_t>(restoring_.size());
  snap.wall_ms = wall_now();
  std::error_code ec;
  snap.state_bytes = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(opt_.state_dir, ec))
    if (f.is_regular_file(ec)) snap.state_bytes += static_cast<int64_t>(f.file_size(ec));
  metrics_->publish(serve_metrics_text(snap));
  metrics_->heartbeat();
  published_ = std::chrono::steady_clock::now();
}

int Service::run(std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(opt_.state_dir, ec);
  if (ec) {
    error = "cannot create " + opt_.state_dir + ": " + ec.message();
    return 3;
  }
  if (!opt_.listen.empty()) {
    metrics_ = MetricsServer::start(opt_.listen, error);
    if (!metrics_) return 3;
    log("info", "listen", "metrics on " + metrics_->address() + "/metrics", {{"address", metrics_->address()}});
  }
  if (!make_clients(error)) return 3;
  rd_kafka_error_t* e = rd_kafka_init_transactions(producer_, 60000);
  if (e) {
    error = std::string("cannot start transactions (transactional.id ") + opt_.kafka.group + "." + opt_.instance +
            "): " + rd_kafka_error_string(e);
    rd_kafka_error_destroy(e);
    return 3;
  }
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(static_cast<int>(opt_.kafka.topics.size()));
  for (const std::string& t : opt_.kafka.topics) rd_kafka_topic_partition_list_add(topics, t.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t se = rd_kafka_subscribe(consumer_, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (se) {
    error = std::string("cannot subscribe: ") + rd_kafka_err2str(se);
    return 3;
  }
  log("info", "start", "seg serve started", {{"group", opt_.kafka.group}, {"instance", opt_.instance},
                                             {"bundle", bundle_->revision}, {"topics", opt_.kafka.topics}});
  if (metrics_) {
    publish();
    metrics_->set_ready(false);
  }
  while (fatal_.empty()) {
    if (opt_.stop_requested && opt_.stop_requested()) break;
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, 20);
    if (m) {
      Key key{m->rkt ? rd_kafka_topic_name(m->rkt) : "", m->partition};
      auto it = tasks_.find(key);
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (it != tasks_.end()) it->second->set_caught_up(true);
      } else if (m->err) {
        if (rd_kafka_fatal_error(consumer_, nullptr, 0)) fail(std::string("the consumer failed: ") + rd_kafka_message_errstr(m));
        else log("warn", "consume", rd_kafka_message_errstr(m));
      } else if (it != tasks_.end() && !seeks_pending_.count(key) && m->offset >= it->second->next_offset()) {
        int64_t max_ts = opt_.max_future_ms ? wall_now() + *opt_.max_future_ms : INT64_MAX;
        it->second->add(m->offset, std::string_view(static_cast<const char*>(m->key), m->key ? m->key_len : 0),
                        std::string_view(static_cast<const char*>(m->payload), m->len), max_ts);
        it->second->set_caught_up(false);
        ++records_in_cycle_;
      }
      rd_kafka_message_destroy(m);
    }
    adopt_restored();
    if (!seeks_pending_.empty()) {  // rare: not copied on every message
      for (auto pending = seeks_pending_; const auto& [key, offset] : pending) {
        if (tasks_.count(key)) seek_to(key, offset);
        else seeks_pending_.erase(key);
      }
    }
    if (opt_.poll_rules)
      if (const ir::Bundle* nb = opt_.poll_rules()) swap_rules(*nb);
    if (records_in_cycle_ >= opt_.kafka.max_cycle_records ||
        std::chrono::steady_clock::now() - cycle_start_ >= std::chrono::milliseconds(opt_.kafka.commit_interval_ms))
      end_cycle();
    if (metrics_ && std::chrono::steady_clock::now() - published_ >= std::chrono::seconds(1)) publish();
    rd_kafka_poll(producer_, 0);
  }
  if (fatal_.empty()) {  // SIGTERM: the last cycle committed, then the group left cleanly
    end_cycle();
    log("info", "stop", "stopping: leaving the group");
    rd_kafka_consumer_close(consumer_);
  }
  if (!fatal_.empty()) {
    error = fatal_;
    log("error", "fatal", fatal_);
    return 3;
  }
  log("info", "stopped", "seg serve stopped", {{"commits", counters_.commits}, {"aborts", counters_.aborts}});
  return 0;
}

}  // namespace

int serve(const ir::Bundle& b, const ServeOptions& opt, std::string& error) {
  Service s(b, opt);
  return s.run(error);
}

}  // namespace seg::rt
