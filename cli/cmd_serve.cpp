// `seg serve RULES --config FILE --state DIR [--instance NAME] [--listen HOST:PORT]`:
// run the rules as a Kafka application in a consumer group (RUNTIME.md §8).
#include <iostream>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/host_options.h"
#include "cli/usage.h"
#include "runtime/serve/serve.h"
#include "runtime/service/metrics.h"

namespace seg::cli {

Runner add_serve(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    std::string config, state, instance, listen, max_future = "1h", wall_clock, lateness = "1m";
    BackendOptions backend;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "serve",
      "Run rules as a Kafka service: a consumer group, state per partition, ops in transactions\n"
      "  example: seg serve rules.segb --config serve.json --state /var/lib/seg --instance seg-1 --listen :9464");
  add_file_options(sub, o->paths, o->diag, false, /*bundles=*/true);
  sub->add_option("--config", o->config, "Config file with a `kafka` object (brokers, group, topics; docs/serve.md)")
      ->required();
  sub->add_option("--state", o->state, "Folder for the partitions' RocksDB state")->required();
  sub->add_option("--instance", o->instance,
                  "This instance's name, stable across restarts: its transactional.id is <group>.<name> "
                  "(default: the host name)");
  sub->add_option("--listen", o->listen, "Serve /metrics, /healthz and /readyz on HOST:PORT");
  sub->add_option("--max-future", o->max_future,
                  "Reject records dated more than this after the wall clock (default 1h, or off)");
  sub->add_option("--wall-clock", o->wall_clock, "Pin the wall clock to this instant (tests and replays)");
  sub->add_option("--lateness", o->lateness,
                  "While a partition is caught up, its time follows the wall clock minus this (default 1m)");
  add_backend_options(sub, o->backend);
  add_trusted_keys_option(sub, o->backend);
  return [o]() {
    rt::ServeOptions opt;
    std::string error;
    if (!rt::load_kafka_config(o->config, opt.kafka, error)) {
      std::cerr << kErrorPrefix << error << "\n";
      return kExitUsage;
    }
    if (!o->listen.empty()) {
      std::string host;
      int port = 0;
      if (!rt::parse_listen(o->listen, host, port, error)) {
        std::cerr << kErrorPrefix << error << "\n";
        return kExitUsage;
      }
    }
    if (o->max_future == "off") opt.max_future_ms.reset();
    else if (!parse_cli_duration(o->max_future, "--max-future", *opt.max_future_ms)) return kExitUsage;
    if (!parse_cli_duration(o->lateness, "--lateness", opt.lateness_ms)) return kExitUsage;
    if (!o->wall_clock.empty()) {
      int64_t t = 0;
      if (!parse_cli_time(o->wall_clock, "--wall-clock", t)) return kExitUsage;
      opt.wall_clock = t;
    }
    if (o->instance.empty()) {
      char host[256] = {};
      gethostname(host, sizeof host - 1);
      o->instance = host;
    }
    DiagOptions diag = o->diag;
    RuleGenerations rules(
        o->paths, o->backend, false,
        [diag](const LoadedRules& refused, const std::string& running) {
          int code = report_load(refused, diag);
          std::cerr << "seg: the new rules were refused (exit " << code << "); still running bundle " << running << "\n";
        },
        stderr_notify());
    LoadedRules failed;
    const ir::Bundle* first = rules.load_first(failed);
    if (!first) return report_load(failed, o->diag);
    opt.state_dir = o->state;
    opt.instance = o->instance;
    opt.listen = o->listen;
    opt.on_engine = [&rules](rt::Interpreter& in) { rules.attach(in); };
    opt.on_engine_end = [&rules](rt::Interpreter& in) { rules.detach(in); };
    RuleGenerations::install_signal_handlers();
    opt.stop_requested = [] { return RuleGenerations::stop_requested(); };
    opt.poll_rules = [&rules] { return rules.poll(); };
    int code = rt::serve(*first, opt, error);
    if (code != 0) std::cerr << kErrorPrefix << error << "\n";
    return code;
  };
}

}  // namespace seg::cli
