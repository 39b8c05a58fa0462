#pragma once
// Sema entry: name resolution, type checking and structural rules over parsed files.
#include <memory>
#include <vector>

#include "compiler/sema/program.h"
#include "compiler/syntax/parser.h"

namespace seg::sema {

// Checks the files together (declaration order across files does not matter).
// `stdlib` files are checked too but their declarations are marked built-in.
std::unique_ptr<Program> check(const SourceManager& sm, const std::vector<ParsedFile>& files,
                               const std::vector<ParsedFile>& stdlib, DiagnosticBag& diags);

}  // namespace seg::sema
