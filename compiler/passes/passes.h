#pragma once
// IR passes, one per file, run in order by run_passes() (compiler/driver/pipeline.cpp).
#include "compiler/ir/ir.h"

namespace seg::passes {

void simplify_booleans(ir::Bundle& b);   // and/or/not over constants
void order_audiences(ir::Bundle& b);     // the evaluate kernel's dependency order
void collect_time_atoms(ir::Bundle& b);  // the deadline kernel's comparisons on `now`
void derive_layout(ir::Bundle& b);       // which attributes are kept; TTL and sent slots

}  // namespace seg::passes
