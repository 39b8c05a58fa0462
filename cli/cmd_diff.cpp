// `seg diff OLD NEW --input F`: what a rule change would do, without writing anything.
// Both rule sets (files, directories or .segb bundles) run over the same input; at its
// end (or --until) the members of every audience are compared by profile key: how many
// would enter and leave, and a few example ids, so a reviewer sees the effect before
// deploying. --format json for CI. The running and comparing is runtime/host/rule_diff.h;
// here: options, examples, printing.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <optional>

#include "cli/host_options.h"
#include "cli/commands.h"
#include "cli/usage.h"
#include "runtime/host/rule_diff.h"

namespace seg::cli {

Runner add_diff(CLI::App& app) {
  struct Opts {
    std::string old_rules, new_rules, input, until, format = "human";
    int examples = 3;
    BackendOptions backend;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "diff",
      "What changing OLD rules to NEW would do to every audience, on an input\n"
      "  example: seg diff retention.segb rules/ --input sample.ndjson --until 2026-03-05T00:00:00Z");
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
    host::RuleDiffOptions dopt;
    dopt.input = o->input;
    dopt.until = until;
    dopt.backend = o->backend;
    dopt.notify = stderr_notify();
    host::RuleDiff diff = host::diff_rules(old_r, new_r, dopt);
    if (!diff.ok) {
      std::cerr << kErrorPrefix << diff.error << "\n";
      return kExitRuntime;
    }
    const std::vector<host::AudienceDiff>& rows = diff.audiences;
    auto sample = [&](const std::vector<std::string>& v) {
      return std::vector<std::string>(v.begin(), v.begin() + std::min<size_t>(v.size(), std::max(0, o->examples)));
    };
    if (o->format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const host::AudienceDiff& r : rows)
        out.push_back({{"audience", r.audience}, {"status", host::change_name(r.change)}, {"before", r.before},
                       {"after", r.after}, {"enter", r.enter.size()}, {"leave", r.leave.size()},
                       {"enter_examples", sample(r.enter)}, {"leave_examples", sample(r.leave)}});
      std::cout << nlohmann::json{{"old", o->old_rules}, {"new", o->new_rules}, {"audiences", out}}.dump(2) << "\n";
      return kExitOk;
    }
    size_t width = 8;
    for (const host::AudienceDiff& r : rows) width = std::max(width, r.audience.size());
    std::cout << fmt::format("{:<{}}  {:>9}  {:>8}  {:>8}  {:>8}  {:>8}  examples\n", "audience", width, "status",
                             "before", "after", "enter", "leave");
    size_t changed = 0;
    for (const host::AudienceDiff& r : rows) {
      std::string ex;
      for (const auto& k : sample(r.enter)) ex += (ex.empty() ? "+" : " +") + k;
      for (const auto& k : sample(r.leave)) ex += (ex.empty() ? "-" : " -") + k;
      std::cout << fmt::format("{:<{}}  {:>9}  {:>8}  {:>8}  {:>8}  {:>8}  {}\n", r.audience, width,
                               host::change_name(r.change), r.before, r.after, r.enter.size(), r.leave.size(), ex);
      changed += r.change != host::AudienceChange::Unchanged;
    }
    std::cout << fmt::format("{} of {} audiences change\n", changed, rows.size());
    return kExitOk;
  };
}

}  // namespace seg::cli
