#pragma once
// Internal to sema: the checker's state shared by the check_*.cpp files.
#include <string>
#include <vector>

#include "compiler/sema/program.h"
#include "compiler/sema/sema.h"

namespace seg::sema {

// Why an RE2 pattern does not compile, or "" when it does.
std::string regex_error(const std::string& pattern);

class Checker {
 public:
  Checker(const SourceManager& sm, Program& p, DiagnosticBag& diags)
      : sm_(sm), p_(p), diags_(diags) {}

  // Passes, in order (sema.cpp runs them).
  void collect(const ast::File& f, bool builtin);
  void check_dest_types();
  void check_segments();
  void check_tiers();
  void check_cycles();
  void check_destinations();
  void check_measures();
  void check_tests();
  void check_default_region();

 private:
  enum class Ctx { Profile, Where };
  struct Scope {
    Ctx ctx = Ctx::Profile;
    const EventInfo* event = nullptr;  // Where: the event whose properties are in scope
    FileId file = 0;
    std::string owner;                 // audience being checked, for the dependency graph
  };

  // Expressions (check_expr.cpp, check_calls.cpp).
  Type expr(const ast::Expr* e, const Scope& s);
  Type name(const ast::Expr* e, const Scope& s);
  Type member(const ast::Expr* e, const Scope& s);
  Type call(const ast::Expr* e, const Scope& s);
  Type binary(const ast::Expr* e, const Scope& s);
  Type comparison(const ast::Expr* e, const Scope& s, Type l, Type r);
  Type arithmetic(const ast::Expr* e, const Scope& s, Type l, Type r);
  Type query(const ast::Expr* e, const Scope& s);
  Type list(const ast::Expr* e, const Scope& s);
  Type set(const ast::Expr* e, Type t, Ref r = {});
  void condition(const ast::Expr* e, const Scope& s, const char* what);
  bool value(const ast::Expr* e, Type t, FileId file);  // rejects streams outside aggregates
  void mismatch(const ast::Expr* e, FileId file, const std::string& msg, const Type& want, const Type& got);

  // Helpers.
  Diagnostic& error(Code c, FileId f, Span s, std::string msg);
  bool define(const std::string& name, const char* kind, FileId f, Span s);
  std::vector<std::string> expression_names() const;
  void audience_ref(const ast::AudienceRef& r, FileId f, bool allow_tiers);
  void drift_and_labels(const ast::DestinationDecl& d, FileId file, bool ads);
  // A name whose declaration failed to parse: references to it stay quiet.
  bool poisoned(const std::string& name) const { return p_.poisoned.count(name) > 0; }
  FileId file_of(const void* decl) const;

  const SourceManager& sm_;
  Program& p_;
  DiagnosticBag& diags_;
  // First definition of each expression-level name: kind and location.
  struct Def { const char* kind; FileId file; Span span; };
  std::map<std::string, Def> defs_;
  std::map<std::string, Def> dest_defs_, dtype_defs_, test_defs_, measure_defs_;
  std::vector<std::pair<const ast::MeasureDecl*, FileId>> measure_list_;
  std::vector<std::pair<const ast::SegmentDecl*, FileId>> segment_list_;
  std::vector<std::pair<const ast::TiersDecl*, FileId>> tiers_list_;
  std::vector<std::pair<const ast::DestinationDecl*, FileId>> dest_list_;
  std::vector<std::pair<const ast::DestTypeDecl*, FileId>> dtype_list_;
  std::vector<std::pair<const ast::TestDecl*, FileId>> test_list_;
  std::vector<std::pair<const ast::DefaultRegionDecl*, FileId>> region_list_;
};

}  // namespace seg::sema
