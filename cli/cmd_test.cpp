// `seg test FILES…`: runs the `test` blocks with the production engine; failures with the
// location of the expectation and what happened; `N passed, N failed`; exit 1 on failure.
// `--format junit|json` for CI; `--coverage` adds which conditions the tests saw true and
// false, `--min-coverage PCT` makes too little of it a failure.
#include <fmt/format.h>

#include <iostream>

#include "cli/host_options.h"
#include "cli/commands.h"
#include "cli/usage.h"
#include "runtime/test_blocks/report.h"
#include "runtime/test_blocks/test_runner.h"

namespace seg::cli {

Runner add_test(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    BackendOptions backend;
    std::string format = "human";
    bool coverage = false;
    double min_coverage = -1;  // < 0: not asked for
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "test",
      "Run the test blocks of .seg files (or of a bundle)\n"
      "  example: seg test examples/retention --format junit");
  add_file_options(sub, o->paths, o->diag, false, /*bundles=*/true);
  add_backend_options(sub, o->backend);
  sub->add_option("--format", o->format, "Report format: human, junit (JUnit XML) or json")
      ->check(CLI::IsMember({"human", "junit", "json"}));
  sub->add_flag("--coverage", o->coverage,
                "Report which conditions the tests saw true and false (runs on the interpreter)");
  sub->add_option("--min-coverage", o->min_coverage,
                  "Exit 1 when condition coverage is below PCT percent (implies --coverage)")
      ->check(CLI::Range(0.0, 100.0));
  return [o]() {
    int code = 0;
    LoadedRules r = load_rules(o->paths, o->diag, code);
    if (!r.bundle) return code;
    const ir::Bundle& b = *r.bundle;
    bool covering = o->coverage || o->min_coverage >= 0;
    std::vector<uint8_t> bits;
    std::vector<rt::TestResult> results;
    if (covering) {
      // Compiled code does not report per-condition values: coverage runs interpreted.
      results = rt::run_tests(b, {}, &bits);
    } else {
      JitTier tier(b, o->backend, false, r.object, stderr_notify());  // tests are short: compile first
      results = rt::run_tests(b, [&tier](rt::Interpreter& in) { tier.attach(in); });
    }
    rt::Coverage cov;
    if (covering) cov = rt::compute_coverage(b, bits);

    if (o->format == "junit") {
      std::cout << rt::junit_report(results) << std::flush;
      if (covering) std::cerr << rt::coverage_table(b, cov);  // stdout stays one XML document
    } else if (o->format == "json") {
      std::cout << rt::json_report(b, results, covering ? &cov : nullptr);
    } else {
      std::cout << rt::human_report(results);
      if (covering) std::cout << "\n" << rt::coverage_table(b, cov);
    }
    std::cout << std::flush;  // before any message on stderr

    int status = kExitOk;
    for (const rt::TestResult& t : results)
      if (!t.passed()) status = kExitFailed;
    if (o->min_coverage >= 0 && cov.observed * 100.0 < o->min_coverage * cov.outcomes) {
      std::cerr << kErrorPrefix << fmt::format(
          "condition coverage {} ({} of {} outcomes) is below --min-coverage {}\n",
          rt::coverage_percent(cov), cov.observed, cov.outcomes, o->min_coverage);
      status = kExitFailed;
    }
    return status;
  };
}

}  // namespace seg::cli
