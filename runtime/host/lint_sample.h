#pragma once
// `seg lint --sample PROFILES.ndjson`'s work: the rules run over a sample stream, then
// per destination how many members have no usable match key (SEG110 above the
// threshold), audience sizes, and how much the ads audiences overlap. The measurements
// and the findings come back as data; the caller prints the table.
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/driver/driver.h"
#include "compiler/ir/ir.h"
#include "compiler/lint/lint.h"

namespace seg::host {

struct SampleDestination {
  std::string name;
  int64_t members = 0;    // profiles it should hold (holdout ones only with `include holdout`)
  int64_t unmatched = 0;  // of them, how many have no usable match key
  double share = 0;       // unmatched / members (0 when no members)
};

struct SampleAudience {
  std::string name;
  int64_t members = 0;
};

struct SampleOverlap {  // two ads destinations' first audiences: profiles in both (not held out)
  std::string first, second;
  int64_t both = 0;
};

struct SampleReport {
  std::string path;
  int64_t lines = 0, applied = 0, rejected = 0, profiles = 0;
  std::vector<SampleDestination> destinations;  // in the rules' order
  std::vector<SampleAudience> audiences;        // in the rules' order
  std::vector<SampleOverlap> overlaps;          // empty unless two or more ads destinations
};

// Runs the sample at `path` through the engine; SEG110 findings are appended to `found`.
// false (with `error`) when the sample cannot be read.
bool lint_sample(const Compilation& c, const ir::Bundle& b, const lint::Config& cfg, const std::string& path,
                 std::vector<Diagnostic>& found, SampleReport& report, std::string& error);

}  // namespace seg::host
