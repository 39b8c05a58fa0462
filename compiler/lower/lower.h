#pragma once
// Lowering: the checked AST (sema::Program) to the IR bundle, then the pass pipeline.
#include <memory>

#include "compiler/frontend/frontend.h"
#include "compiler/ir/ir.h"

namespace seg {

// Builds the bundle of a compilation that checked without errors. `revision` is the
// content hash the ops carry as `bundle`.
std::unique_ptr<ir::Bundle> lower(const Compilation& c);

// The straight-line pass pipeline run after lowering (compiler/lower/pipeline.cpp).
void run_passes(ir::Bundle& b);

}  // namespace seg
