#pragma once
// Lowering: the checked AST (sema::Program) to an IR bundle. The passes and the revision
// come after, in the driver (compiler/driver/driver.h: build_bundle).
#include <memory>

#include "compiler/diagnostics/source.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/program.h"

namespace seg {

// Lowers a program that checked without errors. `sources` gives test locations and text.
std::unique_ptr<ir::Bundle> lower(const sema::Program& p, const SourceManager& sources);

}  // namespace seg
