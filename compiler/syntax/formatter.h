#pragma once
// `seg fmt`: the canonical layout of a parsed file, comments kept.
#include <string>

#include "compiler/diagnostics/source.h"
#include "compiler/syntax/ast.h"

namespace seg {

// Formats a file that parsed without errors. The result is a fixed point:
// format(parse(format(x))) == format(x), and it parses to the same AST.
std::string format_file(const SourceFile& source, const ast::File& file);

// One expression on one line, as the formatter writes it.
std::string format_expr(const ast::Expr* e);

// A span-free dump of a file's AST, for parse goldens and formatter round-trip tests.
std::string dump_ast(const ast::File& file);

}  // namespace seg
