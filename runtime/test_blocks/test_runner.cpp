// Each test starts from an empty state. `at T` moves the clock (every time-driven change
// up to T happens); `profile`/`event` apply a record at the current instant; an `expect`
// closes the instant first, so it sees what production would have sent by then.
#include "runtime/test_blocks/test_runner.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <set>

#include "stdlib/builtins/builtins.h"
#include "runtime/engine/engine.h"
#include "runtime/io/file_sink.h"

namespace seg::rt {
namespace {

std::string percent(double p) { return fmt::format("{}%", p); }

// A missing `add` of a profile in the audience's holdout is what the rules say: the
// destination does not get holdout members (ads never; others without `include holdout`).
std::vector<std::string> holdout_hints(const ir::Bundle& b, Engine& engine, const ir::Destination& d,
                                       const OpsDiff& diff) {
  std::vector<std::string> hints;
  if (d.include_holdout && !d.ads) return hints;
  std::set<std::string> seen;
  for (const OpsInstant& g : diff.instants)
    for (const ir::ExpectedOp& op : g.missing) {
      if (op.op != "add" || !seen.insert(op.profile).second) continue;
      Profile* p = engine.find(op.profile);
      if (!p) continue;
      for (int32_t ai : d.audiences) {
        if (!p->bit(p->holdout, ai)) continue;
        const ir::Audience& a = b.audiences[ai];
        // An arm inherits its universe segment's holdout, else has its tiers block's own.
        std::string where = a.name;
        std::optional<ir::Holdout> h = a.holdout;
        if (a.kind == ir::AudienceKind::Arm) {
          const ir::Tiers& t = b.tiers[a.tiers];
          bool inherited = t.from >= 0 && p->bit(p->holdout, t.from);
          where = inherited ? b.audiences[t.from].name : t.name;
          h = inherited ? b.audiences[t.from].holdout : t.holdout;
        }
        std::string text = op.profile + " is in the holdout of `" + where + "`" + (h ? " (" + percent(h->percent) + ")" : "");
        if (d.ads)
          text += ": ads destinations never receive it; `include holdout` sends holdout members to non-ads destinations";
        else
          text += ": `" + d.name + "` has no `include holdout`, so holdout members are not sent to it";
        hints.push_back(std::move(text));
        break;
      }
    }
  return hints;
}

void run_one(const ir::Bundle& b, const ir::TestCase& tc, TestResult& result,
             const std::function<void(Interpreter&)>& on_engine, std::vector<uint8_t>* coverage) {
  MemorySink sink(b.destinations.size());
  Engine engine(b, sink);
  if (on_engine) on_engine(engine.interp());
  engine.interp().set_coverage(coverage);
  // Steps before the first `at` happen at its instant (or at the epoch without one).
  int64_t start = 0;
  for (const ir::TestStep& s : tc.steps)
    if (s.kind == ir::StepKind::At) {
      start = s.time;
      break;
    }
  engine.advance_to(start);
  Interpreter& in = engine.interp();
  for (const ir::TestStep& s : tc.steps) {
    switch (s.kind) {
      case ir::StepKind::At: engine.advance_to(s.time); break;
      case ir::StepKind::Profile: {
        Record r;
        r.kind = RecordKind::Identify;
        r.profile = s.profile;
        r.ts = engine.watermark();
        for (const ir::TestValue& v : s.values)
          r.traits.push_back({b.attribute(v.name), in.from_ir(v.value)});
        engine.process(r);
        break;
      }
      case ir::StepKind::Event: {
        Record r;
        r.kind = RecordKind::Track;
        r.profile = s.profile;
        r.ts = engine.watermark();
        r.event = s.index;
        const auto& props = b.events[s.index].props;
        r.props.assign(props.size(), Value());
        for (const ir::TestValue& v : s.values)
          for (size_t k = 0; k < props.size(); ++k)
            if (props[k].name == v.name) r.props[k] = in.from_ir(v.value);
        engine.process(r);
        break;
      }
      case ir::StepKind::ExpectIn: {
        engine.close_instant();
        Profile* p = engine.find(s.profile);
        bool member = p && p->bit(p->member, s.index);
        if (member == s.negated) {
          result.failures.push_back(
              {s.loc, s.text + "\n  but at " + builtins::format_time(engine.watermark()) + " " + s.profile +
                          (member ? " is a member of " : " is not a member of ") + b.audiences[s.index].name});
        }
        break;
      }
      case ir::StepKind::ExpectOps: {
        engine.close_instant();
        std::vector<ir::ExpectedOp> actual;
        for (const std::string& line : sink.lines[s.index]) {
          auto j = nlohmann::json::parse(line);
          const char* why = nullptr;
          actual.push_back({j["op"], j["profile"],
                            builtins::parse_time(j["ts"].get<std::string>(), true, &why)});
        }
        OpsDiff d = diff_ops(s.ops, actual);
        if (!d.same()) {
          d.destination = b.destinations[s.index].name;
          d.hints = holdout_hints(b, engine, b.destinations[s.index], d);
          result.failures.push_back({s.loc, describe_ops_diff(d), std::move(d)});
        }
        break;
      }
    }
  }
}

}  // namespace

std::vector<TestResult> run_tests(const ir::Bundle& b, const std::function<void(Interpreter&)>& on_engine,
                                  std::vector<uint8_t>* coverage) {
  if (coverage) coverage->resize(b.arena.size());
  std::vector<TestResult> out;
  for (const ir::TestCase& tc : b.tests) {
    TestResult r;
    r.name = tc.name;
    r.loc = tc.loc;
    run_one(b, tc, r, on_engine, coverage);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace seg::rt
