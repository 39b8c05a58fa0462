#pragma once
// The postgres connector's transport (docs/warehouse.md): each batch is ONE transaction
// that inserts its ops into seg_ops (ON CONFLICT (op_id) DO NOTHING) and applies the
// ops actually inserted to seg_members, so a replayed batch changes nothing twice.
// A lost connection reconnects on the next attempt; connection errors, serialization
// failures and deadlocks are retryable, data errors (a constraint, a permission) are not.
#include <string>
#include <vector>

#include "runtime/connectors/postgres_conn.h"
#include "runtime/connectors/transport.h"

namespace seg::rt {

class PostgresTransport : public BatchTransport {
 public:
  PostgresTransport(std::string destination, ConnectorConfig cfg);
  ~PostgresTransport() override;
  SendResult send(const std::vector<const BatchOp*>& batch, const std::string& batch_id) override;
  bool applies_in_order() const override { return true; }  // one transaction, ops in batch order

 private:
  SendResult failed(pg_result* res);  // classifies, rolls back or drops the connection

  std::string destination_;
  ConnectorConfig cfg_;
  pg_conn* conn_ = nullptr;
  std::string insert_ops_, delete_members_, upsert_members_;  // SQL, in cfg_.schema
};

}  // namespace seg::rt
