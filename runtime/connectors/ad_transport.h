#pragma once
// The ad platforms' transport (transport.h): one batch (one audience's adds, or its
// removes) goes to the platform audience of the ops' downstream name, found, created
// (adds only) and remembered by the platform's AdPlatform (ad_platform.h). The
// platform client retries rate limits and 5xx itself, with each platform's own codes
// (platform_client.h), so what comes back here is final: never retryable again.
#include <memory>
#include <string>
#include <vector>

#include "runtime/connectors/ad_platform.h"
#include "runtime/connectors/transport.h"

namespace seg::rt {

class AdPlatformTransport : public BatchTransport {
 public:
  explicit AdPlatformTransport(std::unique_ptr<AdPlatform> platform)
      : platform_(std::move(platform)) {}
  SendResult send(const std::vector<const BatchOp*>& batch, const std::string& batch_id) override;
  bool one_kind_per_batch() const override { return true; }
  int64_t retried() const override { return platform_->retried(); }

 private:
  std::unique_ptr<AdPlatform> platform_;
};

}  // namespace seg::rt
