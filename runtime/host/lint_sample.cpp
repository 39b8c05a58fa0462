// `seg lint --sample`: a sample stream through the engine, measured. Never prints.
#include "runtime/host/lint_sample.h"

#include <fmt/format.h>

#include <fstream>

#include "runtime/engine/engine.h"
#include "runtime/io/file_sink.h"
#include "runtime/io/input.h"

namespace seg::host {

bool lint_sample(const Compilation& c, const ir::Bundle& b, const lint::Config& cfg, const std::string& path,
                 std::vector<Diagnostic>& found, SampleReport& report, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read sample " + path;
    return false;
  }
  report.path = path;
  rt::MemorySink sink(b.destinations.size());
  rt::Engine engine(b, sink);
  rt::InputParser parser(b, engine.interp().strings(), engine.interp().sets());
  rt::Record rec;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++report.lines;
    rt::LineResult r = parser.parse(line, rec);
    if (r.kind == rt::LineKind::Rejected) ++report.rejected;
    if (r.kind == rt::LineKind::Applied) ++report.applied;
    if (r.kind == rt::LineKind::Applied || r.kind == rt::LineKind::Ignored) engine.process(rec);
  }
  engine.finish();
  report.profiles = engine.profiles();

  // Per destination: the members it should hold (holdout members only with `include
  // holdout`) and how many of them have no usable key.
  std::vector<int64_t> members(b.destinations.size(), 0);
  for (rt::Profile& p : engine.profile_states())
    for (size_t di = 0; di < b.destinations.size(); ++di)
      for (int32_t a : b.destinations[di].audiences)
        if (p.bit(p.member, a) && (!p.bit(p.holdout, a) || b.destinations[di].include_holdout)) {
          ++members[di];
          break;
        }
  for (size_t di = 0; di < b.destinations.size(); ++di) {
    const ir::Destination& d = b.destinations[di];
    int64_t unmatched = engine.destination_stats()[di].unmatched;
    double share = members[di] ? static_cast<double>(unmatched) / static_cast<double>(members[di]) : 0;
    report.destinations.push_back({d.name, members[di], unmatched, share});
    if (members[di] == 0 || share <= cfg.coverage_unmatched_max) continue;
    auto decl = c.program->destinations.find(d.name);
    if (decl == c.program->destinations.end()) continue;
    std::string keys;
    for (const ir::Key& k : d.keys) keys += (keys.empty() ? "" : ", ") + k.name;
    Diagnostic diag = make_diagnostic(
        Code::KeyCoverage, c.program->decl_file.at(decl->second),
        decl->second->match.empty() ? decl->second->name.span : decl->second->match_span,
        fmt::format("{:.0f}% of the {} members of `{}` in the sample have no usable match key ({}): they are never sent",
                    share * 100, members[di], d.name, keys));
    diag.help = fmt::format("collect one of the keys, or match on another (the threshold is {:.0f}%: "
                            "`thresholds.coverage_unmatched_max` in .seg-lint.json)",
                            cfg.coverage_unmatched_max * 100);
    found.push_back(std::move(diag));
  }
  for (size_t a = 0; a < b.audiences.size(); ++a)
    report.audiences.push_back({b.audiences[a].name, engine.audience_stats()[a].members});

  // Overlaps between what ads destinations would hold.
  std::vector<size_t> ads;
  for (size_t di = 0; di < b.destinations.size(); ++di)
    if (b.destinations[di].ads && !b.destinations[di].audiences.empty()) ads.push_back(di);
  if (ads.size() > 1)
    for (size_t i = 0; i < ads.size(); ++i)
      for (size_t j = i + 1; j < ads.size(); ++j) {
        int32_t x = b.destinations[ads[i]].audiences[0], y = b.destinations[ads[j]].audiences[0];
        int64_t both = 0;
        for (rt::Profile& p : engine.profile_states())
          both += p.bit(p.member, x) && !p.bit(p.holdout, x) && p.bit(p.member, y) && !p.bit(p.holdout, y);
        report.overlaps.push_back({b.destinations[ads[i]].name, b.destinations[ads[j]].name, both});
      }
  return true;
}

}  // namespace seg::host
