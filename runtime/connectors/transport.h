#pragma once
// The pluggable step of a batching connector (connector.h): send one batch and say how
// it went. The batching, ordering, netting, retries with backoff, delivered log and
// failed file are the connector's; a transport only knows its endpoint: the webhook's
// HTTP request (http_transport.h), an ad platform's audience life cycle
// (ad_transport.h) or one PostgreSQL transaction (postgres.h).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/connectors/deploy_config.h"

namespace seg::rt {

// One queued op: its line as written, and the few fields batching looks at.
struct BatchOp {
  std::string line;
  std::string kind, profile, segment, audience, op_id;
  std::string keys;  // the keys object's JSON text (as written: equal keys, equal text)
  bool netted = false;
  int64_t prev = -1;  // the previous queued op of the same profile, segment and audience
};

// What one attempt at sending a batch came to.
struct SendResult {
  bool ok = false;              // acknowledged: every op of the batch is delivered
  bool retryable = false;       // worth another attempt (after a backoff)
  long status = 0;              // HTTP status; 0: none (connection error, or not HTTP)
  std::string response;         // what the endpoint said (body, error message), for the failed file
  std::string code;             // a database's error code (SQLSTATE), when there is one
  int64_t retry_after_ms = -1;  // the endpoint asked to wait this long (Retry-After)
};

class BatchTransport {
 public:
  virtual ~BatchTransport() = default;
  // `batch_id`: deterministic over the destination and the batch's op ids (the same
  // batch after a retry or a restart has the same id).
  virtual SendResult send(const std::vector<const BatchOp*>& batch,
                          const std::string& batch_id) = 0;
  // Ad platforms: a request holds the adds, or the removes, of one audience (the ops'
  // downstream name); the connector then sends audience by audience, in rounds.
  virtual bool one_kind_per_batch() const { return false; }
  // The endpoint applies a batch's ops strictly in order (a database transaction), so
  // an add and a remove of the same keys may share a batch. An HTTP endpoint may not:
  // there, such a pair closes the batch, so the two are never in flight together.
  virtual bool applies_in_order() const { return false; }
  // Retries the transport made inside its own calls so far (an ad platform's client
  // retries each API call); the connector counts its own on top.
  virtual int64_t retried() const { return 0; }
};

// The transport of a configured connector (not File). `out_dir`: where an ad platform
// keeps audiences-<destination>.ndjson.
std::unique_ptr<BatchTransport> make_transport(const std::string& destination, const ConnectorConfig& cfg,
                                               const std::string& out_dir);

}  // namespace seg::rt
