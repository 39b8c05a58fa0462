#pragma once
// The AST: what the formatter and sema see. Every node has a byte range in its file.
// Nodes live in an Ast arena and are referred to by plain pointers.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics/source.h"

namespace seg::ast {

// Expression node kinds, listed once.
#define SEG_EXPR_KINDS(X) \
  X(BoolLit)              \
  X(NumberLit)            \
  X(StringLit)            \
  X(DurationLit)          \
  X(TimeLit)              \
  X(ListLit)              \
  X(Now)                  \
  X(Name)                 \
  X(ProfileAttr)          \
  X(Member)               \
  X(Call)                 \
  X(Paren)                \
  X(Unary)                \
  X(Binary)               \
  X(Between)              \
  X(Query)                \
  X(Invalid) /* a piece already reported as an error */

enum class ExprKind {
#define X(k) k,
  SEG_EXPR_KINDS(X)
#undef X
};
const char* kind_name(ExprKind k);

enum class Op {
  None,
  Or, And, Not,
  Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, Matches,
  Coalesce,
  Add, Sub, Mul, Div, Mod,
  Neg,
};
const char* op_text(Op op);

struct Expr {
  ExprKind kind;
  Span span;
  Op op = Op::None;
  std::string text;  // Name/Call/Member/ProfileAttr: the name; StringLit: unescaped value;
                     // number/duration/time literals: the source spelling
  std::string raw;   // StringLit: the quoted source spelling, escapes kept
  double number = 0;     // NumberLit
  int64_t millis = 0;    // DurationLit, TimeLit
  bool flag = false;     // BoolLit value; NumberLit written with `$`
  Span name_span;        // Member/Call/ProfileAttr: where the name is
  std::vector<Expr*> args;  // operands, call arguments, list items
  // Query: args[0] is the base; the optional clauses:
  Expr* where = nullptr;
  Expr* within = nullptr;  // a DurationLit
  Expr* since = nullptr;
};

struct Ident {
  std::string name;
  Span span;
};

// A source line item that may carry comments, used by the formatter.
struct Item {
  Span span;
};

struct Field : Item {
  Ident name;
  std::string type;        // "string", "set<string>", …
  Span type_span;
  std::vector<Ident> annotations;  // without '@'
};

struct Holdout : Item {
  double percent = 0;
  std::string percent_text;  // "10%"
  std::optional<std::string> salt;
  std::string salt_raw;
};

struct ProfileDecl {
  std::vector<Field> fields;
};

struct EventDecl {
  Ident name;
  bool braces = false;
  std::vector<Field> props;
};

struct SegmentDecl {
  bool partial = false;  // an item failed to parse and was left out: nothing is "missing"
  Ident name;
  bool short_form = false;
  Expr* when = nullptr;
  Span when_span;  // the `when` line
  std::optional<std::string> description;
  std::string description_raw;
  Span description_span;
  std::vector<Ident> excludes;
  Span exclude_span;
  std::optional<Expr*> ttl;  // DurationLit
  Span ttl_span;
  std::optional<Holdout> holdout;
  // Every clause line in source order with its own payload: the formatter prints these,
  // so a clause given twice (an error) is still printed as written.
  struct Clause : Item {
    int kind = 0;  // 0 description, 1 when, 2 exclude, 3 ttl, 4 holdout
    Expr* expr = nullptr;  // when, ttl
    std::vector<Ident> idents;  // exclude
    std::string raw;  // description
    std::optional<Holdout> holdout;
  };
  std::vector<Clause> clauses;
};

struct TierArm : Item {
  Ident name;
  Expr* cond = nullptr;  // null for `else`
  Span else_span;
};

struct TiersDecl {
  bool partial = false;  // an item failed to parse and was left out: nothing is "missing"
  Ident name;
  std::optional<Ident> from;
  std::optional<Holdout> holdout;
  std::vector<Span> ttl_spans;  // `ttl` lines (an error, kept for the diagnostic)
  std::vector<Expr*> ttls;
  std::vector<TierArm> arms;
  struct Line : Item {
    int kind = 0;  // 0 arm (index into arms), 1 holdout, 2 ttl
    size_t arm = 0;
    std::optional<Holdout> holdout;
    Expr* ttl = nullptr;
  };
  std::vector<Line> items;  // every line in order, for the formatter
};

struct AudienceRef {
  Ident name;
  std::optional<Ident> arm;
  Span span;
  std::string text() const { return arm ? name.name + "." + arm->name : name.name; }
};

struct MatchKey {
  Ident key;
  std::optional<Ident> hash;
  Span span;
};

enum class DestItemKind { Type, Audience, Name, Match, Fields, OnExit, Include, Drift, Labels };

// `drift [warn P] [fail Q]` (LANGUAGE.md §12): thresholds in percent; texts as written
// (empty when the part was left out and the default applies).
struct Drift {
  double warn = 30, fail = 50;
  std::string warn_text, fail_text;
  Span warn_span, fail_span;
};

// A field named with `as`: any value (an attribute renamed, or an event value such as
// `last(added_to_cart).cart_value`).
struct FieldExpr {
  Expr* expr = nullptr;
  Ident alias;
  Span span;
};

struct Label {
  Ident key;
  std::string value, raw;  // raw: the string literal as written
  Span value_span;
};

// One line of a destination block with what it says (the formatter prints these).
struct DestItem : Item {
  DestItemKind kind;
  std::optional<Ident> type;
  std::vector<AudienceRef> audiences;
  std::string name_raw;
  std::vector<MatchKey> match;
  std::vector<Ident> fields;
  std::vector<FieldExpr> field_exprs;
  std::vector<std::string> field_texts;  // every field as written (normalised), in order
  bool keep = false;
  Drift drift;
  std::vector<Label> labels;
};

struct DestinationDecl {
  bool partial = false;  // an item failed to parse and was left out: nothing is "missing"
  Ident name;
  std::vector<DestItem> items;  // source order
  std::optional<Ident> type;
  std::vector<AudienceRef> audiences;
  std::optional<std::string> downstream_name;
  std::string downstream_name_raw;
  Span downstream_name_span;
  std::vector<MatchKey> match;
  Span match_span;
  std::vector<Ident> fields;          // plain attributes
  std::vector<FieldExpr> field_exprs;  // `… as name`
  Span fields_span;
  bool on_exit_keep = false;
  bool include_holdout = false;
  std::optional<Drift> drift;
  Span drift_span;
  std::vector<Label> labels;
  Span labels_span;
  int count[9] = {};  // items per DestItemKind, for duplicate checks
};

// `measure N { audience A  converts E [where C] within D  value E.prop }` (LANGUAGE.md §12).
struct MeasureDecl {
  bool partial = false;  // an item failed to parse and was left out: nothing is "missing"
  Ident name;
  std::optional<AudienceRef> audience;
  std::optional<Ident> event;  // converts
  Span converts_span;
  Expr* where = nullptr;
  Expr* within = nullptr;  // a DurationLit
  std::optional<Ident> value_event;  // `value purchased.order_value` (absent: `value order_value`)
  std::optional<Ident> value_prop;
  Span value_span;
  std::optional<std::string> description;
  std::string description_raw;
  // Every clause line in source order (the formatter prints these; duplicates are errors).
  struct Clause : Item {
    int kind = 0;  // 0 audience, 1 converts, 2 value, 3 description
    std::string text;  // audience, value and description as written (normalised spacing)
    std::optional<Ident> event;  // converts
    Expr* where = nullptr;
    Expr* within = nullptr;
  };
  std::vector<Clause> clauses;
  int count[4] = {};
};

enum class DTypeItemKind { Category, Key, Fields, Batch, Updates, Latency, Description };

struct DTypeKey : Item {
  Ident key;
  std::optional<Ident> normalize;
  std::optional<Ident> hash;
};

struct DTypeItem : Item {
  DTypeItemKind kind;
  size_t index = 0;  // into keys for Key items
  std::optional<Ident> category;
  std::string raw;    // fields/batch number, description string, as written
  bool flag = false;  // updates
  Expr* latency = nullptr;
};

struct DestTypeDecl {
  bool partial = false;  // an item failed to parse and was left out: nothing is "missing"
  Ident name;
  std::vector<DTypeItem> items;
  std::optional<Ident> category;
  std::vector<DTypeKey> keys;
  std::optional<int64_t> max_fields;
  std::string max_fields_text;
  std::optional<int64_t> batch;
  std::string batch_text;
  std::optional<bool> updates;
  std::optional<Expr*> latency;
  std::optional<std::string> description;
  std::string description_raw;
};

struct ObjEntry {
  Ident name;
  Expr* value = nullptr;
};

struct ProfileIdRef {
  std::string id;
  std::string raw;  // as written (a name or a quoted string)
  Span span;
};

enum class StepKind { Profile, At, Event, ExpectOps, ExpectIn };

struct ExpectedOp : Item {
  std::string op;  // add | remove | update
  ProfileIdRef profile;
  std::optional<Expr*> at;  // TimeLit
};

struct TestStep : Item {
  StepKind kind;
  ProfileIdRef profile;
  Expr* time = nullptr;  // At
  Ident name;            // Event: event name; ExpectOps: destination
  std::vector<ObjEntry> entries;
  bool has_obj = false;
  bool negated = false;  // expect … not in
  AudienceRef audience;  // ExpectIn
  std::vector<ExpectedOp> ops;
};

struct TestDecl {
  bool partial = false;  // an item failed to parse and was left out: nothing is "missing"
  std::string name;
  std::string name_raw;
  Span name_span;
  std::vector<TestStep> steps;
};

struct DefaultRegionDecl {
  std::string region;
  std::string raw;
  Span value_span;
};

enum class DeclKind { Profile, Event, Segment, Tiers, Destination, DestType, Measure, Test, DefaultRegion };

struct Decl {
  DeclKind kind;
  FileId file = 0;
  Span span;
  ProfileDecl* profile = nullptr;
  EventDecl* event = nullptr;
  SegmentDecl* segment = nullptr;
  TiersDecl* tiers = nullptr;
  DestinationDecl* destination = nullptr;
  DestTypeDecl* dtype = nullptr;
  MeasureDecl* measure = nullptr;
  TestDecl* test = nullptr;
  DefaultRegionDecl* region = nullptr;
};

struct Comment {
  Span span;
  std::string text;  // including the leading `#` or `//`
};

// One parsed file.
struct File {
  FileId id = 0;
  std::vector<Decl*> decls;
  std::vector<Comment> comments;
  bool has_errors = false;
};

// Owns every node of a compilation.
class Ast {
 public:
  template <typename T>
  T* make() {
    return &store<T>().emplace_back();
  }
  Expr* expr(ExprKind kind, Span span) {
    Expr* e = &exprs_.emplace_back();
    e->kind = kind;
    e->span = span;
    return e;
  }

 private:
  template <typename T>
  std::deque<T>& store();
  std::deque<Expr> exprs_;
  std::deque<Decl> decls_;
  std::deque<ProfileDecl> profiles_;
  std::deque<EventDecl> events_;
  std::deque<SegmentDecl> segments_;
  std::deque<TiersDecl> tiers_;
  std::deque<DestinationDecl> dests_;
  std::deque<DestTypeDecl> dtypes_;
  std::deque<MeasureDecl> measures_;
  std::deque<TestDecl> tests_;
  std::deque<DefaultRegionDecl> regions_;
  std::deque<File> files_;
};

template <> inline std::deque<Decl>& Ast::store() { return decls_; }
template <> inline std::deque<ProfileDecl>& Ast::store() { return profiles_; }
template <> inline std::deque<EventDecl>& Ast::store() { return events_; }
template <> inline std::deque<SegmentDecl>& Ast::store() { return segments_; }
template <> inline std::deque<TiersDecl>& Ast::store() { return tiers_; }
template <> inline std::deque<DestinationDecl>& Ast::store() { return dests_; }
template <> inline std::deque<DestTypeDecl>& Ast::store() { return dtypes_; }
template <> inline std::deque<MeasureDecl>& Ast::store() { return measures_; }
template <> inline std::deque<TestDecl>& Ast::store() { return tests_; }
template <> inline std::deque<DefaultRegionDecl>& Ast::store() { return regions_; }
template <> inline std::deque<File>& Ast::store() { return files_; }

}  // namespace seg::ast
