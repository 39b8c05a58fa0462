#pragma once
// The size of a destination's audience in the warehouse, for drift (RUNTIME.md §9):
// its current members in seg_members (docs/warehouse.md).
#include <cstdint>
#include <string>

#include "runtime/connectors/deploy_config.h"

namespace seg::rt {

// The count of rows of seg_members (in cfg.schema, over cfg.dsn) of `destination` and
// `segment` (empty: every segment of the destination). False, with `error` naming what
// failed (no connection; no seg_members table: nothing was delivered there yet), otherwise.
bool read_postgres_size(const ConnectorConfig& cfg, const std::string& destination,
                        const std::string& segment, int64_t& count, std::string& error);

}  // namespace seg::rt
