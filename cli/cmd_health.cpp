// `seg health (--out DIR | --state DIR) --config F [--format human|json]` (RUNTIME.md §9):
// drift — each destination with a `drift` line, the size its platform reports against the
// size the engine expects there — as a table or one JSON object; every check is appended
// to OUT/drift.ndjson for `seg report`. Exit 1 past any `fail` threshold, 3 when a size
// could not be read. The checks: runtime/service/drift.h; here arguments, printing, exit
// codes.
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/usage.h"
#include "runtime/report/report_read.h"
#include "runtime/service/drift.h"

namespace seg::cli {

namespace {

std::string reported(const rt::DriftResult& r) {
  if (!r.lower) return "-";
  return *r.lower == *r.upper ? std::to_string(*r.lower) : fmt::format("{}-{}", *r.lower, *r.upper);
}

std::string human(const std::vector<rt::DriftResult>& checks) {
  std::vector<std::vector<std::string>> rows = {
      {"destination", "audience", "connector", "expected", "reported", "mismatch", "warn/fail", "status"}};
  std::string notes;
  for (const auto& r : checks) {
    rows.push_back({r.destination, r.audience, r.connector, std::to_string(r.expected), reported(r),
                    r.mismatch ? fmt::format("{:.1f}%", *r.mismatch * 100) : "-",
                    fmt::format("{}%/{}%", r.warn, r.fail), r.status});
    if (!r.error.empty()) notes += fmt::format("  {}: {}\n", r.destination, r.error);
  }
  return "drift\n" + text_table(rows, {false, false, false, true, true, true, true, false}) + notes;
}

}  // namespace

Runner add_health(CLI::App& app) {
  struct Opts {
    std::string out, state, config, format = "human";
    bool no_record = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "health",
      "Drift: each destination's audience size as its platform reports it against what the engine "
      "expects there\n"
      "  example: seg health --out out --config deploy.json || alert");
  auto* out = sub->add_option("--out", o->out, "The out folder of a `seg run --out DIR` (its summary.json)");
  auto* state = sub->add_option("--state", o->state, "A durable state (seg run --state): the --out it recorded");
  out->excludes(state);
  state->excludes(out);
  sub->add_option("--config", o->config, "The deployment config the run used (connectors, endpoints, secrets)")
      ->required();
  sub->add_option("--format", o->format, "human (a table) or json (one object)")
      ->check(CLI::IsMember({"human", "json"}));
  sub->add_flag("--no-record", o->no_record, "Do not append the checks to OUT/drift.ndjson");
  return [o]() {
    if (o->out.empty() && o->state.empty()) {
      std::cerr << kErrorPrefix << "seg health needs --out DIR or --state DIR\n";
      return kExitUsage;
    }
    rt::report::Report where;
    std::string error;
    rt::report::Status st = rt::report::resolve_out(o->out, o->state, where, error);
    if (st != rt::report::Status::Ok) {
      std::cerr << kErrorPrefix << error << "\n";
      return st == rt::report::Status::Usage ? kExitUsage : kExitRuntime;
    }
    rt::DeployConfig deploy;
    if (!rt::load_deploy_config(o->config, deploy, error)) {
      std::cerr << kErrorPrefix << error << "\n";
      return kExitUsage;
    }
    std::string path = where.out_dir + "/summary.json";
    std::ifstream in(path);
    nlohmann::json summary = nlohmann::json::parse(in, nullptr, false);
    if (!in || summary.is_discarded() || !summary.is_object()) {
      std::cerr << kErrorPrefix << path << ": missing or not valid JSON (run `seg run --out " << where.out_dir
                << "` first)\n";
      return kExitRuntime;
    }
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    std::vector<rt::DriftResult> checks = rt::check_drift(summary, deploy, where.out_dir, now);
    if (!o->no_record && !rt::record_drift(where.out_dir, checks, error)) {
      std::cerr << kErrorPrefix << error << "\n";
      return kExitRuntime;
    }
    bool failed = false, unreadable = false;
    for (const auto& r : checks) {
      failed |= r.status == "fail";
      unreadable |= r.status == "error";
    }
    if (o->format == "json") {
      nlohmann::ordered_json j;
      j["out"] = where.out_dir;
      j["checks"] = nlohmann::ordered_json::array();
      for (const auto& r : checks) {
        nlohmann::ordered_json c = rt::drift_json(r);
        c["status"] = r.status;
        c["connector"] = r.connector;
        c["thresholds"] = {{"warn", r.warn}, {"fail", r.fail}};
        j["checks"].push_back(c);
      }
      j["status"] = failed ? "fail" : unreadable ? "error" : "ok";
      std::cout << j.dump(2) << "\n";
    } else if (checks.empty()) {
      std::cout << "drift: no destination has a `drift` line: nothing to check\n";
    } else {
      std::cout << human(checks);
    }
    return failed ? kExitFailed : unreadable ? kExitRuntime : kExitOk;
  };
}

}  // namespace seg::cli
