// `seg bench run RULES --input F [--repeat N]`: end-to-end throughput of the engine on a
// stream held in memory (parse + fold + evaluate + diff + op text), ops discarded; with
// --evaluate-only or --bulk, the row or columnar evaluate kernel alone. `seg bench jit`:
// compile time and memory over compile/unload cycles.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/host_options.h"
#include "cli/commands.h"
#include "cli/usage.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/partitioned.h"
#include "runtime/interp/bulk.h"
#include "runtime/io/input.h"
#include "runtime/jit/jit.h"

namespace seg::cli {
namespace {

class CountingSink : public rt::OpSink {
 public:
  void write(int32_t, std::string_view line) override { bytes += line.size() + 1, ++ops; }
  size_t bytes = 0, ops = 0;
};

struct JitOpts {
  std::vector<std::string> paths;
  DiagOptions diag;
  int cycles = 100;
  bool chosen = false;
};

// The stream applied on the interpreter: the state the kernel benchmarks start from.
void settle(rt::Engine& engine, const ir::Bundle& b, const std::vector<std::string>& lines) {
  rt::InputParser parser(b, engine.interp().strings(), engine.interp().sets());
  rt::Record rec;
  for (const std::string& line : lines) {
    rt::LineResult res = parser.parse(line, rec);
    if (res.kind == rt::LineKind::Applied || res.kind == rt::LineKind::Ignored) engine.process(rec);
  }
  engine.finish();
}

template <typename F>
double median_seconds(int repeat, F&& body) {
  std::vector<double> secs;
  for (int i = 0; i < std::max(1, repeat); ++i) {
    auto t0 = std::chrono::steady_clock::now();
    body();
    secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(secs.begin(), secs.end());
  return secs[secs.size() / 2];
}

std::unique_ptr<jit::CompiledBundle> compile_or_report(const ir::Bundle& b, int jit_opt, bool bulk) {
  jit::Options opt;
  opt.opt_level = jit_opt;
  opt.bulk = bulk;
  std::string error;
  auto compiled = jit::compile(b, opt, error);
  if (!compiled) std::cerr << kErrorPrefix << error << "\n";
  return compiled;
}

// The evaluate kernel alone: the stream's final state, every profile evaluated at the
// final watermark, median over `repeat` passes, for the interpreter and the JIT.
int bench_evaluate(const ir::Bundle& b, const std::vector<std::string>& lines, int repeat, int jit_opt) {
  CountingSink sink;
  rt::Engine engine(b, sink);
  settle(engine, b, lines);
  auto compiled = compile_or_report(b, jit_opt, false);
  if (!compiled) return kExitRuntime;
  std::vector<rt::Profile>& profiles = engine.profile_states();
  std::vector<uint64_t> ttl_exit;
  int64_t now = engine.watermark();
  double results[2];
  for (int pass = 0; pass < 2; ++pass) {
    engine.interp().set_kernels(pass == 0 ? nullptr : &compiled->kernels);
    for (rt::Profile& p : profiles) engine.interp().evaluate(p, now, ttl_exit);  // settle state
    double s = median_seconds(repeat, [&] {
      for (rt::Profile& p : profiles) engine.interp().evaluate(p, now, ttl_exit);
    });
    results[pass] = s * 1e9 / static_cast<double>(profiles.size());
  }
  engine.interp().set_kernels(nullptr);
  std::cout << fmt::format("evaluate kernel, {} audiences, {} profiles: interp {:.0f} ns/profile, jit -O{} {:.0f} "
                           "ns/profile (interp/jit {:.2f})\n",
                           b.audiences.size(), profiles.size(), results[0], jit_opt, results[1],
                           results[0] / results[1]);
  return kExitOk;
}

// The bulk path: every profile of the stream's final state in batches of 64, the JIT's
// columnar kernel against the interpreter (which is also the agreement check: any
// differing membership word fails the run).
int bench_bulk(const ir::Bundle& b, const std::vector<std::string>& lines, int repeat, int jit_opt) {
  CountingSink sink;
  rt::Engine engine(b, sink);
  settle(engine, b, lines);
  auto compiled = compile_or_report(b, jit_opt, true);
  if (!compiled) return kExitRuntime;
  if (!compiled->bulk) {
    std::cerr << kErrorPrefix << "this bundle has no bulk kernel (a condition calls back into the interpreter for a "
                 "subtree that reads membership)\n";
    return kExitRuntime;
  }
  std::vector<rt::Profile>& profiles = engine.profile_states();
  std::vector<rt::Profile*> rows;
  for (rt::Profile& p : profiles) rows.push_back(&p);
  int64_t now = engine.watermark();
  std::vector<std::unique_ptr<rt::BulkEvaluator>> batches;
  double load_s = median_seconds(1, [&] {
    for (size_t i = 0; i < rows.size(); i += 64) {
      batches.push_back(std::make_unique<rt::BulkEvaluator>(engine.interp()));
      batches.back()->load(rows.data() + i, static_cast<int>(std::min<size_t>(64, rows.size() - i)));
    }
  });
  size_t mismatches = 0;
  for (auto& batch : batches) {
    batch->evaluate(nullptr, now);
    std::vector<uint64_t> reference = batch->words();
    batch->evaluate(compiled->bulk, now);
    for (size_t a = 0; a < reference.size(); ++a)
      if (reference[a] != batch->words()[a]) {
        if (mismatches++ < 5)
          std::cerr << fmt::format("mismatch: audience {} word {:#x} (interp) vs {:#x} (jit)\n", b.audiences[a].name,
                                   reference[a], batch->words()[a]);
      }
  }
  double interp_s = median_seconds(repeat, [&] {
    for (auto& batch : batches) batch->evaluate(nullptr, now);
  });
  double jit_s = median_seconds(repeat, [&] {
    for (auto& batch : batches) batch->evaluate(compiled->bulk, now);
  });
  double per = 1e9 / static_cast<double>(rows.size());
  std::cout << fmt::format("bulk evaluate, {} audiences, {} profiles in {} batches: interp {:.0f} ns/profile, "
                           "jit -O{} {:.1f} ns/profile (interp/jit {:.1f}), column load {:.1f} ns/profile; "
                           "{} IR nodes inline, {} via the interpreter; {}\n",
                           b.audiences.size(), rows.size(), batches.size(), interp_s * per, jit_opt, jit_s * per,
                           interp_s / jit_s, load_s * per, compiled->inline_nodes, compiled->fallback_nodes,
                           mismatches ? fmt::format("{} MISMATCHED WORDS", mismatches) : "all words agree");
  return mismatches ? kExitFailed : kExitOk;
}

long rss_kb() {
  std::ifstream f("/proc/self/statm");
  long pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * 4;
}

int bench_jit(const JitOpts& j) {
  int code = 0;
  LoadedRules r = load_rules(j.paths, j.diag, code);
  if (!r.bundle) return code;
  size_t segments = 0;
  for (const auto& a : r.bundle->audiences) segments += a.kind == ir::AudienceKind::Segment;
  struct Mode {
    const char* name;
    int level;
    bool fast_codegen;
  };
  for (Mode m : {Mode{"-O0", 0, true}, Mode{"-O2 quick tier (fast codegen)", 2, true}, Mode{"-O2", 2, false}}) {
    jit::Options opt;
    opt.opt_level = m.level;
    opt.fast_codegen = m.fast_codegen;
    std::string error;
    auto t0 = std::chrono::steady_clock::now();
    auto c = jit::compile(*r.bundle, opt, error);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!c) {
      std::cerr << kErrorPrefix << error << "\n";
      return kExitRuntime;
    }
    std::cout << fmt::format("{}: {} audiences ({} segments) compiled in {:.3f} s, {:.1f} us per segment; "
                             "{} nodes inline, {} via the interpreter\n",
                             m.name, r.bundle->audiences.size(), segments, s,
                             s * 1e6 / static_cast<double>(segments ? segments : 1), c->inline_nodes,
                             c->fallback_nodes);
  }
  // Resident cost of a loaded bundle: ten held at once, after one warm-up compile.
  {
    jit::Options opt;
    std::string error;
    auto warm = jit::compile(*r.bundle, opt, error);
    long base = rss_kb();
    std::vector<std::unique_ptr<jit::CompiledBundle>> held;
    for (int i = 0; i < 10 && warm; ++i) held.push_back(jit::compile(*r.bundle, opt, error));
    std::cout << fmt::format("resident cost per loaded bundle at -O2: {} kB (10 held: {:+} kB)\n",
                             (rss_kb() - base) / 10, rss_kb() - base);
  }
  // Compile and release repeatedly: resource trackers must give the memory back.
  long before = 0;
  for (int i = 0; i < j.cycles; ++i) {
    jit::Options opt;
    opt.opt_level = 0;
    std::string error;
    auto c = jit::compile(*r.bundle, opt, error);
    if (!c) return kExitRuntime;
    if (i == 9) before = rss_kb();  // after warm-up
  }
  long after = rss_kb();
  std::cout << fmt::format("{} compile/unload cycles at -O0: RSS {} kB after 10, {} kB after {} ({:+} kB)\n", j.cycles,
                           before, after, j.cycles, after - before);
  return kExitOk;
}

// Loading a .segb: read + digest + IR + host check, then linking its object code, versus
// compiling the same IR cold at -O2 (issue 5's load benchmark).
int bench_load(const std::string& path, int repeat) {
  std::vector<double> read_s, link_s;
  std::unique_ptr<ir::Bundle> bundle;
  for (int i = 0; i < std::max(1, repeat); ++i) {
    int code = 0;
    auto t0 = std::chrono::steady_clock::now();
    LoadedRules r = load_rules({path}, DiagOptions{}, code);
    auto t1 = std::chrono::steady_clock::now();
    if (!r.bundle) return code;
    if (r.object.empty()) {
      std::cerr << kErrorPrefix << path << " has no object code usable on this host\n";
      return kExitRuntime;
    }
    std::string error;
    auto linked = jit::load_object(*r.bundle, r.object, error);
    auto t2 = std::chrono::steady_clock::now();
    if (!linked) {
      std::cerr << kErrorPrefix << error << "\n";
      return kExitRuntime;
    }
    read_s.push_back(std::chrono::duration<double>(t1 - t0).count());
    link_s.push_back(std::chrono::duration<double>(t2 - t1).count());
    bundle = std::move(r.bundle);
  }
  std::sort(read_s.begin(), read_s.end());
  std::sort(link_s.begin(), link_s.end());
  double read = read_s[read_s.size() / 2], link = link_s[link_s.size() / 2];
  std::string error;
  auto t0 = std::chrono::steady_clock::now();
  auto cold = jit::compile(*bundle, jit::Options{}, error);
  double cold_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << fmt::format("{}: {} audiences; load {:.1f} ms (read, digest, IR {:.1f} ms + link object code {:.1f} ms; "
                           "median of {}), cold -O2 compile of the same IR {:.0f} ms ({:.0f}x)\n",
                           path, bundle->audiences.size(), (read + link) * 1e3, read * 1e3, link * 1e3, read_s.size(),
                           cold_s * 1e3, cold_s / (read + link));
  return cold ? kExitOk : kExitRuntime;
}

}  // namespace

Runner add_bench(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    std::string input;
    int repeat = 3;
    bool parse_only = false;
    bool eval_only = false;
    bool bulk = false;
    int threads = 1;
    BackendOptions backend;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* bench = app.add_subcommand(
      "bench",
      "The project's benchmark drivers\n"
      "  example: seg bench run examples/retention --input events.ndjson --repeat 5");
  bench->require_subcommand(1);
  CLI::App* sub = bench->add_subcommand(
      "run",
      "Records/s of the engine on a stream\n"
      "  example: seg bench run examples/retention --input events.ndjson --repeat 5");
  add_file_options(sub, o->paths, o->diag, false, /*bundles=*/true);
  sub->add_option("--input", o->input, "NDJSON input file")->required();
  sub->add_option("--repeat", o->repeat, "Runs; the median is reported (default 3)");
  sub->add_option("--threads", o->threads, "Engines on as many threads, profiles split by key (default 1)")
      ->check(CLI::Range(1, 256));
  add_backend_options(sub, o->backend);
  sub->add_flag("--evaluate-only", o->eval_only,
                "Run the stream once, then time only the evaluate kernel over every profile, "
                "interpreter against JIT in the same run");
  sub->add_flag("--bulk", o->bulk,
                "Run the stream once, then time the columnar bulk evaluate kernel over every profile "
                "(64 per batch) against the interpreter, checking they agree");
  sub->add_flag("--parse-only", o->parse_only,
                "Baseline: only parse and validate the lines (simdjson + schema), no engine");
  auto j = std::make_shared<JitOpts>();
  CLI::App* jsub = bench->add_subcommand(
      "jit",
      "JIT compile time per segment at -O0/-O2 and memory over compile/unload cycles\n"
      "  example: seg bench jit examples/retention --cycles 20");
  add_file_options(jsub, j->paths, j->diag, false, /*bundles=*/true);
  jsub->add_option("--cycles", j->cycles, "Compile/unload cycles for the memory check (default 100)");
  jsub->callback([j]() { j->chosen = true; });
  struct LoadOpts {
    std::string path;
    int repeat = 5;
    bool chosen = false;
  };
  auto l = std::make_shared<LoadOpts>();
  CLI::App* lsub = bench->add_subcommand(
      "load",
      "Time loading a .segb bundle (with object code) against a cold compile\n"
      "  example: seg bench load retention.segb --repeat 10");
  lsub->add_option("bundle", l->path, "Bundle file")->required();
  lsub->add_option("--repeat", l->repeat, "Loads; the median is reported (default 5)");
  lsub->callback([l]() { l->chosen = true; });
  return [o, j, l]() {
    int code = 0;
    if (j->chosen) return bench_jit(*j);
    if (l->chosen) return bench_load(l->path, l->repeat);
    LoadedRules r = load_rules(o->paths, o->diag, code);
    if (!r.bundle) return code;
    std::ifstream in(o->input, std::ios::binary);
    if (!in) {
      std::cerr << kErrorPrefix << "cannot read " << o->input << "\n";
      return kExitRuntime;
    }
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
    if (o->eval_only) return bench_evaluate(*r.bundle, lines, o->repeat, o->backend.jit_opt);
    if (o->bulk) return bench_bulk(*r.bundle, lines, o->repeat, o->backend.jit_opt);
    JitTier tier(*r.bundle, o->backend, false, r.object, stderr_notify());  // measure steady state: compile first
    std::vector<double> secs;
    size_t ops = 0, events = 0;
    std::string state;
    // One timed pass: parse every line, hand what applies to `apply`, then `finish`.
    auto timed = [&](rt::InputParser& parser, auto&& apply, auto&& finish) {
      rt::Record rec;
      events = 0;
      auto t0 = std::chrono::steady_clock::now();
      for (const std::string& line : lines) {
        rt::LineResult res = parser.parse(line, rec);
        if (res.kind != rt::LineKind::Applied && res.kind != rt::LineKind::Ignored) continue;
        ++events;
        apply(rec);
      }
      finish();
      secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    };
    bool threaded = o->threads > 1 && !o->parse_only;
    for (int i = 0; i < std::max(1, o->repeat); ++i) {
      CountingSink sink;
      if (threaded) {
        rt::Partitioned engines(*r.bundle, sink, o->threads, [&](rt::Interpreter& interp) { tier.attach(interp); });
        rt::InputParser parser(*r.bundle, engines.strings(), engines.sets());
        engines.on_new_pools([&](rt::StringPool& s, rt::SetPool& st) { parser.set_pools(s, st); });
        timed(parser, [&](const rt::Record& rec) { engines.process(rec); }, [&] { engines.finish(std::nullopt); });
        ops = sink.ops;
        continue;
      }
      rt::Engine engine(*r.bundle, sink);
      tier.attach(engine.interp());
      rt::InputParser parser(*r.bundle, engine.interp().strings(), engine.interp().sets());
      timed(
          parser, [&](const rt::Record& rec) { if (!o->parse_only) engine.process(rec); },
          [&] { if (!o->parse_only) engine.finish(); });
      ops = sink.ops;
      if (!o->parse_only && engine.profiles() > 0) {
        rt::StateSize st = engine.state_size();
        state = fmt::format("  state {} B/profile ({} profiles, {} strings, {} index)",
                            st.total() / engine.profiles(), st.profiles / engine.profiles(),
                            st.strings / engine.profiles(), st.index / engine.profiles());
      }
    }
    std::sort(secs.begin(), secs.end());
    double med = secs[secs.size() / 2];
    std::cout << fmt::format(
        "{}  lines {}  records {}  ops {}  median {:.3f} s of {} runs  {:.0f} records/s{}\n",
        o->parse_only ? "parse-only    " : o->backend.backend == "interp" ? "backend interp" : "backend jit   ", lines.size(), events, ops, med, secs.size(),
        static_cast<double>(events) / med,
        (threaded ? fmt::format("  threads {}", o->threads) : std::string()) + state);
    return kExitOk;
  };
}

}  // namespace seg::cli
