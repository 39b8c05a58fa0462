// The pass pipeline, top to bottom, and build_bundle: lower, then these passes, then the
// revision.
#include "compiler/driver/driver.h"
#include "compiler/lower/lower.h"
#include "compiler/passes/passes.h"

namespace seg {

void run_passes(ir::Bundle& b) {
  passes::simplify_booleans(b);
  passes::order_audiences(b);
  passes::collect_time_atoms(b);
  passes::derive_layout(b);
}

std::unique_ptr<ir::Bundle> build_bundle(const Compilation& c) {
  auto b = lower(*c.program, c.sources);
  b->revision = revision(c);
  run_passes(*b);
  return b;
}

}  // namespace seg
