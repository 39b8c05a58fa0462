#pragma once
// The checked program: symbol tables over the AST plus the side tables sema computes
// (expression types, resolved references). Later layers (IR lowering) start here.
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/sema/types.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace seg::sema {

struct Attribute {
  const ast::Field* field = nullptr;
  FileId file = 0;
  TypeKind type = TypeKind::Error;
  bool is_id = false;
  bool is_pii = false;
};

struct EventInfo {
  const ast::EventDecl* decl = nullptr;
  FileId file = 0;
  std::map<std::string, TypeKind> props;
};

struct Tiers {
  const ast::TiersDecl* decl = nullptr;
  FileId file = 0;
  std::map<std::string, const ast::TierArm*> arms;
};

struct DestType {
  const ast::DestTypeDecl* decl = nullptr;
  FileId file = 0;
  std::string category;  // ads | warehouse | analytics | webhook
  bool builtin = false;  // from stdlib/
  const ast::DTypeKey* key(const std::string& name) const;
};

// What a name in an expression refers to.
enum class RefKind { None, Attribute, Segment, Tiers, Arm, Event, Property, ProfileId, Builtin };

struct Ref {
  RefKind kind = RefKind::None;
  std::string name;  // attribute/segment/event/tiers name; for Arm: "tiers.arm"
};

struct Program {
  std::map<std::string, Attribute> attributes;
  std::map<std::string, EventInfo> events;
  std::map<std::string, const ast::SegmentDecl*> segments;
  std::map<std::string, Tiers> tiers;
  std::map<std::string, const ast::DestinationDecl*> destinations;
  std::map<std::string, DestType> dest_types;
  std::map<std::string, const ast::MeasureDecl*> measures;
  std::vector<const ast::TestDecl*> tests;
  std::map<const void*, FileId> decl_file;  // any declaration node -> its file
  std::string default_region;

  std::unordered_map<const ast::Expr*, Type> types;
  std::unordered_map<const ast::Expr*, Ref> refs;
  // Segment/tiers dependency graph: audience -> audiences it reads (segments, tiers).
  std::map<std::string, std::set<std::string>> depends;
  // Names whose declaration failed to parse: references to them stay quiet.
  std::set<std::string> poisoned;
};

}  // namespace seg::sema
