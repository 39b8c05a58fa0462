// Drift checks on a timer (drift_monitor.h).
#include "runtime/service/drift_monitor.h"

#include <fmt/format.h>

#include <cstdio>

namespace seg::rt {

DriftMonitor::DriftMonitor(const DeployConfig* deploy, std::string out_dir)
    : deploy_(deploy), out_dir_(std::move(out_dir)) {
  if (deploy_) interval_ = std::chrono::seconds(deploy_->drift_check_interval_s);
}

DriftMonitor::~DriftMonitor() {
  if (inflight_.valid()) inflight_.wait();
}

void DriftMonitor::maybe_check(const ir::Bundle& b, const std::function<std::vector<int64_t>()>& held_now) {
  if (!enabled()) return;
  bool any = false;
  for (const ir::Destination& d : b.destinations) any |= d.drift.has_value();
  if (!any) return;
  auto now = std::chrono::steady_clock::now();
  if (inflight_.valid()) {
    if (inflight_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    inflight_.get();
  }
  if (checks_ > 0 && now - last_ < interval_) return;
  last_ = now;
  std::vector<int64_t> held = held_now();
  // What summary.json would say of the destinations with a drift line (check_drift's input).
  nlohmann::json summary;
  summary["destinations"] = nlohmann::json::object();
  for (size_t i = 0; i < b.destinations.size(); ++i) {
    const ir::Destination& d = b.destinations[i];
    if (!d.drift) continue;
    summary["destinations"][d.name] = {{"audience", d.downstream},
                                       {"expected_size", i < held.size() ? held[i] : 0},
                                       {"drift", {{"warn", d.drift->warn}, {"fail", d.drift->fail}}}};
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++checks_;
  }
  int64_t wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  inflight_ = std::async(std::launch::async, [this, summary = std::move(summary), wall]() {
    std::vector<DriftResult> results = check_drift(summary, *deploy_, out_dir_, wall);
    std::string error;
    if (!record_drift(out_dir_, results, error)) std::fprintf(stderr, "seg: drift: %s\n", error.c_str());
    for (const DriftResult& r : results)
      if (r.status != "ok")
        std::fprintf(stderr, "%s\n", fmt::format("seg: drift: {} ({}) {}{}{}", r.destination, r.audience, r.status,
                                                 r.mismatch ? fmt::format(", mismatch {:.1f}%", *r.mismatch * 100) : "",
                                                 r.error.empty() ? "" : ": " + r.error)
                                         .c_str());
    std::lock_guard<std::mutex> lock(mu_);
    last_results_ = std::move(results);
  });
}

void DriftMonitor::publish(MetricsInput& m) const {
  std::lock_guard<std::mutex> lock(mu_);
  m.drift_checks = checks_;
  m.drift.clear();
  for (const DriftResult& r : last_results_)
    m.drift.push_back({r.destination, r.status, r.mismatch.value_or(-1), r.expected, r.lower.value_or(-1),
                       r.upper.value_or(-1)});
}

}  // namespace seg::rt
