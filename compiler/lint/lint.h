#pragma once
// `seg lint` (issue 6): the SEG1xx catalogue of LANGUAGE.md §11 over a checked program.
// Rules live one per file in compiler/lint/; lint() runs them in a fixed order, then
// applies the project's configuration and the inline suppressions. Every page of
// docs/lint/ documents one rule.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/driver.h"
#include "compiler/ir/ir.h"
#include "compiler/diagnostics/diagnostic.h"

namespace seg::lint {

// `.seg-lint.json` (docs/lint/README.md).
struct Config {
  std::string path;  // where it was read from ("" : defaults)
  std::map<Code, std::optional<Severity>> severity;  // nullopt: the rule is off
  std::string naming = "^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*_v[0-9]+_[0-9]{4}-[0-9]{2}$";
  int max_fields = 10;                  // SEG104: more fields than this is over-sending
  double coverage_unmatched_max = 0.2;  // SEG110: share of members without a match key
  int64_t sync_latency_ms = 6 * 3600000;  // SEG109: for types that declare no latency
};

// Finds `.seg-lint.json` in `start` or a parent folder when `explicit_path` is empty.
// false when the file cannot be read or says something unknown, with one message per
// problem in `errors` (every problem of the file, not only the first; each names it).
bool load_config(const std::string& explicit_path, const std::string& start, Config& out,
                 std::vector<std::string>& errors);

// Runs every rule over a program that checked without errors (`bundle` is its IR).
std::vector<Diagnostic> run(const Compilation& c, const ir::Bundle& bundle, const Config& cfg);

// SEG112 (`seg lint --baseline`): ads and warehouse destinations whose audience means
// something else than in `deployed` (the rules running now) under the same downstream
// name. Like run(), before finish().
std::vector<Diagnostic> against_baseline(const Compilation& c, const ir::Bundle& bundle, const Config& cfg,
                                         const ir::Bundle& deployed);

// Applies the configuration (severity, off) and the `# seg-lint: allow SEGxxx -- reason`
// comments to findings (also those made outside run(), such as SEG110's); `strict`
// turns warnings into errors.
std::vector<Diagnostic> finish(const Compilation& c, std::vector<Diagnostic> found, const Config& cfg, bool strict);

}  // namespace seg::lint
