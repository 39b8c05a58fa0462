#pragma once
// The open documents and the analysis of each rule folder. A document's folder is its
// program: the `*.seg` files beside it on disk, with the text of open documents in place
// of what is on disk. An analysis is the same pipeline as `seg check` (parse, sema) and,
// when that finds no error, `seg lint` (lower, passes, lint rules, suppressions).
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "compiler/driver/driver.h"
#include "compiler/lsp/positions.h"
#include "compiler/lsp/symbols.h"

namespace seg::lsp {

struct Analysis {
  std::string folder;
  std::unique_ptr<Compilation> c;
  std::unique_ptr<SymbolIndex> index;
  std::vector<Diagnostic> diags;         // errors, or (when there are none) lint findings
  std::map<FileId, std::string> uris;    // every user file
  // Standard library files found in the source tree seg was built from (for go to
  // definition only: they are not the user's to edit).
  std::map<FileId, std::string> library_uris;
  std::map<std::string, FileId> by_path;
  std::map<FileId, int> versions;        // open documents: the version analysed
  std::vector<std::string> notes;        // problems outside the rules (a bad .seg-lint.json)
  bool syntax_ok = true;                 // every user file parsed without errors

  // The user file at `path`, or nullptr.
  const SourceFile* file(const std::string& path, FileId* id = nullptr) const;
  bool has_syntax_errors(FileId id) const;
};

class Workspace {
 public:
  struct Document {
    std::string uri;
    std::string text;
    int version = 0;
  };

  // Key of the program a path belongs to: its folder, or the URI itself for a document
  // that is not a file (`untitled:`).
  static std::string folder_of(const std::string& path);

  void open(const std::string& uri, std::string text, int version);
  // `changes`: LSP TextDocumentContentChangeEvent[] (ranges in UTF-16), applied in order.
  bool change(const std::string& uri, const Json& changes, int version);
  void close(const std::string& uri);
  const Document* document(const std::string& uri) const;
  // The path of a document's URI (the URI itself when it is not a `file:` URI).
  static std::string path_of(const std::string& uri);

  // Marks a folder's analysis out of date (all of them with "").
  void invalidate(const std::string& folder);
  // The analysis of a folder, redone first when out of date.
  std::shared_ptr<const Analysis> analysis(const std::string& folder);
  // The latest analysis of the folder whose rules checked far enough to have a program
  // (the names in scope when the current text is too broken for sema), or null.
  std::shared_ptr<const Analysis> last_good(const std::string& folder) const;
  std::set<std::string> folders() const;

 private:
  std::shared_ptr<Analysis> run(const std::string& folder) const;
  std::map<std::string, Document> docs_;  // by path
  std::map<std::string, std::shared_ptr<const Analysis>> current_, good_;
  std::set<std::string> stale_;
};

}  // namespace seg::lsp
