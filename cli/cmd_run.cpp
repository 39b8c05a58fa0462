// `seg run RULES --input FILE|- [--out DIR] [--until T] [--resume STATE]`: apply the rules
// to a stream and write ops per destination (RUNTIME.md §2–4).
#include <fmt/format.h>

#include <iostream>
#include <unistd.h>

#include "cli/host_options.h"
#include "cli/commands.h"
#include "cli/usage.h"
#include "runtime/host/deploy_check.h"
#include "runtime/service/run.h"

namespace seg::cli {
namespace {

void print_table(const std::string& summary_json, const rt::RunStats& s, const std::string& out_dir);

}  // namespace

Runner add_run(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    std::string input, out = "out", until, resume, checkpoint, format = "human", config, metrics;
    std::string state;
    LiveOptions live;
    BackendOptions backend;
    int64_t checkpoint_every = 0;
    int poll_ms = 100;
    int threads = 1;
    bool quiet = false, follow = false, watch = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "run",
      "Apply rules to a stream and write ops\n"
      "  example: seg run retention.segb --input events.ndjson --out out/ --until 2026-03-05T00:00:00Z");
  add_file_options(sub, o->paths, o->diag, false, /*bundles=*/true);
  sub->add_option("--input", o->input, "NDJSON input file, or - for stdin")->required();
  sub->add_option("--out", o->out, "Output directory (default: out)");
  sub->add_option("--until", o->until, "Process time-driven changes up to this instant");
  sub->add_option("--resume", o->resume, "Continue from a checkpoint written by an earlier run");
  sub->add_option("--checkpoint", o->checkpoint, "Where to write the checkpoint (default: OUT/checkpoint.segstate)");
  sub->add_option("--checkpoint-every", o->checkpoint_every, "Also checkpoint every N input lines");
  sub->add_option("--threads", o->threads,
                  "Engines on N threads, profiles split by a hash of their key; the ops are byte for byte "
                  "those of one thread (no checkpoint is written; not with --resume or --follow)")
      ->check(CLI::Range(1, 256));
  sub->add_flag("--follow", o->follow,
                "Keep reading: tail the input file (stdin: until it ends) until SIGINT/SIGTERM; "
                "SIGHUP reloads the rules and swaps them in between records");
  sub->add_flag("--watch", o->watch, "With --follow: also reload when a rules path changes");
  sub->add_option("--poll-ms", o->poll_ms, "With --follow: how often to look for input and rule changes (ms)")
      ->check(CLI::Range(1, 60000));
  sub->add_option("--config", o->config, "Deployment config: which connector each destination uses (RUNTIME.md §4)");
  sub->add_option("--metrics", o->metrics, "Also write per-destination delivery counters to this file");
  sub->add_option("--state", o->state,
                  "Durable state in this folder (RocksDB), committed every few thousand records or 100 ms; "
                  "the same command restarted after a crash picks up where it was (the input must be a file)");
  add_live_options(sub, o->live, "With --follow: while caught up, time follows the wall clock minus this (default 1m)");
  add_backend_options(sub, o->backend);
  add_trusted_keys_option(sub, o->backend);
  sub->add_option("--format", o->format, "Summary on stdout: human or json")
      ->check(CLI::IsMember({"human", "json"}));
  sub->add_flag("--quiet,-q", o->quiet, "No summary on stdout");
  return [o]() {
    if (o->watch && !o->follow) {
      std::cerr << kErrorPrefix << "--watch needs --follow\n";
      return kExitUsage;
    }
    if (o->threads > 1 && (o->follow || !o->resume.empty() || !o->checkpoint.empty() || o->checkpoint_every > 0)) {
      std::cerr << kErrorPrefix << "--threads " << o->threads
                << " does not combine with --follow, --resume or checkpoints yet: run with --threads 1\n";
      return kExitUsage;
    }
    if (!o->state.empty() && (!o->resume.empty() || !o->checkpoint.empty() || o->checkpoint_every > 0 ||
                              o->threads > 1 || o->input == "-")) {
      std::cerr << kErrorPrefix << "--state keeps the run's state itself: it does not combine with --resume, checkpoints, "
                   "--threads or stdin (--input -, which has no position to resume from)\n";
      return kExitUsage;
    }
    LiveSettings live;
    if (!parse_live_options(o->live, live)) return kExitUsage;
    DiagOptions diag = o->diag;
    RuleGenerations rules(
        o->paths, o->backend, o->watch,
        [diag](const LoadedRules& refused, const std::string& running) {
          int code = report_load(refused, diag);
          std::cerr << "seg: the new rules were refused (exit " << code << "); still running bundle " << running
                    << "\n";
        },
        stderr_notify());
    LoadedRules failed;
    const ir::Bundle* first = rules.load_first(failed);
    if (!first) return report_load(failed, o->diag);
    int code = 0;
    rt::RunOptions opt;
    opt.input = o->input;
    opt.out_dir = o->out;
    opt.resume = o->resume;
    opt.checkpoint = o->checkpoint;
    opt.checkpoint_every = o->checkpoint_every;
    opt.progress = true;
    if (!o->until.empty()) {
      int64_t t = 0;
      if (!parse_cli_time(o->until, "--until", t)) return kExitUsage;
      opt.until = t;
    }
    opt.max_future_ms = live.max_future_ms;
    opt.wall_clock = live.wall_clock;
    opt.lateness_ms = live.lateness_ms;
    opt.on_engine = [&rules](rt::Interpreter& in) { rules.attach(in); };
    opt.on_engine_end = [&rules](rt::Interpreter& in) { rules.detach(in); };
    opt.note = [](const std::string& line) { std::cerr << "seg: " << line << "\n"; };
    rt::DeployConfig deploy;
    if (!o->config.empty()) {
      std::string error;
      if (!host::load_deploy_for(o->config, *first, deploy, error)) {
        std::cerr << kErrorPrefix << error << "\n";
        return kExitUsage;
      }
      opt.deploy = &deploy;
    }
    opt.metrics = o->metrics;
    opt.state_dir = o->state;
    opt.listen = o->live.listen;
    opt.threads = o->threads;
    if (o->follow) {
      RuleGenerations::install_signal_handlers();
      opt.follow = true;
      opt.poll_ms = o->poll_ms;
      opt.stop_requested = [] { return RuleGenerations::stop_requested(); };
      opt.poll_rules = [&rules] { return rules.poll(); };
    }
    rt::RunStats stats;
    std::string summary, error;
    code = rt::run_stream(*first, opt, stats, summary, error);
    // A run whose connectors gave up on ops still has its summary (exit 3 after it).
    if (code != 0 && summary.empty()) {
      std::cerr << kErrorPrefix << error << "\n";
      return code;
    }
    if (!o->quiet && o->format == "json") std::cout << summary;
    else if (!o->quiet) {
      print_table(summary, stats, o->out);
      std::cout << "backend: " << rules.current_tier().describe() << "\n";
    }
    if (code != 0) std::cerr << kErrorPrefix << error << "\n";
    return code;
  };
}

}  // namespace seg::cli

#include <nlohmann/json.hpp>

namespace seg::cli {
namespace {

// From summary.json, in the rules' order (the rules that ran last: a --follow run may
// have swapped bundles).
void print_table(const std::string& summary_json, const rt::RunStats& s, const std::string& out_dir) {
  auto j = nlohmann::ordered_json::parse(summary_json);
  // --follow waits for input: the rate is over the time spent working, not waiting.
  double busy = s.seconds - s.idle_seconds;
  if (s.idle_seconds > 0)
    std::cout << fmt::format("seg run: {} lines in {:.2f} s (busy {:.2f} s: {:.0f} lines/s), watermark {}\n", s.read,
                             s.seconds, busy, busy > 0 ? static_cast<double>(s.read) / busy : 0.0,
                             j["watermark"].get<std::string>());
  else
    std::cout << fmt::format("seg run: {} lines in {:.2f} s ({:.0f} lines/s), watermark {}\n", s.read, s.seconds,
                             s.seconds > 0 ? static_cast<double>(s.read) / s.seconds : 0.0,
                             j["watermark"].get<std::string>());
  std::cout << fmt::format("  applied {}  ignored {}  rejected {}  blank {}  late {}  profiles {}\n",
                           s.applied, s.ignored, s.rejected, s.blank, s.late, s.profiles);
  if (s.rejected) {
    std::cout << "  rejected by cause:";
    for (const auto& [k, v] : s.rejected_by) std::cout << fmt::format(" {} {}", k, v);
    std::cout << fmt::format("  (see {}/rejected.ndjson)\n", out_dir);
  }
  size_t w = 8;
  for (const auto& [name, x] : j["audiences"].items()) w = std::max(w, name.size());
  std::cout << fmt::format("\n  {:<{}}  {:>8}  {:>8}  {:>8}\n", "audience", w, "members", "entered", "left");
  for (const auto& [name, x] : j["audiences"].items()) {
    std::cout << fmt::format("  {:<{}}  {:>8}  {:>8}  {:>8}\n", name, w, x["members"].get<int64_t>(), x["entered"].get<int64_t>(),
                             x["left"].get<int64_t>());
  }
  w = 11;
  for (const auto& [name, x] : j["destinations"].items()) w = std::max(w, name.size());
  // Delivered / failed / netted for destinations with a connector ("-" for files: every
  // op written is there); then where each destination's ops went.
  std::cout << fmt::format("\n  {:<{}}  {:>8}  {:>8}  {:>8}  {:>9}  {:>9}  {:>7}  {:>7}\n", "destination", w, "add",
                           "remove", "update", "unmatched", "delivered", "failed", "netted");
  auto count = [](const nlohmann::ordered_json& x, const char* k) {
    return x.contains("delivery") ? std::to_string(x["delivery"][k].get<int64_t>()) : std::string("-");
  };
  for (const auto& [name, x] : j["destinations"].items()) {
    std::cout << fmt::format("  {:<{}}  {:>8}  {:>8}  {:>8}  {:>9}  {:>9}  {:>7}  {:>7}\n", name, w,
                             x["ops"]["add"].get<int64_t>(), x["ops"]["remove"].get<int64_t>(),
                             x["ops"]["update"].get<int64_t>(), x["unmatched"].get<int64_t>(),
                             count(x, "acknowledged"), count(x, "failed"), count(x, "netted"));
  }
  std::cout << "\n";
  for (const auto& [name, x] : j["destinations"].items()) {
    std::string where = x.contains("sink") ? x["sink"].get<std::string>() : out_dir + "/" + name + ".ndjson";
    std::cout << fmt::format("  {:<{}}  -> {}\n", name, w, where);
  }
  if (j.contains("undelivered"))
    std::cout << fmt::format("\n{} ops were not delivered: see {}/failed-<destination>.ndjson\n",
                             j["undelivered"].get<int64_t>(), out_dir);
  std::cout << fmt::format("summary in {}/summary.json\n", out_dir);
}

}  // namespace
}  // namespace seg::cli
