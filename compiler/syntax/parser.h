#pragma once
// Parser entry: text -> AST, with error recovery per declaration.
#include <set>
#include <string>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace seg {

struct ParseOptions {
  size_t max_errors_per_file = 20;
};

struct ParsedFile {
  ast::File* file = nullptr;
  // Names whose declaration failed to parse: sema stays quiet about references to them,
  // so one syntax error does not cascade into "unknown name" errors.
  std::set<std::string> poisoned;
  // A schema declaration failed to parse: checking the rest would only report noise.
  bool schema_broken = false;
};

ParsedFile parse_file(ast::Ast& ast, const SourceManager& sm, FileId id, DiagnosticBag& diags,
                      const ParseOptions& opt = {});

// Parses a single expression (used by tests and tools). Returns null on error.
ast::Expr* parse_expression(ast::Ast& ast, const SourceManager& sm, FileId id,
                            DiagnosticBag& diags);

// Lexical helpers shared with the formatter.
std::vector<ast::Comment> scan_comments(std::string_view text);
// Byte offset of the first invalid UTF-8 sequence, or npos.
size_t find_invalid_utf8(std::string_view text);

}  // namespace seg
