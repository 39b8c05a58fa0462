// Each test starts from an empty state. `at T` moves the clock (every time-driven change
// up to T happens); `profile`/`event` apply a record at the current instant; an `expect`
// closes the instant first, so it sees what production would have sent by then.
#include "runtime/test_blocks/test_runner.h"

#include <nlohmann/json.hpp>

#include "stdlib/builtins/builtins.h"
#include "runtime/engine/engine.h"
#include "runtime/io/file_sink.h"

namespace seg::rt {
namespace {

std::string describe(const ir::ExpectedOp& op) {
  std::string s = op.op + " " + op.profile;
  if (op.at) s += " at " + builtins::format_time(*op.at);
  return s;
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
        bool same = actual.size() == s.ops.size();
        for (size_t i = 0; same && i < actual.size(); ++i) {
          same = actual[i].op == s.ops[i].op && actual[i].profile == s.ops[i].profile &&
                 (!s.ops[i].at || actual[i].at == s.ops[i].at);
        }
        if (!same) {
          std::string msg = "ops sent to " + b.destinations[s.index].name + " differ\n  expected:";
          if (s.ops.empty()) msg += " none";
          for (const auto& op : s.ops) msg += "\n    " + describe(op);
          msg += "\n  actual:";
          if (actual.empty()) msg += " none";
          for (const auto& op : actual) msg += "\n    " + describe(op);
          result.failures.push_back({s.loc, msg});
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
