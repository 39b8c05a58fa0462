#pragma once
// `seg test`: runs the bundle's test blocks (LANGUAGE.md §8) with the production engine.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/test_blocks/ops_diff.h"

namespace seg::rt {

struct TestFailure {
  ir::Location loc;
  std::string message;  // what was expected and what happened
  std::optional<OpsDiff> ops;  // an `expect ops` that failed, as data (--format json)
};

struct TestResult {
  std::string name;
  ir::Location loc;
  std::vector<TestFailure> failures;
  bool passed() const { return failures.empty(); }
};

class Interpreter;
// on_engine: called for each test's fresh engine (the CLI attaches JIT code there).
// coverage: when given, per node id, accumulates every test's condition outcomes
// (Interpreter::set_coverage); attach no JIT code with it.
std::vector<TestResult> run_tests(const ir::Bundle& b,
                                  const std::function<void(Interpreter&)>& on_engine = {},
                                  std::vector<uint8_t>* coverage = nullptr);

}  // namespace seg::rt
