#pragma once
// The typed IR (issue 3): what the compiler hands the runtime. Expression nodes are
// immutable and built only by the checked factories in builder.h; a Bundle is the
// whole compiled rule set: schema, state layout and the four kernel families
//   fold      — per event type, which aggregate slots an event updates (and their filters)
//   evaluate  — the audiences in dependency order (segments, tiers) with exclusions, TTL,
//               holdout
//   deadline  — the time atoms: every comparison whose value moves with `now`, plus the
//               window slots and TTLs, from which the next instant a profile may change
//               is computed
//   diff      — per destination, the audiences it syncs, the keys and fields it sends.
// The runtime depends on this header only, never on the AST or sema.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stdlib/builtins/functions.h"

namespace seg::ir {

enum class Type : uint8_t { Bool, Int, Number, String, Time, Duration, StringSet, Event };
const char* type_name(Type t);

// Expression node kinds, listed once.
#define SEG_IR_KINDS(X)                                                                    \
  X(Const)      /* a literal value */                                                      \
  X(Now)        /* the evaluation instant */                                               \
  X(Attr)       /* index: profile attribute slot */                                        \
  X(ProfileId)  /* the profile key */                                                      \
  X(Prop)       /* index: property of the event being folded (filters only) */             \
  X(Not)        /* bool: missing counts as false */                                        \
  X(And)                                                                                   \
  X(Or)                                                                                    \
  X(Neg)                                                                                   \
  X(Arith)      /* op: Add Sub Mul Div Mod */                                              \
  X(Cmp)        /* op: Eq Ne Lt Le Gt Ge; false when an operand is missing */              \
  X(Coalesce)   /* a ?? b */                                                               \
  X(InList)     /* args[0] in args[1..] */                                                 \
  X(InSet)      /* args[0] in args[1] (a set<string>) */                                   \
  X(Has)                                                                                   \
  X(Call)       /* fn: a string built-in */                                                \
  X(Matches)    /* index: regex table entry */                                             \
  X(Agg)        /* index: slot; agg; prop; args[0] optional `since` bound */               \
  X(EventField) /* args[0] an event value; prop index, or -1 for .time */                  \
  X(Member)     /* index: audience; the profile is a member now */

enum class Kind : uint8_t {
#define X(k) k,
  SEG_IR_KINDS(X)
#undef X
};
const char* kind_name(Kind k);

enum class Op : uint8_t { None, Add, Sub, Mul, Div, Mod, Eq, Ne, Lt, Le, Gt, Ge };
const char* op_name(Op op);

// The string built-ins (a Call node's fn) and the aggregates, from the table of built-in
// functions (stdlib/builtins/functions.def): same names, same order. Bundles store the
// values, so rows are only ever added at the end of their family.
enum class Fn : uint8_t {
#define SEG_BUILTIN_STRING(e, name, arity, param, result, desc) e,
#include "stdlib/builtins/functions.def"
};
const char* fn_name(Fn f);  // the spelling in rules: "starts_with"

// Exists: at least one (`E` as a condition, not a function); First/Last: an event value;
// the rest aggregate a property.
enum class AggFn : uint8_t {
  Exists,
#define SEG_BUILTIN_AGGREGATE(e, name, arity, param, result, desc) e,
#include "stdlib/builtins/functions.def"
};
const char* agg_name(AggFn a);  // "exists", or the spelling in rules: "count"

// Between the table's rows and the IR enums.
constexpr builtins::Function builtin(Fn f) {
  switch (f) {
#define SEG_BUILTIN_STRING(e, name, arity, param, result, desc) \
  case Fn::e: return builtins::Function::e;
#include "stdlib/builtins/functions.def"
  }
  return builtins::Function::Lower;  // unreachable: every Fn is a row
}
constexpr std::optional<builtins::Function> builtin(AggFn a) {
  switch (a) {
    case AggFn::Exists: return std::nullopt;
#define SEG_BUILTIN_AGGREGATE(e, name, arity, param, result, desc) \
  case AggFn::e: return builtins::Function::e;
#include "stdlib/builtins/functions.def"
  }
  return std::nullopt;
}
constexpr std::optional<Fn> to_fn(builtins::Function f) {
  switch (f) {
#define SEG_BUILTIN_STRING(e, name, arity, param, result, desc) \
  case builtins::Function::e: return Fn::e;
#include "stdlib/builtins/functions.def"
    default: return std::nullopt;
  }
}
constexpr std::optional<AggFn> to_agg(builtins::Function f) {
  switch (f) {
#define SEG_BUILTIN_AGGREGATE(e, name, arity, param, result, desc) \
  case builtins::Function::e: return AggFn::e;
#include "stdlib/builtins/functions.def"
    default: return std::nullopt;
  }
}

struct Value {  // a constant in the IR
  Type type = Type::Bool;
  bool b = false;
  int64_t i = 0;  // Int, Time (ms), Duration (ms)
  double d = 0;
  std::string s;
  std::vector<std::string> set;  // StringSet, sorted and unique
};

struct Node {
  Kind kind;
  Type type;
  int32_t id = 0;  // position in the bundle's arena: a dense key for per-node tables
  Op op = Op::None;
  Fn fn = Fn::Lower;
  AggFn agg = AggFn::Exists;
  int32_t index = -1;  // Attr/Prop/Matches/Agg/Member
  int32_t prop = -1;   // Agg: property of the slot's event; EventField: property or -1;
                       // Prop: the event whose property `index` is
  bool time_dependent = false;  // a descendant is `now` (set by the factories)
  Value value;                  // Const
  std::vector<const Node*> args;
};
using Expr = const Node*;

// ---- schema and layout ----
struct Attribute {
  std::string name;
  Type type;
  bool used = false;  // read by a rule, a key or a field: kept in the profile state
};

struct Property {
  std::string name;
  Type type;
};

struct Event {
  std::string name;
  std::vector<Property> props;
};

// Aggregate state for one (event, filter, window) combination, shared by every query
// that needs it. All-time slots keep running totals; window slots keep their entries
// (timestamp and the properties queries read) while they are inside the window;
// history slots keep every entry (a `since` bound on an aggregate other than "exists").
enum class SlotKind : uint8_t { AllTime, Window, History };

struct Slot {
  int32_t event = 0;
  Expr filter = nullptr;  // over Prop and Attr; null: every event
  SlotKind kind = SlotKind::AllTime;
  int64_t window_ms = 0;        // Window
  std::vector<int32_t> props;   // event properties kept per entry / per running total
  // A window slot read only as "any in the window" or "the latest in the window" keeps
  // just its latest entry (set by derive_layout): that is all such queries need.
  bool latest_only = false;
  // A window slot read only through `count(…) op N` (and "any"/"latest") keeps at most
  // its `cap` latest entries: count(E within D) >= 3 needs the last 3 timestamps, not
  // every event of the window. 0: no cap.
  int32_t cap = 0;
};

// ---- evaluate ----
struct Holdout {
  double percent = 0;
  std::string salt;
};

enum class AudienceKind : uint8_t { Segment, Arm };

struct Audience {
  std::string name;  // segment name or `tiers.arm`
  AudienceKind kind = AudienceKind::Segment;
  // Segment:
  Expr when = nullptr;
  std::vector<int32_t> excludes;
  std::optional<int64_t> ttl_ms;
  int32_t ttl_slot = -1;  // index into the profile's TTL states
  std::optional<Holdout> holdout;
  // Arm:
  int32_t tiers = -1;
  Expr cond = nullptr;  // null for `else`
};

struct Tiers {
  std::string name;
  int32_t from = -1;  // audience index of the universe segment, or -1: every profile
  std::optional<Holdout> holdout;
  std::vector<int32_t> arms;  // audience indices, in priority order
};

// One step of the evaluate kernel: a segment or a whole tiers block.
struct EvalStep {
  bool tiers = false;
  int32_t index = 0;  // audience (segment) or tiers index
};

// ---- diff ----
enum class Normalize : uint8_t { None, Email, EmailGoogle, PhoneDigits, E164 };
const char* normalize_name(Normalize n);

struct Key {
  int32_t attr = -1;  // -1: the profile id
  std::string name;   // output name: `email` or `email_sha256`
  Normalize normalize = Normalize::None;
  bool hash = false;
};

struct Field {
  int32_t attr = 0;     // the attribute sent, or -1 with `expr`
  std::string name;
  Expr expr = nullptr;  // `… as name`: a value evaluated at the diff (LANGUAGE.md §12)
};

struct DestAudience {
  int32_t audience = 0;
};

// `drift warn P fail Q` (LANGUAGE.md §12): relative mismatch thresholds, in percent.
struct Drift {
  double warn = 30, fail = 50;
};

struct Destination {
  std::string name;
  std::string downstream;  // the op's `audience`
  std::string type;
  bool ads = false;
  bool updates = true;
  bool on_exit_keep = false;
  bool include_holdout = false;
  std::vector<int32_t> audiences;
  std::vector<Key> keys;
  std::vector<Field> fields;
  int32_t sent_base = 0;  // first index of this destination's (audience) sent states
  std::optional<Drift> drift;
  std::vector<std::pair<std::string, std::string>> labels;  // in source order; non-ads only
};

// ---- measure (LANGUAGE.md §12, RUNTIME.md §9) ----
// A profile is exposed at its first entry into `audience` (its arm: its holdout flag for
// that audience) and converts once when `event` passes `filter` within (entry, entry +
// window]; `value_prop` (or -1) of every such event is summed.
struct Measure {
  std::string name;
  int32_t audience = -1;
  int32_t event = -1;
  Expr filter = nullptr;  // over Prop, like a slot filter; null: every event
  int64_t window_ms = 0;
  int32_t value_prop = -1;
  double holdout_share = 0;  // the share of the audience drawn into its holdout, 0..1
};

// ---- tests (seg test) ----
struct TestValue {
  std::string name;
  Value value;
  bool null = false;
};

struct ExpectedOp {
  std::string op;
  std::string profile;
  std::optional<int64_t> at;
};

enum class StepKind : uint8_t { At, Profile, Event, ExpectIn, ExpectOps };

struct Location {
  std::string file;
  int line = 0, column = 0, end_line = 0, end_column = 0;
};

struct TestStep {
  StepKind kind;
  Location loc;
  int64_t time = 0;       // At
  std::string profile;    // Profile, Event, ExpectIn
  int32_t index = -1;     // Event: event; ExpectIn: audience; ExpectOps: destination
  bool negated = false;   // ExpectIn
  std::vector<TestValue> values;  // Profile: attributes; Event: properties
  std::vector<ExpectedOp> ops;    // ExpectOps
  std::string text;               // the expectation as written, for reports
};

struct TestCase {
  std::string name;
  Location loc;
  std::vector<TestStep> steps;
};

struct Bundle {
  std::string revision;  // content hash of the sources and the compiler version
  std::string default_region;
  std::vector<Attribute> attributes;
  std::vector<Event> events;
  std::vector<Slot> slots;
  std::vector<std::vector<int32_t>> fold;  // per event: slots it updates
  std::vector<Audience> audiences;
  std::vector<Tiers> tiers;
  std::vector<EvalStep> evaluate;   // dependency order
  std::vector<Expr> time_atoms;     // deadline: Cmp nodes that move with `now`
  std::vector<std::string> regexes; // Matches patterns (RE2)
  std::vector<Destination> destinations;
  std::vector<Measure> measures;
  int32_t ttl_count = 0;
  int32_t sent_count = 0;
  std::vector<TestCase> tests;
  std::vector<std::unique_ptr<Node>> arena;  // owns every node

  int32_t attribute(const std::string& name) const;
  int32_t event(const std::string& name) const;
  int32_t audience(const std::string& name) const;
  int32_t destination(const std::string& name) const;
};

// The textual dump used by `seg ir` and the IR goldens.
std::string print(const Bundle& b);
std::string print(const Bundle& b, Expr e);
// One aggregate slot as a rule would name it: `added_to_cart where (.value >= 75) within 1d`.
std::string print_slot(const Bundle& b, int32_t slot, bool with_window = true);
// A measure block on one line: its name and everything that defines it.
std::string print_measure(const Bundle& b, int32_t measure);

}  // namespace seg::ir
