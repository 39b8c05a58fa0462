// `seg serve RULES --config FILE --state DIR [--instance NAME] [--listen HOST:PORT]`:
// run the rules as a Kafka application in a consumer group (RUNTIME.md §8).
#include <iostream>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/host_options.h"
#include "cli/usage.h"
#include "runtime/serve/serve.h"

namespace seg::cli {

Runner add_serve(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    std::string config, state, instance;
    LiveOptions live;
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
  add_live_options(sub, o->live, "While a partition is caught up, its time follows the wall clock minus this (default 1m)");
  add_backend_options(sub, o->backend);
  add_trusted_keys_option(sub, o->backend);
  return [o]() {
    rt::ServeOptions opt;
    std::string error;
    if (!rt::load_kafka_config(o->config, opt.kafka, error)) {
      std::cerr << kErrorPrefix << error << "\n";
      return kExitUsage;
    }
    LiveSettings live;
    if (!parse_live_options(o->live, live)) return kExitUsage;
    opt.max_future_ms = live.max_future_ms;
    opt.wall_clock = live.wall_clock;
    opt.lateness_ms = live.lateness_ms;
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
    opt.listen = o->live.listen;
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
