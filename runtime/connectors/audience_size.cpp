// Size reads for drift (audience_size.h): the ad platforms through their AdPlatform, the
// webhook through its size_url, the warehouse by counting seg_members.
#include "runtime/connectors/audience_size.h"

#include "runtime/connectors/ad_platform.h"
#include "runtime/connectors/postgres_size.h"

namespace seg::rt {

namespace {

AudienceSize webhook_size(const ConnectorConfig& cfg, const std::string& audience) {
  AudienceSize out;
  if (cfg.size_url.empty()) {
    out.supported = false;
    out.error = "the webhook has no size_url";
    return out;
  }
  PlatformClient client(cfg);
  ApiResult r = client.call("GET", cfg.size_url, "audience=" + url_encode(audience));
  if (!r.ok) {
    out.error = cfg.size_url + ": " + r.what;
    return out;
  }
  if (!r.body.is_object() || !r.body.contains("size") || !r.body["size"].is_number_integer() ||
      r.body["size"].get<int64_t>() < 0) {
    out.error = cfg.size_url + ": expected {\"size\": N}, got " + r.response.body.substr(0, 200);
    return out;
  }
  out.ok = true;
  out.lower = out.upper = r.body["size"].get<int64_t>();
  return out;
}

// The warehouse holds the destination's current members exactly (docs/warehouse.md).
// seg_members is keyed by the destination (not the downstream name), over every
// segment feeding it: that is the audience the engine expects there.
AudienceSize postgres_size(const ConnectorConfig& cfg, const std::string& destination) {
  AudienceSize out;
  int64_t count = 0;
  out.ok = read_postgres_size(cfg, destination, "", count, out.error);
  if (out.ok) out.lower = out.upper = count;
  return out;
}

}  // namespace

AudienceSize read_audience_size(const ConnectorConfig& cfg, const std::string& destination,
                                const std::string& audience_name, const std::string& out_dir) {
  if (cfg.kind == ConnectorKind::Webhook) return webhook_size(cfg, audience_name);
  if (cfg.kind == ConnectorKind::Postgres) return postgres_size(cfg, destination);
  std::unique_ptr<AdPlatform> platform = AdPlatform::make(cfg, destination, out_dir);
  if (!platform) {
    AudienceSize out;
    out.supported = false;
    out.error = std::string("the ") + connector_name(cfg.kind) + " connector cannot read an audience's size";
    return out;
  }
  std::string id;
  ApiResult failure;
  if (!platform->resolve(audience_name, false, id, failure)) {
    AudienceSize out;
    out.error = failure.what;
    return out;
  }
  return platform->size(id);
}

}  // namespace seg::rt
