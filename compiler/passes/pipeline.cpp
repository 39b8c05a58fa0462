// The pass pipeline, top to bottom.
#include "compiler/lower/lower.h"
#include "compiler/passes/passes.h"

namespace seg {

void run_passes(ir::Bundle& b) {
  passes::simplify_booleans(b);
  passes::order_audiences(b);
  passes::collect_time_atoms(b);
  passes::derive_layout(b);
}

}  // namespace seg
