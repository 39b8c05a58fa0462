#pragma once
// `seg run` without the command line: read a stream, drive the engine, write ops per
// destination (the embedded file connector), rejected lines, summary and checkpoint.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/ir/ir.h"

namespace seg::rt {

class Interpreter;
struct DeployConfig;

struct RunOptions {
  std::string input;  // a path, or "-" for stdin
  std::string out_dir;
  std::optional<int64_t> until;
  std::string resume;      // checkpoint to start from
  std::string checkpoint;  // where to write it (default: OUT/checkpoint.segstate)
  int64_t checkpoint_every = 0;  // lines; 0: only at the end
  bool progress = false;
  // Called with the engine's interpreter before the first record (the CLI attaches the
  // JIT's compiled kernels here).
  std::function<void(Interpreter&)> on_engine;
  std::function<void(Interpreter&)> on_engine_end;  // called before that engine is destroyed

  // Follow mode (`seg run --follow`): at the end of a regular file wait for more lines
  // (polled every poll_ms) until stop_requested() (SIGINT/SIGTERM); stdin ends at its end.
  bool follow = false;
  int poll_ms = 100;
  std::function<bool()> stop_requested;
  // Hot swap (issue 5): asked between records and while waiting; new rules to run from
  // here on, or null. The caller keeps a bundle alive until on_engine_end for its engine.
  std::function<const ir::Bundle*()> poll_rules;
  std::function<void(const std::string&)> note;  // a line for the operator (stderr)

  // Connectors (issue 7): destinations the deploy config binds to HTTP connectors;
  // null: every destination to its file. metrics: also write delivery counters there.
  const DeployConfig* deploy = nullptr;
  std::string metrics;
  // --threads N (RUNTIME.md §7): profiles split over N engines; ops byte for byte those
  // of one. No checkpoint is written (resume, periodic checkpoints and follow need 1).
  int threads = 1;

  // Time (RUNTIME.md §2, §3). Records dated more than max_future_ms after the wall clock
  // are rejected as future_timestamp (nullopt: --max-future off). wall_clock pins the
  // wall clock (tests, replays); nullopt: the system clock. In follow mode, while the
  // reader is caught up, the watermark follows the wall clock minus lateness_ms.
  // Durable state (RUNTIME.md §7): a RocksDB folder committed every few thousand records
  // or 100 ms; a run started over a committed state picks up where it was (the input
  // must be a file). Replaces the checkpoint file.
  std::string state_dir;
  // --listen HOST:PORT: /metrics, /healthz, /readyz (runtime/service/metrics.h).
  std::string listen;
  std::optional<int64_t> max_future_ms = 3'600'000;
  std::optional<int64_t> wall_clock;
  int64_t lateness_ms = 60'000;
};

struct RunStats {
  int64_t read = 0, applied = 0, ignored = 0, rejected = 0, blank = 0, late = 0;
  int64_t dropped_traits = 0, dropped_props = 0;
  std::map<std::string, int64_t> rejected_by, ignored_by;
  double seconds = 0;
  double idle_seconds = 0;  // --follow: time spent caught up, waiting for input
  int64_t profiles = 0, evaluations = 0;
  int64_t rule_changes = 0;  // from a checkpoint of other rules, and each hot swap
  int64_t undelivered = 0;   // ops a connector gave up on (failed-<destination>.ndjson)
};

// Writes `data` to `path` through a temporary file and a rename (atomic for readers).
bool write_file(const std::string& path, std::string_view data, std::string& error);

// Returns 0 on success; otherwise fills `error` (input unreadable, output not writable,
// checkpoint unusable) and returns the exit code (3). When ops were given up on by a
// connector the run still completes, writes its summary into `summary_json` and
// returns 3 with `error` saying how many and where they are.
int run_stream(const ir::Bundle& b, const RunOptions& opt, RunStats& stats, std::string& summary_json,
               std::string& error);

}  // namespace seg::rt
