#pragma once
// The HTTP transport of the batching connector (transport.h): one request per batch, to
// the webhook or an ad platform, in the shape request.cpp builds. 2xx acknowledges;
// 429, 5xx and connection errors are retryable; other 4xx are not.
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
  bool one_kind_per_batch() const override { return cfg_.kind != ConnectorKind::Webhook; }

 private:
  // request.cpp: each platform's body, method and URL.
  std::string request_body(const std::vector<const BatchOp*>& batch, const std::string& batch_id,
                           std::string& method, std::string& url) const;

  std::string destination_;
  ConnectorConfig cfg_;
  HttpClient http_;
};

}  // namespace seg::rt
