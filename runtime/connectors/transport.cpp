// The choice of transport per connector kind (transport.h).
#include "runtime/connectors/transport.h"

#include "runtime/connectors/ad_transport.h"
#include "runtime/connectors/http_transport.h"
#include "runtime/connectors/postgres.h"

namespace seg::rt {

std::unique_ptr<BatchTransport> make_transport(const std::string& destination,
                                               const ConnectorConfig& cfg,
                                               const std::string& out_dir) {
  if (cfg.kind == ConnectorKind::Postgres)
    return std::make_unique<PostgresTransport>(destination, cfg);
  if (auto platform = AdPlatform::make(cfg, destination, out_dir))  // Meta, Google, TikTok
    return std::make_unique<AdPlatformTransport>(std::move(platform));
  return std::make_unique<HttpTransport>(destination, cfg);  // the webhook
}

}  // namespace seg::rt
