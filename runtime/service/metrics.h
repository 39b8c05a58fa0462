#pragma once
// `seg run --listen HOST:PORT` (RUNTIME.md §8): GET /metrics in the Prometheus text
// format, /healthz and /readyz, served by cpp-httplib (Debian's libcpp-httplib-dev:
// header-only, no second runtime to link; prometheus-cpp would bring its own registry
// and civetweb for a dozen series). The run loop renders the text about once a second
// from plain numbers (MetricsInput) and publishes it; the server thread only copies the
// latest text out, so no counter is read while the engine writes it.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace seg::rt {

// Seconds to apply one record, in fixed buckets (sampled by the run loop).
struct LatencyHistogram {
  static constexpr std::array<double, 12> kBounds = {1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4,
                                                     1e-3, 5e-3, 1e-2, 5e-2, 0.1,  1.0};
  std::array<int64_t, kBounds.size()> buckets{};  // not cumulative: one bucket per sample
  int64_t count = 0;
  double sum = 0;
  void observe(double seconds);
};

struct MetricsInput {
  std::map<std::string, int64_t> records;          // outcome -> count
  std::map<std::string, int64_t> rejected_by;      // cause -> count
  int64_t late = 0, rule_changes = 0;
  bool started = false;                            // the engine has a watermark
  int64_t watermark_ms = 0, wall_ms = 0;
  struct Destination {
    std::string name;
    int64_t add = 0, remove = 0, update = 0;       // emitted by the engine
    bool http = false;                             // the delivery series below apply
    int64_t acknowledged = 0, failed = 0, netted = 0, skipped = 0, retried = 0, batches = 0;
    int64_t queue_depth = 0;
  };
  std::vector<Destination> destinations;
  std::vector<std::pair<std::string, int64_t>> audiences;  // name -> members
  LatencyHistogram evaluation;
  int64_t state_bytes = -1;                        // -1: no --state
  struct DriftGauge {                              // the last drift check per destination
    std::string destination, status;
    double mismatch = -1;                          // -1: no size was read
    int64_t expected = 0, reported_lower = -1, reported_upper = -1;
  };
  std::vector<DriftGauge> drift;
  int64_t drift_checks = 0;
  std::string bundle;
};

// The Prometheus text exposition of `m` (names seg_*, counters _total).
std::string metrics_text(const MetricsInput& m);

// Splits --listen's HOST:PORT (port 0: any free one; [v6] brackets kept in host).
// False with `error` set when it is not of that form.
bool parse_listen(const std::string& host_port, std::string& host, int& port, std::string& error);

class MetricsServer {
 public:
  // Binds HOST:PORT (PORT 0: any free port) and serves on a thread of its own.
  static std::unique_ptr<MetricsServer> start(const std::string& host_port, std::string& error);
  ~MetricsServer();
  int port() const { return port_; }
  std::string address() const;
  void publish(std::string text);
  void set_ready(bool ready) { ready_ = ready; }
  void heartbeat();  // the run loop is alive (healthz fails after 30 s without one)

 private:
  MetricsServer() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string host_;
  int port_ = 0;
  std::mutex mu_;
  std::string text_;
  std::atomic<bool> ready_{false};
  std::atomic<int64_t> beat_ms_{0};
};

}  // namespace seg::rt
