#pragma once
// A batching connector (RUNTIME.md §4): ops of one destination are queued, an add
// followed by a remove of the same keys within the batch window is netted for ads
// destinations (neither is sent), and batches within the type's limits are sent in order, one at a time, so a
// profile's later op is never sent before an earlier one is acknowledged and an add and
// a remove of the same keys are never in flight together. Sending one batch is the
// transport's (transport.h: the webhook's HTTP request, an ad platform's audience life
// cycle, a PostgreSQL transaction); what it calls retryable (429, 5xx, connection
// errors, serialization failures) is retried with exponential backoff and jitter,
// honouring Retry-After; anything else gives up at once into
// DIR/failed-<destination>.ndjson with the response. Each batch has an id derived from
// its ops, so a retried (or, after a crash, replayed) batch carries the same key.
// Acknowledged op ids are appended to DIR/delivered-<destination>.log; a resumed run
// does not send them again. An ad platform's batches hold one audience (the ops'
// `audience`, the downstream name) and one kind of op, and are sent audience by
// audience in rounds (flush()).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/connectors/backoff.h"
#include "runtime/connectors/deploy_config.h"
#include "runtime/connectors/transport.h"

namespace seg::rt {

struct DeliveryStats {
  int64_t queued = 0, sent = 0, acknowledged = 0, retried = 0, failed = 0, netted = 0, skipped = 0;
  int64_t batches = 0;
  double latency_ms_sum = 0, latency_ms_max = 0;  // per acknowledged batch, retries included
};

class BatchConnector {
 public:
  // `out_dir`: where failed-<destination>.ndjson, delivered-<destination>.log (and an ad
  // platform's audiences-<destination>.ndjson) go;
  // `resume`: read the delivered log first (ops in it are not sent again). `restarted`:
  // a run restarted from its --state, whose earlier give-ups are final: they count as
  // failed and their profiles stay blocked (a --resume run sends them again instead).
  BatchConnector(std::string destination, ConnectorConfig cfg, const std::string& out_dir, bool resume,
                 bool restarted = false);
  ~BatchConnector();

  void add(std::string_view op_line);
  void flush();        // send everything queued (blocks until acknowledged or given up)
  void maybe_flush();  // flush when the flush interval has passed or a batch is full
  const DeliveryStats& stats() const { return stats_; }
  const std::string& destination() const { return destination_; }

 private:
  using Op = BatchOp;
  void send(const std::vector<const Op*>& batch);
  void give_up(const std::vector<const Op*>& batch, const SendResult& r);
  std::string batch_id(const std::vector<const Op*>& batch) const;
  void read_failed();

  std::string destination_;
  ConnectorConfig cfg_;
  std::unique_ptr<BatchTransport> transport_;
  std::vector<Op> queue_;
  size_t live_ = 0;  // queued ops not netted
  std::unordered_set<std::string> delivered_;
  std::unordered_set<std::string> blocked_;  // profiles with an op given up on
  std::unordered_map<std::string, int64_t> last_;  // profile, segment, audience -> latest queued op
  struct Parser;
  std::unique_ptr<Parser> parser_;
  std::FILE* delivered_log_ = nullptr;
  std::string failed_path_;
  // when the oldest op still waiting arrived: a half-full batch waits at most
  // flush_interval_ms from then (not from the last flush, which a slow endpoint
  // would make long past, sending every later op alone)
  std::chrono::steady_clock::time_point oldest_;
  DeliveryStats stats_;
  Backoff backoff_;
};

}  // namespace seg::rt
