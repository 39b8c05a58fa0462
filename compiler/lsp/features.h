#pragma once
// The language features, one group per file, each a function from a file's view of its
// folder's analysis (and the request's parameters) to the LSP result as JSON.
#include <memory>
#include <optional>
#include <string>

#include "compiler/lsp/workspace.h"
#include "stdlib/builtins/functions.h"

namespace seg::lsp {

// One document seen through the analyses of its folder.
struct FileView {
  std::shared_ptr<const Analysis> now;   // of the current text
  std::shared_ptr<const Analysis> good;  // the last one with a program (may be `now`, may be null)
  std::string path;
  FileId id = 0;
  const SourceFile* source = nullptr;    // in `now`; null when the file is not in the program
  std::string docs_url;                  // base of the links to docs/diagnostics.md

  // The program to take names from: the current one, else the last good one.
  const sema::Program* names() const;
  std::string uri_of(const Analysis& a, FileId f) const;
};

// A failed request: the LSP error code and a message for the user.
struct RequestError {
  int code;
  std::string message;
};

// diagnostics.cpp: textDocument/publishDiagnostics params for every file of an analysis.
Json diagnostic_to_json(const Analysis& a, const Diagnostic& d, const std::string& docs_url);
std::string docs_anchor(Code code);  // "seg001--syntax-error"

// hover.cpp; builtin_signature: `count(events) -> int` (completion shows it too)
std::string builtin_signature(const builtins::FunctionInfo& f);

Json hover(const FileView& v, uint32_t offset);

// navigation.cpp: definition, references, document symbols; the name under the cursor
// with a fallback to the last good analysis while the file does not parse.
struct Found {
  Symbol symbol;
  Span span;                        // the name in the current text
  const Occurrence* occ = nullptr;  // in `from`'s index
  const Analysis* from = nullptr;   // `now`, or `good` while the file does not parse there
};
std::optional<Found> symbol_at(const FileView& v, uint32_t offset);
// Where a symbol is declared, as an LSP Location (null when only the standard library
// declares it).
Json declaration_location(const FileView& v, const Symbol& s);
Json definition(const FileView& v, uint32_t offset);
Json references(const FileView& v, uint32_t offset, bool include_declaration);
Json document_symbols(const FileView& v);

// rename.cpp
Json prepare_rename(const FileView& v, uint32_t offset, std::optional<RequestError>& error);
Json rename(const FileView& v, uint32_t offset, const std::string& new_name, std::optional<RequestError>& error);

// completion.cpp
Json completion(const FileView& v, std::string_view text, uint32_t offset);

// edits.cpp: formatting (the `seg fmt` result) and quick fixes.
Json formatting(const std::string& path, const std::string& text, std::optional<RequestError>& error);
Json code_actions(const FileView& v, const Json& range, const Json& context);

}  // namespace seg::lsp
