#pragma once
// The size a destination's platform reports for one audience (RUNTIME.md §9, drift):
// Meta's approximate count bounds, Google's user list size range, TikTok's cover_num,
// a webhook's size_url, the warehouse's count of seg_members rows (exact). `seg health`
// and `seg serve` compare it with what the engine expects there.
#include <cstdint>
#include <string>

#include "runtime/connectors/deploy_config.h"

namespace seg::rt {

struct AudienceSize {
  bool ok = false;         // a size was read
  bool supported = true;   // false: this connector has no way to ask (the file connector)
  int64_t lower = 0, upper = 0;  // an exact count has lower == upper
  std::string error;       // why not, when !ok
};

// `audience_name`: the downstream name (the ops' `audience`; postgres counts every
// member of `destination` in seg_members, whatever the name); `out_dir`: where the
// connector keeps audiences-<destination>.ndjson (name -> platform id). Never creates
// an audience: one the platform does not have is an error. Retries 429/5xx like the
// connectors.
AudienceSize read_audience_size(const ConnectorConfig& cfg, const std::string& destination,
                                const std::string& audience_name, const std::string& out_dir);

}  // namespace seg::rt
