// `seg report --out DIR | --state DIR [--format human|json|html] [-o FILE]` (RUNTIME.md §9):
// what a run left in its out folder — audience sizes over time, ops per day, unmatched
// share, lift per measure, drift — as compact tables, one JSON object or one
// self-contained HTML page. Reading and aggregation: runtime/report/; here the arguments,
// the tables and the exit codes.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/usage.h"
#include "runtime/report/report.h"

namespace seg::cli {

namespace {

namespace rp = rt::report;

std::string pct(std::optional<double> v) { return v ? fmt::format("{:.1f}%", *v * 100) : "-"; }
std::string num4(std::optional<double> v) {
  if (!v) return "-";
  return *v < 0.0001 ? "<0.0001" : fmt::format("{:.4f}", *v);
}

// One character per sample (at most 60: the last of each group), ▁ (0) … █ (the peak).
std::string sparkline(const std::vector<rp::SizePoint>& points, int64_t peak) {
  static const char* bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  size_t group = (points.size() + 59) / 60;
  std::string s;
  for (size_t i = 0; i < points.size(); i += group) {
    int64_t v = points[std::min(points.size(), i + group) - 1].members;
    s += bars[peak > 0 ? std::min<int64_t>(7, (v * 7 + peak / 2) / peak) : 0];
  }
  return s;
}

// One character per drift check, oldest first (the last 40).
std::string history(const std::vector<rp::DriftCheck>& checks) {
  std::string s;
  for (size_t i = checks.size() > 40 ? checks.size() - 40 : 0; i < checks.size(); ++i) {
    const std::string& st = checks[i].status;
    s += st == "ok" ? '.' : st == "warn" ? 'w' : st == "fail" ? 'F' : 'E';
  }
  return s;
}

std::string human(const rp::Report& r) {
  std::string s = fmt::format("report {}{} (bundle {}, watermark {})\n", r.out_dir,
                              r.state_dir.empty() ? "" : " (--out of state " + r.state_dir + ")",
                              r.bundle, r.watermark.empty() ? "-" : r.watermark);
  if (r.has_span)
    s += fmt::format("ops from {} to {}\n", rp::time_text(r.first), rp::time_text(r.last_op));
  else
    s += "no ops in the op files\n";

  std::vector<std::vector<std::string>> rows{
      {"destination", "audience", "add", "remove", "update", "unmatched", "share", "ops from"}};
  for (const rp::Destination& d : r.destinations)
    rows.push_back({d.name, d.audience, std::to_string(d.add), std::to_string(d.remove),
                    std::to_string(d.update), std::to_string(d.unmatched), pct(d.unmatched_share),
                    d.ops_file.empty() ? d.sink : d.ops_file});
  s += "\ndestinations\n" + text_table(rows, {false, false, true, true, true, true, true, false});

  if (r.has_span) {
    rows = {{"destination", "audience", "segment", "now", "peak",
             fmt::format("members per {}", rp::step_name(r.step))}};
    for (const rp::Destination& d : r.destinations)
      for (const rp::SizeSeries& z : d.sizes)
        rows.push_back({d.name, z.audience, z.segment, std::to_string(z.members),
                        std::to_string(z.peak), sparkline(z.points, z.peak)});
    s += fmt::format("\naudience sizes ({} to {})\n", rp::time_text(r.sample_from),
                     rp::time_text(r.sample_to)) +
         text_table(rows, {false, false, false, true, true, false});
    rows = {{"destination", "day", "add", "remove", "update"}};
    for (const rp::Destination& d : r.destinations)
      for (const rp::DayOps& o : d.per_day)
        if (o.add || o.remove || o.update)
          rows.push_back({d.name, rp::day_text(o.day), std::to_string(o.add),
                          std::to_string(o.remove), std::to_string(o.update)});
    s += "\nops per day\n" + text_table(rows, {false, false, true, true, true});
  }

  if (r.measures.empty())
    s += "\nlift: no measures in summary.json\n";
  else {
    rows = {{"measure", "status", "treatment", "holdout", "absolute lift [95%]",
             "relative lift [95%]", "p", "sample ratio"}};
    auto arm = [](const rp::Arm& a) {
      return fmt::format("{}/{} {}", a.converted, a.exposed, pct(a.rate));
    };
    auto lift = [](const std::optional<rp::Interval>& i, const char* unit) {
      return i ? fmt::format("{:+.1f}{} [{:+.1f}, {:+.1f}]", i->estimate * 100, unit, i->low * 100,
                             i->high * 100)
               : std::string("-");
    };
    for (const rp::Measure& m : r.measures)
      rows.push_back({m.name, m.status, arm(m.treatment), arm(m.holdout),
                      lift(m.absolute_lift, "pp"), lift(m.relative_lift, "%"), num4(m.p_value),
                      (m.sample_ratio_flag ? "FLAGGED p " : "ok p ") + num4(m.sample_ratio_p)});
    s += "\nlift\n" + text_table(rows, {false, false, true, true, true, true, true, false});
  }

  if (!r.drift_file || r.drift.empty())
    s += r.drift_file ? "\ndrift: drift.ndjson holds no check\n"
                      : "\ndrift: no drift.ndjson (no check recorded)\n";
  else {
    rows = {{"destination", "audience", "latest", "status", "expected", "reported", "mismatch",
             "checks", "over time"}};
    for (const rp::Drift& d : r.drift) {
      const rp::DriftCheck& c = d.checks.back();
      std::string counts;
      for (const auto& [st, n] : d.by_status)
        counts += (counts.empty() ? "" : ", ") + fmt::format("{} {}", n, st);
      rows.push_back({d.destination, c.audience, rp::time_text(c.ts),
                      c.status + (c.error.empty() ? "" : " (" + c.error + ")"),
                      std::to_string(c.expected),
                      c.lower ? fmt::format("{}-{}", *c.lower, *c.upper) : "-", pct(c.mismatch),
                      counts, history(d.checks)});
    }
    s += "\ndrift\n" + text_table(rows, {false, false, false, false, true, true, true, false, false}) +
         "  (over time: the last 40 checks, oldest first; . ok, w warn, F fail, E error)\n";
  }
  return s;
}

}  // namespace

Runner add_report(CLI::App& app) {
  struct Opts {
    std::string out, state, format = "human", output;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub =
      app.add_subcommand("report",
                         "Audience sizes over time, ops per day, unmatched share, lift and drift "
                         "from a run's out folder\n"
                         "  example: seg report --out out --format html -o report.html");
  auto* out = sub->add_option("--out", o->out, "The out folder of a `seg run --out DIR`");
  auto* state = sub->add_option(
      "--state", o->state, "A durable state (seg run --state): report on the --out it recorded");
  out->excludes(state);
  state->excludes(out);
  sub->add_option("--format", o->format,
                  "human (tables), json (one object) or html (one self-contained page)")
      ->check(CLI::IsMember({"human", "json", "html"}));
  sub->add_option("-o,--output", o->output, "Write the report to FILE instead of stdout");
  return [o]() {
    if (o->out.empty() && o->state.empty()) {
      std::cerr << kErrorPrefix << "seg report needs --out DIR or --state DIR\n";
      return kExitUsage;
    }
    rp::Report r;
    std::string error;
    rp::Status st = rp::load_report(o->out, o->state, r, error);
    if (st != rp::Status::Ok) {
      std::cerr << kErrorPrefix << error << "\n";
      return st == rp::Status::Usage ? kExitUsage : kExitRuntime;
    }
    std::string text = o->format == "json"   ? rp::report_json(r)
                       : o->format == "html" ? rp::report_html(r)
                                             : human(r);
    if (o->output.empty()) {
      std::cout << text;
      return kExitOk;
    }
    std::ofstream f(o->output, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f) {
      std::cerr << kErrorPrefix << "cannot write " << o->output << "\n";
      return kExitRuntime;
    }
    return kExitOk;
  };
}

}  // namespace seg::cli
