#pragma once
// Every name in a compilation, where it is declared and where it is used: what go to
// definition, find references, rename, hover and highlights read. Built from the AST and
// the resolutions sema recorded (sema::Program::refs, ::types), plus the places sema
// resolves without an expression (exclude lists, `from`, destination lines, test steps).
#include <string>
#include <vector>

#include "compiler/driver/driver.h"

namespace seg::lsp {

enum class SymbolKind { Attribute, Event, Property, Segment, Tiers, Arm, Destination, DestType, Builtin, ProfileId };
const char* kind_word(SymbolKind k);  // "attribute", "event", …

struct Symbol {
  SymbolKind kind = SymbolKind::Attribute;
  std::string name;   // as written
  std::string owner;  // Property: its event; Arm: its tiers block; otherwise ""
  bool operator==(const Symbol&) const = default;
};

struct Occurrence {
  Symbol symbol;
  FileId file = 0;
  Span span;  // just the name
  bool declaration = false;
  const ast::Expr* expr = nullptr;  // the expression this name is, when it is one
};

class SymbolIndex {
 public:
  // Indexes the user's files and the standard library of `c` (its program may be null:
  // then only declarations are known).
  explicit SymbolIndex(const Compilation& c);
  // The name at a byte offset of a file (its end counts, so a cursor just after a name
  // finds it).
  const Occurrence* at(FileId file, uint32_t offset) const;
  const Occurrence* declaration(const Symbol& s) const;
  std::vector<const Occurrence*> occurrences(const Symbol& s) const;
  const std::vector<Occurrence>& all() const { return occ_; }

 private:
  std::vector<Occurrence> occ_;
};

}  // namespace seg::lsp
