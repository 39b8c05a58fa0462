#pragma once
// `seg test` reports: the human lines, JUnit XML and JSON for the results, and condition
// coverage (which conditions the test blocks saw true and which they saw false).
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/test_blocks/test_runner.h"

namespace seg::rt {

// One tracked condition: an audience's whole condition (depth 0) or an operand of an
// and/or/not inside it (depth 1, and one more per level of nesting).
struct CoveredCondition {
  ir::Expr expr = nullptr;
  int depth = 0;
  bool seen_true = false;
  bool seen_false = false;
};

struct AudienceCoverage {
  int32_t audience = 0;                      // index into the bundle's audiences
  std::vector<CoveredCondition> conditions;  // [0]: the whole condition, then its operands
};

struct Coverage {
  std::vector<AudienceCoverage> audiences;  // segments and arms with a condition, in order
  int observed = 0;                         // outcomes (true, false) seen
  int outcomes = 0;                         // 2 per tracked condition
};

// bits: per node id, as recorded by run_tests(…, &bits).
Coverage compute_coverage(const ir::Bundle& b, const std::vector<uint8_t>& bits);
// "90.6%": rounded down, so that only full coverage prints as 100.0%.
std::string coverage_percent(const Coverage& c);

// `ok    NAME` / `FAIL  NAME  (FILE:LINE)` with the failures, then `N passed, N failed`.
std::string human_report(const std::vector<TestResult>& results);
// One <testsuite name="seg test">, one <testcase> per test block.
std::string junit_report(const std::vector<TestResult>& results);
// {"tests": […], "passed": N, "failed": N[, "coverage": {…}]}
std::string json_report(const ir::Bundle& b, const std::vector<TestResult>& results,
                        const Coverage* coverage);
// The coverage table and its total line.
std::string coverage_table(const ir::Bundle& b, const Coverage& c);

}  // namespace seg::rt
