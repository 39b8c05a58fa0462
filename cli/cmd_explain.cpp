// `seg explain RULES --input F --profile ID [--at T] [--audience A]`: runs the stream up
// to T (default: its end) with the interpreter, then shows every audience of that profile,
// in or out, with the value of each sub-condition.
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/host_options.h"
#include "stdlib/builtins/builtins.h"
#include "runtime/engine/engine.h"
#include "runtime/interp/explain.h"
#include "runtime/io/file_sink.h"
#include "runtime/io/input.h"

namespace seg::cli {
namespace {

void print_node(const rt::ExplainNode& n, const std::string& indent, const std::string& label = "") {
  std::cout << fmt::format("{}{}{}  = {}\n", indent, label, n.text, n.value);
  for (const auto& c : n.children) print_node(c, indent + std::string(label.empty() ? 4 : label.size() + 2, ' '));
}

}  // namespace

Runner add_explain(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    std::string input, profile, at, audience;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand("explain", "Why a profile is in or out of each audience");
  add_file_options(sub, o->paths, o->diag, false);
  sub->add_option("--input", o->input, "NDJSON input file")->required();
  sub->add_option("--profile", o->profile, "The profile key (userId or anonymousId)")->required();
  sub->add_option("--at", o->at, "Explain at this instant (default: the end of the input)");
  sub->add_option("--audience", o->audience, "Only this audience");
  return [o]() {
    int code = 0;
    LoadedRules r = load_rules(o->paths, o->diag, code);
    if (!r.bundle) return code;
    const ir::Bundle& b = *r.bundle;
    std::optional<int64_t> at;
    if (!o->at.empty()) {
      int64_t t = 0;
      if (!parse_cli_time(o->at, "--at", t)) return kExitUsage;
      at = t;
    }
    if (!o->audience.empty() && b.audience(o->audience) < 0) {
      std::cerr << "error: no audience `" << o->audience << "`\n";
      return kExitUsage;
    }
    std::ifstream in(o->input, std::ios::binary);
    if (!in) {
      std::cerr << "error: cannot read " << o->input << "\n";
      return kExitRuntime;
    }
    rt::MemorySink sink(b.destinations.size());
    rt::Engine engine(b, sink);
    rt::InputParser parser(b, engine.interp().strings(), engine.interp().sets());
    rt::Record rec;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      rt::LineResult res = parser.parse(line, rec);
      if (res.kind != rt::LineKind::Applied && res.kind != rt::LineKind::Ignored) continue;
      if (at && rec.ts > *at) break;
      engine.process(rec);
    }
    engine.finish(at);
    int64_t now = engine.watermark();
    rt::Profile* p = engine.find(o->profile);
    if (!p) {
      std::cout << fmt::format("profile {} does not exist at {}: no record of it was applied, so it is in no audience\n",
                               o->profile, builtins::format_time(now));
      return kExitOk;
    }
    std::cout << fmt::format("profile {} at {}\n", o->profile, builtins::format_time(now));
    rt::Profile copy = *p;  // evaluating must not disturb the state explained
    for (size_t i = 0; i < b.audiences.size(); ++i) {
      const ir::Audience& a = b.audiences[i];
      if (!o->audience.empty() && a.name != o->audience) continue;
      bool in_aud = p->bit(p->member, static_cast<int32_t>(i));
      bool hold = p->bit(p->holdout, static_cast<int32_t>(i));
      std::cout << fmt::format("\n{} {}{}\n", in_aud ? "IN " : "OUT", a.name, hold ? "  (holdout)" : "");
      if (a.kind == ir::AudienceKind::Segment) {
        print_node(rt::explain(engine.interp(), copy, a.when, now), "    ", "when ");
        for (int32_t x : a.excludes)
          std::cout << fmt::format("    exclude {}  = {}\n", b.audiences[x].name,
                                   p->bit(p->member, x) ? "member (excluded)" : "not a member");
        if (a.ttl_ms) {
          const rt::TtlState& t = p->ttl[a.ttl_slot];
          if (in_aud)
            std::cout << fmt::format("    ttl: entered {}, leaves at {}\n", builtins::format_time(t.entered),
                                     builtins::format_time(t.entered + *a.ttl_ms));
          else if (t.blocked)
            std::cout << "    ttl: ran out; re-entry waits until `when` is false at some instant\n";
        }
      } else {
        const ir::Tiers& t = b.tiers[a.tiers];
        if (t.from >= 0)
          std::cout << fmt::format("    from {}  = {}\n", b.audiences[t.from].name,
                                   p->bit(p->member, t.from) ? "member" : "not a member");
        if (a.cond) print_node(rt::explain(engine.interp(), copy, a.cond, now), "    ", "arm ");
        else std::cout << "    arm else\n";
      }
    }
    int64_t next = engine.interp().deadline(copy, now);
    if (next != rt::kNever) std::cout << fmt::format("\nnext possible change: {}\n", builtins::format_time(next));
    return kExitOk;
  };
}

}  // namespace seg::cli
