// `seg lint FILES…`: the SEG1xx catalogue (docs/lint/) over rules that check; with
// `--sample`, also what the rules do to a sample stream. Exit 1 when a finding has
// severity error (`--strict`: any warning too), 2 on a bad configuration.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/lint_sample.h"
#include "cli/output.h"
#include "compiler/lint/lint.h"
#include "compiler/driver/driver.h"

namespace seg::cli {

Runner add_lint(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    bool strict = false;
    std::string config, sample;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand("lint", "Check .seg files for operational mistakes (SEG1xx)");
  add_file_options(sub, o->paths, o->diag, true);
  sub->add_flag("--strict", o->strict, "Fail (exit 1) on warnings too");
  sub->add_option("--config", o->config, "Lint configuration (default: .seg-lint.json here or in a parent folder)");
  sub->add_option("--sample", o->sample,
                  "Run the rules over this NDJSON stream: match-key coverage (SEG110), audience sizes, overlaps");
  return [o]() {
    std::vector<std::string> files;
    if (!collect_files(o->paths, files)) return kExitUsage;
    lint::Config cfg;
    std::string error;
    if (!lint::load_config(o->config, ".", cfg, error)) {
      std::cerr << "seg: error: " << error << "\n";
      return kExitUsage;
    }
    auto c = compile(files);
    if (c->diags.has_errors()) {  // lints need rules that check
      emit_diagnostics(c->sources, c->diags.sorted(), o->diag);
      return kExitFailed;
    }
    auto bundle = build_bundle(*c);
    std::vector<Diagnostic> found = lint::run(*c, *bundle, cfg);
    SampleReport sample;
    if (!o->sample.empty() && !lint_sample(*c, *bundle, cfg, o->sample, found, sample, error)) {
      std::cerr << "seg: error: " << error << "\n";
      return kExitRuntime;  // like `seg run --input` that cannot be read
    }
    std::vector<Diagnostic> diags = lint::finish(*c, std::move(found), cfg, o->strict);
    emit_diagnostics(c->sources, diags, o->diag);
    DiagnosticCounts n = count(diags);
    if (o->diag.format == "human") {
      if (!sample.table.empty()) std::cout << sample.table << "\n";
      if (diags.empty()) std::cout << fmt::format("ok: no lint findings in {} file{}\n", files.size(), files.size() == 1 ? "" : "s");
      else
        std::cout << fmt::format("lint: {} error{}, {} warning{}, {} info in {} file{}\n", n.errors, n.errors == 1 ? "" : "s",
                                 n.warnings, n.warnings == 1 ? "" : "s", n.infos, files.size(), files.size() == 1 ? "" : "s");
    }
    return n.errors ? kExitFailed : kExitOk;
  };
}

}  // namespace seg::cli
