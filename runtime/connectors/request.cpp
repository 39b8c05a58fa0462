// The request the webhook connector sends for one batch (docs/connectors.md):
// {"batch_id", "destination", "ops"}, the ops exactly as written. The ad platforms'
// requests are built by their AdPlatform (meta_platform.cpp, google_platform.cpp,
// tiktok_platform.cpp).
#include "runtime/connectors/connector.h"

namespace seg::rt {

std::string HttpConnector::request_body(const std::vector<const Op*>& batch, const std::string& id, std::string& method,
                                        std::string& url) const {
  using Json = nlohmann::ordered_json;
  // The ops exactly as written (field order included), without parsing them again.
  method = "POST";
  url = cfg_.url;
  std::string out = "{\"batch_id\":" + Json(id).dump() + ",\"destination\":" + Json(destination_).dump() + ",\"ops\":[";
  for (size_t i = 0; i < batch.size(); ++i) {
    if (i) out += ',';
    out += batch[i]->line;
  }
  return out + "]}";
}

}  // namespace seg::rt
