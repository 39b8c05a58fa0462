#include "runtime/service/run.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "stdlib/builtins/builtins.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/partitioned.h"
#include "runtime/connectors/delivery_sink.h"
#include "runtime/io/file_sink.h"
#include "runtime/io/input.h"
#include "runtime/engine/json_text.h"
#include "runtime/io/line_reader.h"
#include "runtime/service/metrics.h"
#include "runtime/service/state_keeper.h"
#include "runtime/service/drift_monitor.h"
#include "runtime/service/summary.h"

namespace seg::rt {
namespace {

// Beside each checkpoint, which input line it follows: a run restarted after a crash
// resumes from the checkpoint with the input from the next line on.
// The state is written as the engine makes it (no copy of it in memory), to a temporary
// file renamed over the checkpoint: a reader never sees half of one.
bool write_checkpoint(const std::string& path, int64_t lines, const Engine& e, std::string& error) {
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  bool ok = f && e.save_to([&](std::string_view chunk) { return std::fwrite(chunk.data(), 1, chunk.size(), f) == chunk.size(); });
  if (f && std::fclose(f) != 0) ok = false;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  nlohmann::ordered_json j;
  j["input_lines"] = lines;
  j["watermark"] = e.started() ? builtins::format_time(e.watermark()) : "";
  return write_file(path + ".json", j.dump() + "\n", error);
}

std::string fmt_rule_change(const RuleChangeReport& r, int64_t line) {
  return fmt::format("rules changed (bundle {} -> {}) after input line {}: {} profiles re-evaluated in {:.3f} s, {} ops "
                     "with reason rule_change",
                     r.from, r.to, line, r.profiles, r.seconds, r.ops);
}

// One set of rules at work: its engine, its view of the shared sink, its input parser.
struct Generation {
  const ir::Bundle* bundle = nullptr;
  std::unique_ptr<MappedSink> sink;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<InputParser> parser;
};

class StreamRun {
 public:
  StreamRun(const RunOptions& opt, RunStats& stats)
      : opt_(opt), stats_(stats), files_(opt.deploy, opt.out_dir, !opt.resume.empty()),
        drift_(opt.follow ? opt.deploy : nullptr, opt.out_dir) {}
  ~StreamRun() { retire(); }

  int run(const ir::Bundle& b, std::string& summary_json, std::string& error);

 private:
  bool start(const ir::Bundle& b, const std::string* state, std::string& error);
  void retire();
  bool swap(const ir::Bundle& b, std::string& error);
  void rule_change(int64_t line);
  void write_rejected(std::string_view line, const LineResult& r);
  void write_status();
  nlohmann::ordered_json delivery() const;
  int64_t wall_now() const;
  void refresh_future_limit();
  void live_time();
  bool commit(int64_t lines, int64_t offset, std::string& error);
  void publish_metrics();
  void maybe_publish();
  void drain();

  const RunOptions& opt_;
  RunStats& stats_;
  DeliverySink files_;
  Generation g_;
  Carried carried_;
  nlohmann::ordered_json rule_changes_ = nlohmann::ordered_json::array();
  std::FILE* rejected_ = nullptr;
  std::string rejected_path_;
  std::unique_ptr<StateKeeper> keeper_;  // --state
  std::string out_, state_;
  int64_t status_lines_ = -1, status_swaps_ = -1, status_watermark_ = INT64_MIN;
  std::unique_ptr<MetricsServer> metrics_;  // --listen
  DriftMonitor drift_;                      // --follow with a drift_check_interval
  LatencyHistogram evaluation_;
  std::chrono::steady_clock::time_point published_{};
  const Partitioned* par_ = nullptr;  // --threads N: the engines that take the records
};

// --listen: the numbers of the run as it is now, rendered for the next scrape.
void StreamRun::publish_metrics() {
  const Partitioned* par = par_;
  MetricsInput m;
  m.records = {{"applied", stats_.applied}, {"ignored", stats_.ignored}, {"rejected", stats_.rejected},
               {"blank", stats_.blank}};
  m.rejected_by = stats_.rejected_by;
  m.late = stats_.late;
  m.rule_changes = stats_.rule_changes;
  m.started = par ? par->started() : g_.engine->started();
  m.watermark_ms = m.started ? (par ? par->watermark() : g_.engine->watermark()) : 0;
  m.wall_ms = wall_now();
  const ir::Bundle& b = *g_.bundle;
  std::vector<DestinationStats> dst = par ? par->destination_stats() : g_.engine->destination_stats();
  std::vector<AudienceStats> aud = par ? par->audience_stats() : g_.engine->audience_stats();
  std::map<std::string, const Sender*> senders;
  for (const Sender* c : files_.connectors()) senders[c->destination()] = c;
  for (size_t i = 0; i < b.destinations.size(); ++i) {
    MetricsInput::Destination d;
    d.name = b.destinations[i].name;
    const DestinationStats& c = carried_.destinations[d.name];
    d.add = dst[i].add + c.add, d.remove = dst[i].remove + c.remove, d.update = dst[i].update + c.update;
    if (auto it = senders.find(d.name); it != senders.end()) {
      DeliveryStats s = it->second->stats();
      d.http = true;
      d.acknowledged = s.acknowledged, d.failed = s.failed, d.netted = s.netted, d.skipped = s.skipped;
      d.retried = s.retried, d.batches = s.batches;
      d.queue_depth = static_cast<int64_t>(it->second->queue_depth());
    }
    m.destinations.push_back(std::move(d));
  }
  for (size_t i = 0; i < b.audiences.size(); ++i) m.audiences.emplace_back(b.audiences[i].name, aud[i].members);
  drift_.publish(m);
  m.evaluation = evaluation_;
  if (keeper_) {
    std::error_code ec;
    m.state_bytes = 0;
    for (const auto& f : std::filesystem::directory_iterator(opt_.state_dir, ec))
      if (f.is_regular_file(ec)) m.state_bytes += static_cast<int64_t>(f.file_size(ec));
  }
  m.bundle = b.revision;
  metrics_->publish(metrics_text(m));
  metrics_->heartbeat();
  published_ = std::chrono::steady_clock::now();
}

void StreamRun::maybe_publish() {
  if (metrics_ && std::chrono::steady_clock::now() - published_ >= std::chrono::seconds(1)) publish_metrics();
}

// Every op so far written and acknowledged (or given up on); metrics stay fresh while
// a slow endpoint is waited for.
void StreamRun::drain() {
  while (!files_.flush(std::chrono::milliseconds(250))) maybe_publish();
}

// Builds the engine for `b`; from `state` (a checkpoint) when given.
bool StreamRun::start(const ir::Bundle& b, const std::string* state, std::string& error) {
  std::vector<int32_t> map;
  for (const auto& d : b.destinations) {
    map.push_back(files_.destination(d.name, error));
    if (map.back() < 0) return false;
  }
  g_.bundle = &b;
  g_.sink = std::make_unique<MappedSink>(files_, std::move(map));
  g_.engine = std::make_unique<Engine>(b, *g_.sink);
  if (opt_.on_engine) opt_.on_engine(g_.engine->interp());
  g_.parser = std::make_unique<InputParser>(b, g_.engine->interp().strings(), g_.engine->interp().sets());
  refresh_future_limit();
  if (state && !g_.engine->load(*state, error)) return false;
  return true;
}

// Tells the caller the engine is going away (a background JIT tier must not install
// kernels into it later), then destroys it.
void StreamRun::retire() {
  if (!g_.engine) return;
  if (opt_.on_engine_end) opt_.on_engine_end(g_.engine->interp());
  g_.parser.reset();
  g_.engine.reset();
  g_.sink.reset();
}

// Between records: the open instant is closed under the old rules, their whole state is
// carried into the new layout (as a checkpoint would be) and every profile re-evaluated.
bool StreamRun::swap(const ir::Bundle& b, std::string& error) {
  Engine& old = *g_.engine;
  old.close_instant();
  old.save(state_);
  const ir::Bundle& ob = *g_.bundle;
  for (size_t i = 0; i < ob.audiences.size(); ++i) {
    AudienceStats& c = carried_.audiences[ob.audiences[i].name];
    c.entered += old.audience_stats()[i].entered;
    c.left += old.audience_stats()[i].left;
  }
  for (size_t i = 0; i < ob.destinations.size(); ++i) {
    DestinationStats& c = carried_.destinations[ob.destinations[i].name];
    c.add += old.destination_stats()[i].add;
    c.remove += old.destination_stats()[i].remove;
    c.update += old.destination_stats()[i].update;
  }
  retire();
  if (keeper_) keeper_->rewrite_all();  // a new engine, perhaps renumbered
  return start(b, &state_, error);
}

// --state: sinks flushed and the engine's changes, the input position and the output
// files' sizes in one atomic commit (between instants).
bool StreamRun::commit(int64_t lines, int64_t offset, std::string& error) {
  drain();
  std::fflush(rejected_);
  std::vector<std::string> files = files_.output_paths();
  files.push_back(rejected_path_);
  return keeper_->commit(*g_.engine, opt_.out_dir, lines, offset, stats_, carried_, rule_changes_, files, error);
}

void StreamRun::rule_change(int64_t line) {
  if (!g_.engine->rule_change_pending()) return;
  RuleChangeReport r = g_.engine->apply_rule_change();
  ++stats_.rule_changes;
  if (keeper_) keeper_->rewrite_all();
  nlohmann::ordered_json j;
  j["from"] = r.from;
  j["to"] = r.to;
  j["after_line"] = line;
  j["watermark"] = g_.engine->started() ? builtins::format_time(g_.engine->watermark()) : "";
  j["profiles"] = r.profiles;
  j["ops"] = r.ops;
  j["removed_from_old_audiences"] = r.removed_from_old;
  j["kept_in_old_audiences"] = r.kept_in_old;
  j["left_in_dropped_destinations"] = r.left_in_dropped;
  j["seconds"] = r.seconds;
  j["notes"] = r.notes;
  rule_changes_.push_back(j);
  if (!opt_.note) return;
  opt_.note(fmt_rule_change(r, line));
  for (const std::string& n : r.notes) opt_.note("  " + n);
}

void StreamRun::write_rejected(std::string_view line, const LineResult& r) {
  ++stats_.rejected;
  ++stats_.rejected_by[r.cause];
  // Nothing of a rejected line is applied, not even its timestamp.
  out_.clear();
  out_ += "{\"line\":" + std::to_string(stats_.read) + ",\"cause\":\"" + r.cause + "\",\"reason\":";
  append_json_string(out_, r.reason);
  if (valid_utf8(line)) {
    out_ += ",\"raw\":";
    append_json_string(out_, line);
  } else {  // keep the exact bytes of a line that is not UTF-8
    out_ += ",\"raw_hex\":\"";
    static const char* kHex = "0123456789abcdef";
    for (unsigned char c : line) {
      out_ += kHex[c >> 4];
      out_ += kHex[c & 15];
    }
    out_ += '"';
  }
  out_ += "}\n";
  std::fwrite(out_.data(), 1, out_.size(), rejected_);
}

// Per destination with an HTTP connector: what happened to its ops (summary, --metrics).
nlohmann::ordered_json StreamRun::delivery() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const Sender* c : files_.connectors()) {
    DeliveryStats s = c->stats();
    j[c->destination()] = {{"queued", s.queued}, {"sent", s.sent}, {"acknowledged", s.acknowledged},
                           {"retried", s.retried}, {"failed", s.failed}, {"netted", s.netted},
                           {"skipped_delivered", s.skipped}, {"batches", s.batches},
                           {"batch_latency_ms", {{"mean", s.batches ? s.latency_ms_sum / static_cast<double>(s.batches) : 0.0},
                                                 {"max", s.latency_ms_max}}}};
  }
  return j;
}

int64_t StreamRun::wall_now() const {
  if (opt_.wall_clock) return *opt_.wall_clock;
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// --max-future: the latest timestamp accepted now (the wall clock moves on).
void StreamRun::refresh_future_limit() {
  if (!g_.parser) return;
  g_.parser->set_max_timestamp(opt_.max_future_ms ? wall_now() + *opt_.max_future_ms : INT64_MAX);
}

// Live time (RUNTIME.md §3): while the reader is caught up, time follows the wall clock
// minus the lateness, so windows and TTLs end on a quiet stream at their own instants.
void StreamRun::live_time() {
  Engine& e = *g_.engine;
  int64_t now = wall_now() - opt_.lateness_ms;
  if (e.started() && now > e.watermark()) e.tick(now);
}

// Follow mode, while waiting for input: where the run is, for operators and tests.
void StreamRun::write_status() {
  int64_t watermark = g_.engine->started() ? g_.engine->watermark() : INT64_MIN;
  if (status_lines_ == stats_.read && stats_.rule_changes == status_swaps_ && status_watermark_ == watermark) return;
  status_lines_ = stats_.read;
  status_swaps_ = stats_.rule_changes;
  status_watermark_ = watermark;
  std::fflush(rejected_);
  nlohmann::ordered_json j;
  j["lines"] = stats_.read;
  j["watermark"] = g_.engine->started() ? builtins::format_time(g_.engine->watermark()) : "";
  j["bundle"] = g_.bundle->revision;
  j["rule_changes"] = stats_.rule_changes;
  j["audiences"] = nlohmann::ordered_json::object();
  const auto& aud = g_.engine->audience_stats();
  for (size_t i = 0; i < g_.bundle->audiences.size(); ++i) j["audiences"][g_.bundle->audiences[i].name] = aud[i].members;
  std::string ignored;
  write_file(opt_.out_dir + "/status.json", j.dump() + "\n", ignored);
  if (!opt_.metrics.empty()) write_file(opt_.metrics, delivery().dump(2) + "\n", ignored);
}

int StreamRun::run(const ir::Bundle& b, std::string& summary_json, std::string& error) {
  auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(opt_.out_dir, ec);
  if (ec) {
    error = "cannot create " + opt_.out_dir + ": " + ec.message();
    return 3;
  }
  if (!opt_.listen.empty()) {  // first, so that /healthz answers while a state loads
    metrics_ = MetricsServer::start(opt_.listen, error);
    if (!metrics_) return 3;
    if (opt_.note) opt_.note("metrics on " + metrics_->address() + "/metrics");
  }
  std::vector<std::string> names;
  for (const auto& d : b.destinations) names.push_back(d.name);
  std::string resumed;
  bool restarting = false;
  if (!opt_.state_dir.empty()) {
    keeper_ = StateKeeper::open(opt_.state_dir, error);
    if (!keeper_) return 3;
    restarting = keeper_->restarting();
    if (restarting) {  // outputs back to the commit, then the engine from the store
      std::vector<std::string> append;
      if (!keeper_->cut_back(opt_.out_dir, append, error) || !keeper_->read_checkpoint(resumed, error)) return 3;
      files_.append_to(std::move(append));
      files_.set_restarted();
    }
  }
  if (!files_.open(names, error)) return 3;
  if (!opt_.resume.empty()) {
    std::ifstream in(opt_.resume, std::ios::binary | std::ios::ate);
    if (!in) {
      error = "cannot read checkpoint " + opt_.resume + ": " + std::strerror(errno);
      return 3;
    }
    // One read of the whole file (a checkpoint of a million profiles is a gigabyte).
    resumed.resize(static_cast<size_t>(in.tellg()));
    in.seekg(0);
    if (!in.read(resumed.data(), static_cast<std::streamsize>(resumed.size()))) {
      error = "cannot read checkpoint " + opt_.resume + ": " + std::strerror(errno);
      return 3;
    }
  }
  std::string why;
  if (!start(b, resumed.empty() ? nullptr : &resumed, why)) {
    error = (restarting ? "state " + opt_.state_dir : opt_.resume.empty() ? std::string() : opt_.resume) + ": " + why;
    return 3;
  }
  resumed = std::string();
  if (restarting) {
    int64_t evaluations = 0;
    keeper_->restore(stats_, carried_, rule_changes_, evaluations);
    g_.engine->set_evaluations(evaluations);
  }
  rule_change(stats_.read);  // a checkpoint or state written by other rules
  // --threads N: N engines take the records (the generation's engine stays idle).
  // Checkpoints, --resume and --follow are refused with it by the caller.
  std::unique_ptr<Partitioned> par;
  if (opt_.threads > 1) {
    par = std::make_unique<Partitioned>(b, *g_.sink, opt_.threads, opt_.on_engine);
    g_.parser->set_pools(par->strings(), par->sets());
    par->on_new_pools([this](StringPool& st, SetPool& se) { g_.parser->set_pools(st, se); });
    par_ = par.get();
  }
  struct Retire {  // the threads' engines go before the bundle's JIT tier may
    std::unique_ptr<Partitioned>& par;
    const RunOptions& opt;
    ~Retire() {
      if (par && opt.on_engine_end) par->for_each_interp(opt.on_engine_end);
      par.reset();
    }
  } retire_threads{par, opt_};
  struct Unset {  // the metrics must not read the engines after they are gone
    const Partitioned*& p;
    ~Unset() { p = nullptr; }
  } unset{par_};
  std::FILE* f = opt_.input == "-" ? stdin : std::fopen(opt_.input.c_str(), "rb");
  if (!f) {
    error = "cannot read " + opt_.input + ": " + std::strerror(errno);
    return 3;
  }
  rejected_path_ = opt_.out_dir + "/rejected.ndjson";
  rejected_ = std::fopen(rejected_path_.c_str(), restarting ? "ab" : "wb");
  if (!rejected_) {
    error = "cannot write " + rejected_path_ + ": " + std::strerror(errno);
    if (f != stdin) std::fclose(f);
    return 3;
  }
  struct Close {
    std::FILE*& rej;
    std::FILE* in;
    ~Close() {
      if (rej) std::fclose(rej);
      if (in != stdin) std::fclose(in);
    }
  } close{rejected_, f};
  // --state: a first commit before any op, so that a crash from here on is a restart
  // (outputs cut back, delivered logs kept), never a run from scratch over them.
  if (keeper_ && !restarting && !commit(0, 0, error)) return 3;
  // Only a regular file is tailed: a pipe's end is the end of the stream.
  struct stat st {};
  bool follow = opt_.follow && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
  std::string checkpoint = opt_.checkpoint.empty() ? opt_.out_dir + "/checkpoint.segstate" : opt_.checkpoint;
  int64_t start_at = keeper_ ? keeper_->input_offset() : 0;
  if (start_at > 0 && std::fseek(f, start_at, SEEK_SET) != 0) {
    error = "cannot seek " + opt_.input + " to byte " + std::to_string(start_at) + " (the state's input position)";
    return 3;
  }
  LineReader reader(f, follow, start_at);
  if (metrics_) {
    publish_metrics();
    metrics_->set_ready(true);
  }
  Record rec;
  std::string_view line;
  int64_t since_checkpoint = 0;
  bool tty = opt_.progress && isatty(STDERR_FILENO) && !opt_.follow;
  auto poll = [&]() -> bool {  // new rules, between records
    if (!opt_.poll_rules) return true;
    const ir::Bundle* nb = opt_.poll_rules();
    if (!nb) return true;
    if (!swap(*nb, error)) return false;
    rule_change(stats_.read);
    return true;
  };
  bool caught_up = false;  // the last read found no more input (live time may move on)
  for (;;) {
    int64_t line_start = reader.offset();
    LineReader::Next next = reader.next(line);
    if (next == LineReader::Next::End) break;
    caught_up = next == LineReader::Next::Idle;
    if (caught_up) {
      struct Idle {  // the rate is reported over busy time (issue 19, rough edge 9)
        double& total;
        std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
        ~Idle() { total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); }
      } idle{stats_.idle_seconds};
      if (opt_.stop_requested && opt_.stop_requested()) {
        reader.stop();
        continue;
      }
      if (!poll()) return 3;
      refresh_future_limit();
      if (!par) live_time();
      if (!par) drift_.maybe_check(*g_.bundle, [&] { return g_.engine->held_by_destination(); });
      files_.flush_files();  // senders flush on their own interval
      if (keeper_ && keeper_->idle_due() && !g_.engine->instant_open() &&
          !commit(stats_.read, reader.offset(), error))
        return 3;
      write_status();
      maybe_publish();
      usleep(static_cast<useconds_t>(std::min(opt_.poll_ms, 1000)) * 1000);  // live time: at least once a second
      continue;
    }
    ++stats_.read;
    // Between two records: signals to stop or swap are taken here (polling a watched
    // path is the caller's business, and cheap: it is asked every 1024 lines).
    if ((stats_.read & 1023) == 0) {
      refresh_future_limit();
      maybe_publish();
    }
    if (opt_.follow && (stats_.read & 1023) == 0) {
      if (opt_.stop_requested && opt_.stop_requested()) reader.stop();
      if (!poll()) return 3;
    }
    LineResult r = g_.parser->parse(line, rec);
    // --state: commits between instants, before the record that opens the next one.
    if (keeper_ && (r.kind == LineKind::Applied || r.kind == LineKind::Ignored) && keeper_->due() &&
        g_.engine->started() && rec.ts > g_.engine->watermark()) {
      g_.engine->close_instant();
      if (!commit(stats_.read - 1, line_start, error)) return 3;
    }
    switch (r.kind) {
      case LineKind::Blank: ++stats_.blank; continue;
      case LineKind::Rejected: write_rejected(line, r); continue;
      case LineKind::Ignored:
        ++stats_.ignored;
        ++stats_.ignored_by[r.cause];
        break;
      case LineKind::Applied:
        ++stats_.applied;
        stats_.dropped_traits += r.dropped_traits;
        stats_.dropped_props += r.dropped_props;
        break;
    }
    if (par) {
      if (par->started() && rec.ts < par->watermark()) ++stats_.late;
      par->process(rec);
      if (tty && stats_.read % 100000 == 0) std::fprintf(stderr, "\r%lld lines", static_cast<long long>(stats_.read));
      continue;
    }
    Engine& engine = *g_.engine;
    if (engine.started() && rec.ts < engine.watermark()) ++stats_.late;
    // Periodic checkpoints are taken between instants, where the state is complete.
    if (opt_.checkpoint_every > 0 && ++since_checkpoint >= opt_.checkpoint_every && engine.started() &&
        rec.ts > engine.watermark()) {
      engine.close_instant();
      drain();
      std::fflush(rejected_);
      if (!write_checkpoint(checkpoint, stats_.read - 1, engine, error)) return 3;
      since_checkpoint = 0;
    }
    if (metrics_ && (stats_.read & 63) == 0) {  // one record in 64 is timed
      auto t0 = std::chrono::steady_clock::now();
      engine.process(rec);
      evaluation_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    } else {
      engine.process(rec);
    }
    if (tty && stats_.read % 100000 == 0) std::fprintf(stderr, "\r%lld lines", static_cast<long long>(stats_.read));
  }
  if (tty) std::fprintf(stderr, "\r");
  if (reader.error()) {
    error = "error reading " + opt_.input;
    return 3;
  }
  Engine& engine = *g_.engine;
  if (par) par->finish(opt_.until);
  else {
    // A follow run stopped (SIGTERM) while caught up first moves to live time: exits due
    // by now happen. Stopped inside a backlog it must not: unread records are older.
    if (follow && caught_up) live_time();
    engine.tick(opt_.until);
  }
  drain();
  if (files_.failed()) {
    error = "writing ops to " + opt_.out_dir + " failed";
    return 3;
  }
  if (keeper_) {
    if (!commit(stats_.read, reader.offset(), error)) return 3;
  } else if (!par) {
    if (!write_checkpoint(checkpoint, stats_.read, engine, error)) return 3;
  }
  if (metrics_) publish_metrics();  // the last scrape sees the final numbers
  Totals t = par ? totals(*par) : totals(engine);
  stats_.profiles = t.profiles;
  stats_.evaluations = t.evaluations;
  stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::ordered_json sent = delivery();
  if (!opt_.metrics.empty() && !write_file(opt_.metrics, sent.dump(2) + "\n", error)) return 3;
  stats_.undelivered = files_.undelivered();
  summary_json = summary(*g_.bundle, t, stats_, opt_, carried_, rule_changes_, sent, files_.sinks());
  if (!write_file(opt_.out_dir + "/summary.json", summary_json, error)) return 3;
  if (stats_.undelivered) {  // RUNTIME.md §4: a run with ops given up on says so and exits 3
    std::string where;
    for (const Sender* c : files_.connectors())
      if (c->stats().failed) where += (where.empty() ? "" : ", ") + opt_.out_dir + "/failed-" + c->destination() + ".ndjson";
    error = std::to_string(stats_.undelivered) + " ops could not be delivered (see " + where + ")";
    return 3;
  }
  return 0;
}

}  // namespace

// Written beside and renamed over: a reader never sees half a file.
bool write_file(const std::string& path, std::string_view data, std::string& error) {
  std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out || std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

int run_stream(const ir::Bundle& b, const RunOptions& opt, RunStats& stats, std::string& summary_json,
               std::string& error) {
  StreamRun run(opt, stats);
  return run.run(b, summary_json, error);
}

}  // namespace seg::rt
