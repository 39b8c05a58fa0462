// The /metrics text and the small HTTP server of `seg run --listen` (metrics.h).
#include "runtime/service/metrics.h"

#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <thread>

namespace seg::rt {
namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A label value as the text format wants it: backslash, quote and newline escaped.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void family(std::string& out, const char* name, const char* type, const char* help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

void LatencyHistogram::observe(double seconds) {
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  if (i < kBounds.size()) ++buckets[i];
  ++count;
  sum += seconds;
}

std::string metrics_text(const MetricsInput& m) {
  std::string o;
  family(o, "seg_records_total", "counter", "Input lines by outcome.");
  for (const auto& [outcome, n] : m.records) o += fmt::format("seg_records_total{{outcome=\"{}\"}} {}\n", label(outcome), n);
  family(o, "seg_records_rejected_total", "counter", "Rejected input lines by cause.");
  for (const auto& [cause, n] : m.rejected_by)
    o += fmt::format("seg_records_rejected_total{{cause=\"{}\"}} {}\n", label(cause), n);
  family(o, "seg_records_late_total", "counter", "Records older than the watermark when they arrived.");
  o += fmt::format("seg_records_late_total {}\n", m.late);
  if (m.started) {
    family(o, "seg_watermark_seconds", "gauge", "The engine's watermark, in Unix seconds.");
    o += fmt::format("seg_watermark_seconds {:.3f}\n", m.watermark_ms / 1000.0);
    family(o, "seg_wall_clock_lag_seconds", "gauge", "The wall clock minus the watermark.");
    o += fmt::format("seg_wall_clock_lag_seconds {:.3f}\n", (m.wall_ms - m.watermark_ms) / 1000.0);
  }
  family(o, "seg_ops_total", "counter", "Ops the engine emitted, by destination and kind.");
  for (const auto& d : m.destinations) {
    std::string n = label(d.name);
    o += fmt::format("seg_ops_total{{destination=\"{}\",kind=\"add\"}} {}\n", n, d.add);
    o += fmt::format("seg_ops_total{{destination=\"{}\",kind=\"remove\"}} {}\n", n, d.remove);
    o += fmt::format("seg_ops_total{{destination=\"{}\",kind=\"update\"}} {}\n", n, d.update);
  }
  family(o, "seg_delivery_ops_total", "counter", "Ops of HTTP destinations by what became of them.");
  for (const auto& d : m.destinations) {
    if (!d.http) continue;
    std::string n = label(d.name);
    for (auto [result, v] : {std::pair{"acknowledged", d.acknowledged}, {"failed", d.failed}, {"netted", d.netted},
                             {"skipped", d.skipped}})
      o += fmt::format("seg_delivery_ops_total{{destination=\"{}\",result=\"{}\"}} {}\n", n, result, v);
  }
  family(o, "seg_delivery_retries_total", "counter", "Requests retried, by destination.");
  for (const auto& d : m.destinations)
    if (d.http) o += fmt::format("seg_delivery_retries_total{{destination=\"{}\"}} {}\n", label(d.name), d.retried);
  family(o, "seg_delivery_batches_total", "counter", "Batches sent, by destination.");
  for (const auto& d : m.destinations)
    if (d.http) o += fmt::format("seg_delivery_batches_total{{destination=\"{}\"}} {}\n", label(d.name), d.batches);
  family(o, "seg_sender_queue_depth", "gauge", "Ops waiting for a destination's sender thread.");
  for (const auto& d : m.destinations)
    if (d.http) o += fmt::format("seg_sender_queue_depth{{destination=\"{}\"}} {}\n", label(d.name), d.queue_depth);
  family(o, "seg_evaluation_seconds", "histogram", "Time to apply one record (sampled).");
  int64_t cumulative = 0;
  for (size_t i = 0; i < LatencyHistogram::kBounds.size(); ++i) {
    cumulative += m.evaluation.buckets[i];
    o += fmt::format("seg_evaluation_seconds_bucket{{le=\"{}\"}} {}\n", LatencyHistogram::kBounds[i], cumulative);
  }
  o += fmt::format("seg_evaluation_seconds_bucket{{le=\"+Inf\"}} {}\n", m.evaluation.count);
  o += fmt::format("seg_evaluation_seconds_sum {:.9f}\nseg_evaluation_seconds_count {}\n", m.evaluation.sum,
                   m.evaluation.count);
  if (m.drift_checks) {
    family(o, "seg_drift_checks_total", "counter", "Drift checks made (each checks every destination with `drift`).");
    o += fmt::format("seg_drift_checks_total {}\n", m.drift_checks);
    family(o, "seg_drift_mismatch_ratio", "gauge",
           "The last drift check's relative mismatch between the reported and the expected audience size.");
    for (const auto& d : m.drift)
      if (d.mismatch >= 0) o += fmt::format("seg_drift_mismatch_ratio{{destination=\"{}\"}} {}\n", label(d.destination), d.mismatch);
    family(o, "seg_drift_expected_size", "gauge", "The audience size the engine expects at the destination.");
    for (const auto& d : m.drift)
      o += fmt::format("seg_drift_expected_size{{destination=\"{}\"}} {}\n", label(d.destination), d.expected);
    family(o, "seg_drift_status", "gauge", "1 for the last drift check's status (ok, warn, fail, error, unsupported).");
    for (const auto& d : m.drift)
      o += fmt::format("seg_drift_status{{destination=\"{}\",status=\"{}\"}} 1\n", label(d.destination), label(d.status));
  }
  family(o, "seg_audience_members", "gauge", "Members of each audience now.");
  for (const auto& [name, n] : m.audiences) o += fmt::format("seg_audience_members{{audience=\"{}\"}} {}\n", label(name), n);
  if (m.state_bytes >= 0) {
    family(o, "seg_state_bytes", "gauge", "Bytes of the --state folder's files.");
    o += fmt::format("seg_state_bytes {}\n", m.state_bytes);
  }
  family(o, "seg_rule_changes_total", "counter", "Rule changes taken over (resumes under other rules, hot swaps).");
  o += fmt::format("seg_rule_changes_total {}\n", m.rule_changes);
  family(o, "seg_bundle_info", "gauge", "The running bundle's revision.");
  o += fmt::format("seg_bundle_info{{revision=\"{}\"}} 1\n", label(m.bundle));
  return o;
}

struct MetricsServer::Impl {
  httplib::Server server;
  std::thread thread;
};

bool parse_listen(const std::string& host_port, std::string& host, int& port, std::string& error) {
  size_t colon = host_port.rfind(':');
  port = -1;
  if (colon != std::string::npos) {
    try {
      size_t used = 0;
      port = std::stoi(host_port.substr(colon + 1), &used);
      if (used != host_port.size() - colon - 1) port = -1;
    } catch (...) {
      port = -1;
    }
  }
  if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535) {
    error = "--listen wants HOST:PORT (e.g. 127.0.0.1:9464), not '" + host_port + "'";
    return false;
  }
  host = host_port.substr(0, colon);
  return true;
}

std::unique_ptr<MetricsServer> MetricsServer::start(const std::string& host_port, std::string& error) {
  std::string host;
  int port = -1;
  if (!parse_listen(host_port, host, port, error)) return nullptr;
  std::unique_ptr<MetricsServer> m(new MetricsServer());
  m->impl_ = std::make_unique<Impl>();
  m->host_ = host;
  if (m->host_.size() > 2 && m->host_.front() == '[' && m->host_.back() == ']') m->host_ = m->host_.substr(1, m->host_.size() - 2);
  m->beat_ms_ = steady_ms();
  httplib::Server& s = m->impl_->server;
  s.new_task_queue = [] { return new httplib::ThreadPool(1); };  // one scraper at a time is plenty
  MetricsServer* self = m.get();
  s.Get("/metrics", [self](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(self->mu_);
    res.set_content(self->text_, "text/plain; version=0.0.4; charset=utf-8");
  });
  s.Get("/healthz", [self](const httplib::Request&, httplib::Response& res) {
    bool alive = steady_ms() - self->beat_ms_.load() < 30'000;
    res.status = alive ? 200 : 503;
    res.set_content(alive ? "ok\n" : "the run loop has not moved for 30 s\n", "text/plain");
  });
  s.Get("/readyz", [self](const httplib::Request&, httplib::Response& res) {
    bool ready = self->ready_.load();
    res.status = ready ? 200 : 503;
    res.set_content(ready ? "ready\n" : "loading state\n", "text/plain");
  });
  if (port == 0) port = s.bind_to_any_port(m->host_);
  else if (!s.bind_to_port(m->host_, port)) port = -1;
  if (port <= 0) {
    error = "--listen: cannot listen on " + host_port + " (address in use or not local?)";
    return nullptr;
  }
  m->port_ = port;
  m->impl_->thread = std::thread([self] { self->impl_->server.listen_after_bind(); });
  return m;
}

MetricsServer::~MetricsServer() {
  if (!impl_) return;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string MetricsServer::address() const {
  bool v6 = host_.find(':') != std::string::npos;
  return fmt::format("http://{}{}{}:{}", v6 ? "[" : "", host_, v6 ? "]" : "", port_);
}

void MetricsServer::publish(std::string text) {
  std::lock_guard<std::mutex> lock(mu_);
  text_ = std::move(text);
}

void MetricsServer::heartbeat() { beat_ms_ = steady_ms(); }

}  // namespace seg::rt
