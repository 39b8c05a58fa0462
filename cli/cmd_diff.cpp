// `seg diff OLD NEW --input F`: what a rule change would do, without writing anything.
// Both rule sets (files, directories or .segb bundles) run over the same input; at its
// end (or --until) the members of every audience are compared by profile key: how many
// would enter and leave, and a few example ids, so a reviewer sees the effect before
// deploying. --format json for CI.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "cli/host_options.h"
#include "cli/commands.h"
#include "runtime/engine/engine.h"
#include "runtime/io/input.h"

namespace seg::cli {
namespace {

class DiscardSink : public rt::OpSink {
 public:
  void write(int32_t, std::string_view) override {}
};

// Audience name -> sorted member keys after the input, under one rule set.
struct Members {
  std::map<std::string, std::vector<std::string>> by_audience;
};

bool members_after(const LoadedRules& r, const std::string& input, std::optional<int64_t> until,
                   const BackendOptions& backend, Members& out, std::string& error) {
  std::ifstream in(input, std::ios::binary);
  if (!in) {
    error = "cannot read " + input;
    return false;
  }
  DiscardSink sink;
  rt::Engine engine(*r.bundle, sink);
  JitTier tier(*r.bundle, backend, false, r.object, stderr_notify());
  tier.attach(engine.interp());
  rt::InputParser parser(*r.bundle, engine.interp().strings(), engine.interp().sets());
  rt::Record rec;
  for (std::string line; std::getline(in, line);) {
    rt::LineResult res = parser.parse(line, rec);
    if (res.kind == rt::LineKind::Applied || res.kind == rt::LineKind::Ignored) engine.process(rec);
  }
  engine.finish(until);
  const ir::Bundle& b = *r.bundle;
  for (size_t a = 0; a < b.audiences.size(); ++a) out.by_audience[b.audiences[a].name];
  for (const rt::Profile& p : engine.profile_states())
    for (size_t a = 0; a < b.audiences.size(); ++a)
      if (p.bit(p.member, static_cast<int32_t>(a)))
        out.by_audience[b.audiences[a].name].emplace_back(engine.interp().strings().get(p.id));
  for (auto& [name, keys] : out.by_audience) std::sort(keys.begin(), keys.end());
  return true;
}

struct Row {
  std::string audience, status;  // status: changed | unchanged | added | removed
  size_t before = 0, after = 0;
  std::vector<std::string> enter, leave;
};

}  // namespace

Runner add_diff(CLI::App& app) {
  struct Opts {
    std::string old_rules, new_rules, input, until, format = "human";
    int examples = 3;
    BackendOptions backend;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand("diff", "What changing OLD rules to NEW would do to every audience, on an input");
  sub->add_option("old", o->old_rules, "Current rules: a .seg file, a directory or a .segb bundle")->required();
  sub->add_option("new", o->new_rules, "Proposed rules, likewise")->required();
  sub->add_option("--input", o->input, "NDJSON input both rule sets run over")->required();
  sub->add_option("--until", o->until, "Compare at this instant (default: the input's watermark)");
  sub->add_option("--examples", o->examples, "Example profile ids per audience and direction (default 3)");
  sub->add_option("--format", o->format, "human or json")->check(CLI::IsMember({"human", "json"}));
  add_backend_options(sub, o->backend);
  return [o]() {
    std::optional<int64_t> until;
    if (!o->until.empty()) {
      int64_t t = 0;
      if (!parse_cli_time(o->until, "--until", t)) return kExitUsage;
      until = t;
    }
    int code = 0;
    LoadedRules old_r = load_rules({o->old_rules}, DiagOptions{}, code);
    if (!old_r.bundle) return code;
    LoadedRules new_r = load_rules({o->new_rules}, DiagOptions{}, code);
    if (!new_r.bundle) return code;
    Members before, after;
    std::string error;
    if (!members_after(old_r, o->input, until, o->backend, before, error) ||
        !members_after(new_r, o->input, until, o->backend, after, error)) {
      std::cerr << "error: " << error << "\n";
      return kExitRuntime;
    }
    std::set<std::string> names;
    for (const auto& [n, _] : before.by_audience) names.insert(n);
    for (const auto& [n, _] : after.by_audience) names.insert(n);
    std::vector<Row> rows;
    for (const std::string& n : names) {
      Row row;
      row.audience = n;
      auto b = before.by_audience.find(n), a = after.by_audience.find(n);
      static const std::vector<std::string> none;
      const auto& old_keys = b == before.by_audience.end() ? none : b->second;
      const auto& new_keys = a == after.by_audience.end() ? none : a->second;
      row.before = old_keys.size();
      row.after = new_keys.size();
      std::set_difference(new_keys.begin(), new_keys.end(), old_keys.begin(), old_keys.end(),
                          std::back_inserter(row.enter));
      std::set_difference(old_keys.begin(), old_keys.end(), new_keys.begin(), new_keys.end(),
                          std::back_inserter(row.leave));
      row.status = b == before.by_audience.end()   ? "added"
                   : a == after.by_audience.end()  ? "removed"
                   : row.enter.empty() && row.leave.empty() ? "unchanged"
                                                            : "changed";
      rows.push_back(std::move(row));
    }
    auto sample = [&](const std::vector<std::string>& v) {
      return std::vector<std::string>(v.begin(), v.begin() + std::min<size_t>(v.size(), std::max(0, o->examples)));
    };
    if (o->format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const Row& r : rows)
        out.push_back({{"audience", r.audience}, {"status", r.status}, {"before", r.before}, {"after", r.after},
                       {"enter", r.enter.size()}, {"leave", r.leave.size()}, {"enter_examples", sample(r.enter)},
                       {"leave_examples", sample(r.leave)}});
      std::cout << nlohmann::json{{"old", o->old_rules}, {"new", o->new_rules}, {"audiences", out}}.dump(2) << "\n";
      return kExitOk;
    }
    size_t width = 8;
    for (const Row& r : rows) width = std::max(width, r.audience.size());
    std::cout << fmt::format("{:<{}}  {:>9}  {:>8}  {:>8}  {:>8}  examples\n", "audience", width, "status", "before",
                             "enter", "leave");
    size_t changed = 0;
    for (const Row& r : rows) {
      std::string ex;
      for (const auto& k : sample(r.enter)) ex += (ex.empty() ? "+" : " +") + k;
      for (const auto& k : sample(r.leave)) ex += (ex.empty() ? "-" : " -") + k;
      std::cout << fmt::format("{:<{}}  {:>9}  {:>8}  {:>8}  {:>8}  {}\n", r.audience, width, r.status, r.before,
                               r.enter.size(), r.leave.size(), ex);
      changed += r.status != "unchanged";
    }
    std::cout << fmt::format("{} of {} audiences change\n", changed, rows.size());
    return kExitOk;
  };
}

}  // namespace seg::cli
