#pragma once
// Where each destination's ops go: the embedded file connector (the default, or a
// `file` entry with its own path), or a batching connector (HTTP, postgres) from the deploy config.
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/connectors/connector.h"
#include "runtime/connectors/sender.h"
#include "runtime/connectors/deploy_config.h"
#include "runtime/io/file_sink.h"

namespace seg::rt {

class DeliverySink : public OpSink {
 public:
  // `deploy` may be null (every destination to a file). `resume`: connectors read what
  // was already delivered.
  DeliverySink(const DeployConfig* deploy, std::string out_dir, bool resume);
  ~DeliverySink() override;
  bool open(const std::vector<std::string>& names, std::string& error);
  // Before open(): a run restarted from its --state (connectors read what was already
  // delivered, and what was given up on stays given up).
  void set_restarted() { resume_ = restarted_ = true; }
  // The index of a destination, opening its file or connector the first time it is named.
  int32_t destination(const std::string& name, std::string& error);
  void write(int32_t destination, std::string_view line) override;
  // Files written out and every sender drained and acknowledged (waits).
  void flush() override;
  // The same, waiting at most `timeout` per sender: false when one is not done yet.
  bool flush(std::chrono::milliseconds timeout);
  // Files only: what a quiet moment needs (senders flush on their own timer).
  void flush_files() { files_.flush(); }
  bool failed() const { return files_.failed(); }
  // The senders of HTTP destinations, for summary.json and metrics.
  std::vector<const Sender*> connectors() const;
  // Per destination not in OUT/<destination>.ndjson, where its ops go: the configured
  // file's path, or the connector and its endpoint.
  std::map<std::string, std::string> sinks() const;
  // Every file this sink writes and a restart must cut back: destination files and the
  // connectors' failed-<destination>.ndjson. (Delivered logs only grow: they are facts.)
  std::vector<std::string> output_paths() const;
  // A restarted run (--state): append to these files (cut back already) instead of
  // truncating them.
  void append_to(std::vector<std::string> paths) { files_.append_to(std::move(paths)); }
  // Ops the connectors gave up on (in DIR/failed-<destination>.ndjson).
  int64_t undelivered() const;

 private:
  const DeployConfig* deploy_;
  std::string out_dir_;
  bool resume_, restarted_ = false;
  FileSink files_;
  struct Route {
    int32_t file = -1;                   // into files_
    std::unique_ptr<Sender> http;        // or this, on its own thread
    std::string where;                    // for the summary
  };
  std::vector<Route> routes_;
  std::unordered_map<std::string, int32_t> index_;
};

}  // namespace seg::rt
