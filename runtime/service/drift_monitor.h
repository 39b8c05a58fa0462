#pragma once
// Drift checks on a timer (RUNTIME.md §9: `drift_check_interval` in the deployment
// config), for `seg run --follow` and `seg serve`: every interval the host hands in what
// each destination holds now; the size reads (HTTP, SQL, with the connectors' retries)
// run on a thread of their own so the reader never waits for a platform; each finished
// check is appended to OUT/drift.ndjson, logged when it is not ok, and kept for metrics.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/connectors/deploy_config.h"
#include "runtime/service/drift.h"
#include "runtime/service/metrics.h"

namespace seg::rt {

class DriftMonitor {
 public:
  // `deploy` may be null or have no interval: then nothing ever runs.
  DriftMonitor(const DeployConfig* deploy, std::string out_dir);
  ~DriftMonitor();  // waits for a check in flight
  bool enabled() const { return interval_.count() > 0; }
  // Between records: starts a check when the interval has passed and none is in flight.
  // `held` (called only then: it scans the state): per destination of `b`, the members it
  // holds now.
  void maybe_check(const ir::Bundle& b, const std::function<std::vector<int64_t>()>& held);
  // The last check's results, for the metrics page.
  void publish(MetricsInput& m) const;

 private:
  const DeployConfig* deploy_;
  std::string out_dir_;
  std::chrono::seconds interval_{0};
  std::chrono::steady_clock::time_point last_{};
  std::future<void> inflight_;
  mutable std::mutex mu_;
  std::vector<DriftResult> last_results_;
  int64_t checks_ = 0;
};

}  // namespace seg::rt
