#pragma once
// `seg lint --sample PROFILES.ndjson`: the rules run over a sample stream, then per
// destination how many members have no usable match key (SEG110 above the threshold),
// audience sizes, and how much the ads audiences overlap.
#include <string>
#include <vector>

#include "compiler/driver/driver.h"
#include "compiler/ir/ir.h"
#include "compiler/lint/lint.h"

namespace seg::cli {

struct SampleReport {
  int64_t lines = 0, applied = 0, rejected = 0, profiles = 0;
  std::string table;  // for people (stdout, human format)
};

// false (with `error`) when the sample cannot be read.
bool lint_sample(const Compilation& c, const ir::Bundle& b, const lint::Config& cfg, const std::string& path,
                 std::vector<Diagnostic>& found, SampleReport& report, std::string& error);

}  // namespace seg::cli
