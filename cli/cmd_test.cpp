// `seg test FILES…`: runs the `test` blocks with the production engine; failures with the
// location of the expectation and what happened; `N passed, N failed`; exit 1 on failure.
#include <fmt/format.h>

#include <iostream>

#include "cli/backend.h"
#include "cli/commands.h"
#include "cli/rules.h"
#include "runtime/testing/test_runner.h"

namespace seg::cli {

Runner add_test(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    BackendOptions backend;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand("test", "Run the test blocks of .seg files");
  add_file_options(sub, o->paths, o->diag, false);
  add_backend_options(sub, o->backend);
  return [o]() {
    int code = 0;
    LoadedRules r = load_rules(o->paths, o->diag, code);
    if (!r.bundle) return code;
    int passed = 0, failed = 0;
    JitTier tier(*r.bundle, o->backend, false, r.object);  // tests are short: compile first
    for (const rt::TestResult& t : rt::run_tests(*r.bundle, [&tier](rt::Interpreter& in) { tier.attach(in); })) {
      if (t.passed()) {
        ++passed;
        std::cout << fmt::format("ok    {}\n", t.name);
        continue;
      }
      ++failed;
      std::cout << fmt::format("FAIL  {}  ({}:{})\n", t.name, t.loc.file, t.loc.line);
      for (const rt::TestFailure& f : t.failures)
        std::cout << fmt::format("  {}:{}:{}: {}\n", f.loc.file, f.loc.line, f.loc.column, f.message);
    }
    std::cout << fmt::format("{} passed, {} failed\n", passed, failed);
    return failed ? kExitFailed : kExitOk;
  };
}

}  // namespace seg::cli
