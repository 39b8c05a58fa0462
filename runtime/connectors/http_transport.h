#pragma once
// The webhook's transport (transport.h): one HTTP POST per batch, the body
// {"batch_id", "destination", "ops"} with the ops exactly as written (docs/connectors.md).
// 2xx acknowledges; 429, 5xx and connection errors are retryable; other 4xx are not.
#include <string>
#include <vector>

#include "runtime/connectors/http.h"
#include "runtime/connectors/transport.h"

namespace seg::rt {

class HttpTransport : public BatchTransport {
 public:
  HttpTransport(std::string destination, ConnectorConfig cfg)
      : destination_(std::move(destination)), cfg_(std::move(cfg)) {}
  SendResult send(const std::vector<const BatchOp*>& batch, const std::string& batch_id) override;

 private:
  std::string destination_;
  ConnectorConfig cfg_;
  HttpClient http_;
};

}  // namespace seg::rt
