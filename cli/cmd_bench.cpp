// `seg bench run RULES --input F [--repeat N]`: end-to-end throughput of the engine on a
// stream held in memory (parse + fold + evaluate + diff + op text), ops discarded.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/backend.h"
#include "cli/commands.h"
#include "cli/rules.h"
#include "runtime/engine/engine.h"
#include "runtime/io/input.h"

namespace seg::cli {
namespace {

class CountingSink : public rt::OpSink {
 public:
  void write(int32_t, std::string_view line) override { bytes += line.size() + 1, ++ops; }
  size_t bytes = 0, ops = 0;
};

}  // namespace

Runner add_bench(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    std::string input;
    int repeat = 3;
    bool parse_only = false;
    BackendOptions backend;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* bench = app.add_subcommand("bench", "The project's benchmark drivers");
  bench->require_subcommand(1);
  CLI::App* sub = bench->add_subcommand("run", "Events/s of `seg run` on a stream, interpreter");
  add_file_options(sub, o->paths, o->diag, false);
  sub->add_option("--input", o->input, "NDJSON input file")->required();
  sub->add_option("--repeat", o->repeat, "Runs; the median is reported (default 3)");
  add_backend_options(sub, o->backend);
  sub->add_flag("--parse-only", o->parse_only,
                "Baseline: only parse and validate the lines (simdjson + schema), no engine");
  return [o]() {
    int code = 0;
    LoadedRules r = load_rules(o->paths, o->diag, code);
    if (!r.bundle) return code;
    std::ifstream in(o->input, std::ios::binary);
    if (!in) {
      std::cerr << "error: cannot read " << o->input << "\n";
      return kExitRuntime;
    }
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
    JitTier tier(*r.bundle, o->backend, false);  // measure steady state: compile first
    std::vector<double> secs;
    size_t ops = 0, events = 0;
    for (int i = 0; i < std::max(1, o->repeat); ++i) {
      CountingSink sink;
      rt::Engine engine(*r.bundle, sink);
      tier.attach(engine.interp());
      rt::InputParser parser(*r.bundle, engine.interp().strings(), engine.interp().sets());
      rt::Record rec;
      events = 0;
      auto t0 = std::chrono::steady_clock::now();
      for (const std::string& line : lines) {
        rt::LineResult res = parser.parse(line, rec);
        if (res.kind != rt::LineKind::Applied && res.kind != rt::LineKind::Ignored) continue;
        ++events;
        if (!o->parse_only) engine.process(rec);
      }
      if (!o->parse_only) engine.finish();
      secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      ops = sink.ops;
    }
    std::sort(secs.begin(), secs.end());
    double med = secs[secs.size() / 2];
    std::cout << fmt::format(
        "{}  lines {}  records {}  ops {}  median {:.3f} s of {} runs  {:.0f} records/s\n",
        o->parse_only ? "parse-only    " : o->backend.backend == "interp" ? "backend interp" : "backend jit   ", lines.size(), events, ops, med, secs.size(),
        static_cast<double>(events) / med);
    return kExitOk;
  };
}

}  // namespace seg::cli
