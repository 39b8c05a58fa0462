// `seg lint FILES…`: the SEG1xx catalogue (docs/lint/) over rules that check; with
// `--sample`, also what the rules do to a sample stream; with `--baseline`, what changed
// since the deployed rules (SEG112). Exit 1 when a finding has severity error (`--strict`:
// any warning too), 2 on a bad configuration or a baseline that cannot be used.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/host_options.h"
#include "cli/output.h"
#include "cli/usage.h"
#include "compiler/lint/lint.h"
#include "compiler/driver/driver.h"
#include "runtime/host/lint_sample.h"

namespace seg::cli {
namespace {

// `--sample`'s measurements (runtime/host/lint_sample.h), for people.
std::string sample_table(const host::SampleReport& r) {
  std::string t = fmt::format("sample {}: {} lines ({} applied, {} rejected), {} profiles\n\n", r.path, r.lines,
                              r.applied, r.rejected, r.profiles);
  t += fmt::format("  {:<28} {:>9} {:>10} {:>7}\n", "destination", "members", "no key", "share");
  for (const host::SampleDestination& d : r.destinations)
    t += fmt::format("  {:<28} {:>9} {:>10} {:>6.1f}%\n", d.name, d.members, d.unmatched, d.share * 100);
  t += fmt::format("\n  {:<40} {:>9}\n", "audience", "members");
  for (const host::SampleAudience& a : r.audiences) t += fmt::format("  {:<40} {:>9}\n", a.name, a.members);
  if (!r.overlaps.empty()) {
    t += "\n  overlap between ads audiences (profiles in both)\n";
    for (const host::SampleOverlap& x : r.overlaps)
      t += fmt::format("  {:<28} {:<28} {:>7}\n", x.first, x.second, x.both);
  }
  return t;
}

}  // namespace

Runner add_lint(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    bool strict = false;
    std::string config, sample, baseline;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "lint",
      "Check .seg files for operational mistakes (SEG1xx)\n"
      "  example: seg lint examples/retention --sample events.ndjson --strict");
  add_file_options(sub, o->paths, o->diag, true);
  sub->add_flag("--strict", o->strict, "Fail (exit 1) on warnings too");
  sub->add_option("--config", o->config, "Lint configuration (default: .seg-lint.json here or in a parent folder)");
  sub->add_option("--sample", o->sample,
                  "Run the rules over this NDJSON stream: match-key coverage (SEG110), audience sizes, overlaps");
  sub->add_option("--baseline", o->baseline,
                  "The deployed rules (a .segb bundle, or .seg files or a folder): warn when an ads or warehouse "
                  "audience changed meaning under the same downstream name (SEG112)");
  return [o]() {
    std::vector<std::string> files;
    if (!collect_files(o->paths, files)) return kExitUsage;
    lint::Config cfg;
    std::vector<std::string> config_errors;
    if (!lint::load_config(o->config, ".", cfg, config_errors)) {
      for (const std::string& e : config_errors) std::cerr << kErrorPrefix << e << "\n";
      return kExitUsage;
    }
    LoadedRules deployed;
    if (!o->baseline.empty()) {
      int code = 0;
      deployed = load_rules({o->baseline}, o->diag, code);
      if (!deployed.bundle) {
        std::cerr << kErrorPrefix << "--baseline " << o->baseline << ": cannot be read as the deployed rules\n";
        return kExitUsage;
      }
    }
    auto c = compile(files);
    if (c->diags.has_errors()) {  // lints need rules that check
      emit_diagnostics(c->sources, c->diags.sorted(), o->diag);
      return kExitFailed;
    }
    auto bundle = build_bundle(*c);
    std::vector<Diagnostic> found = lint::run(*c, *bundle, cfg);
    if (deployed.bundle) {
      std::vector<Diagnostic> changed = lint::against_baseline(*c, *bundle, cfg, *deployed.bundle);
      found.insert(found.end(), changed.begin(), changed.end());
    }
    std::string table, error;
    if (!o->sample.empty()) {
      host::SampleReport sample;
      if (!host::lint_sample(*c, *bundle, cfg, o->sample, found, sample, error)) {
        std::cerr << kErrorPrefix << error << "\n";
        return kExitRuntime;  // like `seg run --input` that cannot be read
      }
      table = sample_table(sample);
    }
    std::vector<Diagnostic> diags = lint::finish(*c, std::move(found), cfg, o->strict);
    emit_diagnostics(c->sources, diags, o->diag);
    // One summary: with findings, the `warning: N warnings emitted` line the diagnostics
    // end with (as for `seg check`); without, this one.
    if (o->diag.format == "human") {
      if (!table.empty()) std::cout << table << "\n";
      if (diags.empty())
        std::cout << fmt::format("ok: no lint findings in {} file{}\n", files.size(), files.size() == 1 ? "" : "s");
    }
    return count(diags).errors ? kExitFailed : kExitOk;
  };
}

}  // namespace seg::cli
