#include "compiler/ir/serialize.h"

#include <exception>

#include "compiler/binary/codec.h"
#include "compiler/ir/builder.h"

namespace seg::ir {
namespace {

constexpr char kMagic[8] = {'S', 'E', 'G', 'I', 'R', '\0', '\0', '\0'};

// The IR's conventions over the shared codec (compiler/binary/codec.h): u32 lengths and
// counts, i32 indices (-1: none), enumerations and flags in one byte.
struct Out : binary::Writer {
  void ints(const std::vector<int32_t>& v) {
    count32(v.size());
    for (int32_t x : v) i32(x);
  }
  void node(Expr e) { i32(e ? e->id : -1); }
  void value(const Value& v) {
    u8(static_cast<uint8_t>(v.type));
    u8(static_cast<uint8_t>(v.b));
    i64(v.i);
    f64(v.d);
    str32(v.s);
    count32(v.set.size());
    for (const auto& s : v.set) str32(s);
  }
  void holdout(const std::optional<Holdout>& h) {
    u8(static_cast<uint8_t>(h.has_value()));
    if (!h) return;
    f64(h->percent);
    str32(h->salt);
  }
  void loc(const Location& l) {
    str32(l.file);
    i32(l.line), i32(l.column), i32(l.end_line), i32(l.end_column);
  }
};

bool in_range(int32_t i, size_t n) { return i >= 0 && static_cast<size_t>(i) < n; }

struct In : binary::Reader {
  using Reader::Reader;
  std::string str() { return std::string(str32()); }
  // A count of items of at least `min_bytes` each: bounded by what is left.
  size_t count(size_t min_bytes) { return count32(min_bytes); }
  bool flag() { return u8() != 0; }
  // False, with `what` kept as the error (unless an earlier one is), when !cond.
  bool check(bool cond, std::string_view what) { return cond || fail(what); }
  template <typename E>
  E enumeration(E last, const char* what) {
    uint8_t v = u8();
    if (v <= static_cast<uint8_t>(last)) return static_cast<E>(v);
    fail(std::string(what) + " " + std::to_string(v) + " out of range");
    return E{};
  }
  std::vector<int32_t> ints() {
    std::vector<int32_t> v(count(4));
    for (int32_t& x : v) x = i32();
    return v;
  }
  Value value() {
    Value v;
    v.type = enumeration(Type::Event, "value type");
    v.b = flag();
    v.i = i64();
    v.d = f64();
    v.s = str();
    v.set.resize(count(4));
    for (auto& s : v.set) s = str();
    return v;
  }
  std::optional<Holdout> holdout() {
    if (!flag()) return std::nullopt;
    Holdout h;
    h.percent = f64();
    h.salt = str();
    return h;
  }
  Location loc() {
    Location l;
    l.file = str();
    l.line = i32(), l.column = i32(), l.end_line = i32(), l.end_column = i32();
    return l;
  }
};

}  // namespace

std::string serialize(const Bundle& b) {
  Out w;
  w.bytes({kMagic, sizeof kMagic});
  w.u32(kIrFormatVersion);
  w.str32(b.revision);
  w.str32(b.default_region);
  w.count32(b.attributes.size());
  for (const Attribute& a : b.attributes) {
    w.str32(a.name);
    w.u8(static_cast<uint8_t>(a.type));
    w.u8(static_cast<uint8_t>(a.used));
  }
  w.count32(b.events.size());
  for (const Event& e : b.events) {
    w.str32(e.name);
    w.count32(e.props.size());
    for (const Property& p : e.props) {
      w.str32(p.name);
      w.u8(static_cast<uint8_t>(p.type));
    }
  }
  w.count32(b.slots.size());
  for (const Slot& s : b.slots) {
    w.i32(s.event);
    w.u8(static_cast<uint8_t>(s.kind));
    w.i64(s.window_ms);
    w.ints(s.props);
    w.u8(static_cast<uint8_t>(s.latest_only));
    w.i32(s.cap);
  }
  w.count32(b.regexes.size());
  for (const std::string& r : b.regexes) w.str32(r);
  w.count32(b.audiences.size());  // nodes may name audiences (Member): counted before them
  w.count32(b.arena.size());
  for (const auto& n : b.arena) {
    w.u8(static_cast<uint8_t>(n->kind));
    w.u8(static_cast<uint8_t>(n->op));
    w.u8(static_cast<uint8_t>(n->fn));
    w.u8(static_cast<uint8_t>(n->agg));
    w.i32(n->index);
    w.i32(n->prop);
    if (n->kind == Kind::Const) w.value(n->value);
    w.count32(n->args.size());
    for (Expr a : n->args) w.node(a);
  }
  for (const Slot& s : b.slots) w.node(s.filter);
  w.count32(b.fold.size());
  for (const auto& f : b.fold) w.ints(f);
  for (const Audience& a : b.audiences) {
    w.str32(a.name);
    w.u8(static_cast<uint8_t>(a.kind));
    w.node(a.when);
    w.ints(a.excludes);
    w.u8(static_cast<uint8_t>(a.ttl_ms.has_value()));
    w.i64(a.ttl_ms.value_or(0));
    w.i32(a.ttl_slot);
    w.holdout(a.holdout);
    w.i32(a.tiers);
    w.node(a.cond);
  }
  w.count32(b.tiers.size());
  for (const Tiers& t : b.tiers) {
    w.str32(t.name);
    w.i32(t.from);
    w.holdout(t.holdout);
    w.ints(t.arms);
  }
  w.count32(b.evaluate.size());
  for (const EvalStep& s : b.evaluate) {
    w.u8(static_cast<uint8_t>(s.tiers));
    w.i32(s.index);
  }
  w.count32(b.time_atoms.size());
  for (Expr e : b.time_atoms) w.node(e);
  w.count32(b.destinations.size());
  for (const Destination& d : b.destinations) {
    w.str32(d.name);
    w.str32(d.downstream);
    w.str32(d.type);
    w.u8(static_cast<uint8_t>(d.ads | d.updates << 1 | d.on_exit_keep << 2 | d.include_holdout << 3));
    w.ints(d.audiences);
    w.count32(d.keys.size());
    for (const Key& k : d.keys) {
      w.i32(k.attr);
      w.str32(k.name);
      w.u8(static_cast<uint8_t>(k.normalize));
      w.u8(static_cast<uint8_t>(k.hash));
    }
    w.count32(d.fields.size());
    for (const Field& f : d.fields) {
      w.i32(f.attr);
      w.str32(f.name);
      w.node(f.expr);
    }
    w.i32(d.sent_base);
    w.u8(static_cast<uint8_t>(d.drift.has_value()));
    w.f64(d.drift ? d.drift->warn : 0);
    w.f64(d.drift ? d.drift->fail : 0);
    w.count32(d.labels.size());
    for (const auto& [k, v] : d.labels) {
      w.str32(k);
      w.str32(v);
    }
  }
  w.i32(b.ttl_count);
  w.i32(b.sent_count);
  w.count32(b.measures.size());
  for (const Measure& m : b.measures) {
    w.str32(m.name);
    w.i32(m.audience);
    w.i32(m.event);
    w.node(m.filter);
    w.i64(m.window_ms);
    w.i32(m.value_prop);
    w.f64(m.holdout_share);
  }
  w.count32(b.tests.size());
  for (const TestCase& t : b.tests) {
    w.str32(t.name);
    w.loc(t.loc);
    w.count32(t.steps.size());
    for (const TestStep& s : t.steps) {
      w.u8(static_cast<uint8_t>(s.kind));
      w.loc(s.loc);
      w.i64(s.time);
      w.str32(s.profile);
      w.i32(s.index);
      w.u8(static_cast<uint8_t>(s.negated));
      w.count32(s.values.size());
      for (const TestValue& v : s.values) {
        w.str32(v.name);
        w.value(v.value);
        w.u8(static_cast<uint8_t>(v.null));
      }
      w.count32(s.ops.size());
      for (const ExpectedOp& o : s.ops) {
        w.str32(o.op);
        w.str32(o.profile);
        w.u8(static_cast<uint8_t>(o.at.has_value()));
        w.i64(o.at.value_or(0));
      }
      w.str32(s.text);
    }
  }
  if (!w.ok()) return {};  // a string or list of 4 GiB: no IR (deserialize refuses it)
  return w.take();
}

namespace {

// Reads a bundle part by part; each part returns false (with the error kept in `r`) at
// its first failure. A value out of range stops the part before it is used as an index.
// Reads after a truncation return zeros, which the same checks stop or the end refuses.
struct Decoder {
  In r;
  Bundle& b;
  Builder build{b};
  size_t audiences = 0;  // counted before the nodes, which may name them
  uint32_t version = 0;

  bool header() {
    if (r.bytes(sizeof kMagic) != std::string_view(kMagic, sizeof kMagic))
      return r.ok() ? r.fail("not serialised seg IR") : false;
    version = r.u32();
    if (r.ok() && (version < 1 || version > kIrFormatVersion))
      return r.fail("IR format version " + std::to_string(version) + " (this seg reads " +
                    std::to_string(kIrFormatVersion) + ")");
    b.revision = r.str();
    b.default_region = r.str();
    return r.ok();
  }

  bool schema() {
    b.attributes.resize(r.count(6));
    for (Attribute& a : b.attributes) {
      a.name = r.str();
      a.type = r.enumeration(Type::StringSet, "attribute type");
      a.used = r.flag();
    }
    b.events.resize(r.count(8));
    for (Event& e : b.events) {
      e.name = r.str();
      e.props.resize(r.count(5));
      for (Property& p : e.props) {
        p.name = r.str();
        p.type = r.enumeration(Type::StringSet, "property type");
      }
    }
    b.slots.resize(r.count(18));
    for (Slot& s : b.slots) {
      s.event = r.i32();
      if (!r.check(in_range(s.event, b.events.size()), "slot event")) return false;
      s.kind = r.enumeration(SlotKind::History, "slot kind");
      s.window_ms = r.i64();
      if (!r.check(s.window_ms >= 0, "window length")) return false;
      s.props = r.ints();
      for (int32_t p : s.props)
        if (!r.check(in_range(p, b.events[s.event].props.size()), "slot property")) return false;
      s.latest_only = r.flag();
      s.cap = r.i32();
    }
    b.regexes.resize(r.count(4));
    for (std::string& re : b.regexes) re = r.str();
    audiences = r.count(1);
    return r.ok();
  }

  bool nodes() {
    size_t n = r.count(20);
    std::vector<Expr> args;
    for (size_t i = 0; i < n; ++i) {
      Kind kind = r.enumeration(Kind::Member, "node kind");
      Op op = r.enumeration(Op::Ge, "operator");
      Fn fn = r.enumeration(Fn::Contains, "built-in");
      AggFn agg = r.enumeration(AggFn::Last, "aggregate");
      int32_t index = r.i32(), prop = r.i32();
      Value value;
      if (kind == Kind::Const) value = r.value();
      args.assign(r.count(4), nullptr);
      for (Expr& a : args) {
        int32_t id = r.i32();
        if (!r.check(in_range(id, b.arena.size()), "operand is not an earlier node")) return false;
        a = b.arena[static_cast<size_t>(id)].get();
      }
      if (!r.ok()) return false;
      Expr e = rebuild(kind, op, fn, agg, index, prop, value, args);
      if (!e || !r.check(e->id == static_cast<int32_t>(i), "node numbering")) return false;
    }
    return r.ok();
  }

  // Rebuilds one node through the factory of its kind, checking what the factories
  // leave to the compiler (audience, regex and property indices). Null on an error.
  Expr rebuild(Kind kind, Op op, Fn fn, AggFn agg, int32_t index, int32_t prop, const Value& value,
               const std::vector<Expr>& args) {
    auto arity = [&](size_t n) { return r.check(args.size() == n, "wrong operand count"); };
    switch (kind) {
      case Kind::Const: return arity(0) ? build.constant(value) : nullptr;
      case Kind::Now: return arity(0) ? build.now() : nullptr;
      case Kind::Attr: return arity(0) ? build.attr(index) : nullptr;
      case Kind::ProfileId: return arity(0) ? build.profile_id() : nullptr;
      case Kind::Prop: return arity(0) ? build.prop(prop, index) : nullptr;
      case Kind::Not: return arity(1) ? build.not_(args[0]) : nullptr;
      case Kind::And: return arity(2) ? build.and_(args[0], args[1]) : nullptr;
      case Kind::Or: return arity(2) ? build.or_(args[0], args[1]) : nullptr;
      case Kind::Neg: return arity(1) ? build.neg(args[0]) : nullptr;
      case Kind::Arith:
        if (!arity(2) || !r.check(op >= Op::Add && op <= Op::Mod, "arithmetic operator")) return nullptr;
        return build.arith(op, args[0], args[1]);
      case Kind::Cmp: return arity(2) ? build.cmp(op, args[0], args[1]) : nullptr;
      case Kind::Coalesce: return arity(2) ? build.coalesce(args[0], args[1]) : nullptr;
      case Kind::InList:
        if (!r.check(!args.empty(), "`in` without an operand")) return nullptr;
        return build.in_list(args[0], std::vector<Expr>(args.begin() + 1, args.end()), op == Op::Ne);
      case Kind::InSet: return arity(2) ? build.in_set(args[0], args[1], op == Op::Ne) : nullptr;
      case Kind::Has: return arity(1) ? build.has(args[0]) : nullptr;
      case Kind::Call:
        for (Expr a : args)
          if (!r.check(a->type == Type::String || (fn == Fn::Len && a->type == Type::StringSet), "built-in operand"))
            return nullptr;
        return build.call(fn, args);
      case Kind::Matches:
        if (!arity(1) || !r.check(in_range(index, b.regexes.size()), "regex index")) return nullptr;
        return build.matches(args[0], index);
      case Kind::Agg:
        if (!r.check(args.size() <= 1, "aggregate operands") || !r.check(in_range(index, b.slots.size()), "slot index"))
          return nullptr;
        if (prop >= 0 && !r.check(in_range(prop, b.events[b.slots[index].event].props.size()), "property index"))
          return nullptr;
        if (agg >= AggFn::Sum && agg <= AggFn::Max && !r.check(prop >= 0, "aggregate without a property"))
          return nullptr;
        if (!args.empty() && !r.check(args[0]->type == Type::Time, "`since` bound")) return nullptr;
        return build.agg(agg, index, prop, args.empty() ? nullptr : args[0]);
      case Kind::EventField:
        if (!arity(1) || !r.check(in_range(index, b.events.size()), "event index")) return nullptr;
        if (prop >= 0 && !r.check(in_range(prop, b.events[index].props.size()), "property index")) return nullptr;
        return build.event_field(args[0], index, prop);
      case Kind::Member:
        if (!arity(0) || !r.check(in_range(index, audiences), "audience index")) return nullptr;
        return build.member(index);
    }
    r.fail("node kind");
    return nullptr;
  }

  // A node reference: null for -1 when `optional`, else false with the error kept.
  bool node(Expr& out, bool optional) {
    int32_t id = r.i32();
    out = nullptr;
    if (id < 0 && optional) return r.ok();
    if (!r.check(in_range(id, b.arena.size()), "node reference")) return false;
    out = b.arena[static_cast<size_t>(id)].get();
    return true;
  }

  bool audiences_and_tiers() {
    for (Slot& s : b.slots) {
      if (!node(s.filter, true)) return false;
      if (s.filter && !r.check(s.filter->type == Type::Bool, "slot filter type")) return false;
    }
    b.fold.resize(r.count(4));
    if (!r.check(b.fold.size() == b.events.size(), "fold table size")) return false;
    for (auto& f : b.fold) {
      f = r.ints();
      for (int32_t s : f)
        if (!r.check(in_range(s, b.slots.size()), "fold slot")) return false;
    }
    b.audiences.resize(audiences);
    for (Audience& a : b.audiences) {
      a.name = r.str();
      a.kind = r.enumeration(AudienceKind::Arm, "audience kind");
      if (!node(a.when, true)) return false;
      a.excludes = r.ints();
      for (int32_t x : a.excludes)
        if (!r.check(in_range(x, audiences), "exclusion")) return false;
      bool has_ttl = r.flag();
      int64_t ttl = r.i64();
      if (has_ttl) a.ttl_ms = ttl;
      a.ttl_slot = r.i32();
      a.holdout = r.holdout();
      a.tiers = r.i32();
      if (!node(a.cond, true)) return false;
      if (a.kind == AudienceKind::Segment && !r.check(a.when && a.when->type == Type::Bool, "segment condition"))
        return false;
      if (a.cond && !r.check(a.cond->type == Type::Bool, "arm condition")) return false;
    }
    b.tiers.resize(r.count(13));
    for (Tiers& t : b.tiers) {
      t.name = r.str();
      t.from = r.i32();
      if (!r.check(t.from == -1 || in_range(t.from, audiences), "tiers universe")) return false;
      t.holdout = r.holdout();
      t.arms = r.ints();
      for (int32_t a : t.arms)
        if (!r.check(in_range(a, audiences), "tiers arm")) return false;
    }
    b.evaluate.resize(r.count(5));
    for (EvalStep& s : b.evaluate) {
      s.tiers = r.flag();
      s.index = r.i32();
      if (!r.check(in_range(s.index, s.tiers ? b.tiers.size() : audiences), "evaluate step")) return false;
    }
    b.time_atoms.resize(r.count(4));
    for (Expr& e : b.time_atoms)
      if (!node(e, false) || !r.check(e->kind == Kind::Cmp, "time atom")) return false;
    return r.ok();
  }

  bool destinations() {
    b.destinations.resize(r.count(30));
    for (Destination& d : b.destinations) {
      d.name = r.str();
      d.downstream = r.str();
      d.type = r.str();
      uint8_t flags = r.u8();
      d.ads = flags & 1, d.updates = flags & 2, d.on_exit_keep = flags & 4, d.include_holdout = flags & 8;
      d.audiences = r.ints();
      for (int32_t a : d.audiences)
        if (!r.check(in_range(a, audiences), "destination audience")) return false;
      d.keys.resize(r.count(10));
      for (Key& k : d.keys) {
        k.attr = r.i32();
        if (!r.check(k.attr == -1 || in_range(k.attr, b.attributes.size()), "key attribute")) return false;
        k.name = r.str();
        k.normalize = r.enumeration(Normalize::E164, "key normalisation");
        k.hash = r.flag();
      }
      d.fields.resize(r.count(8));
      for (Field& f : d.fields) {
        f.attr = r.i32();
        f.name = r.str();
        if (version >= 2 && !node(f.expr, true)) return false;
        if (!r.check(f.expr ? f.attr == -1 : in_range(f.attr, b.attributes.size()), "field attribute")) return false;
      }
      d.sent_base = r.i32();
      if (version < 2) continue;
      bool drift = r.flag();
      double warn = r.f64(), fail = r.f64();
      if (drift) d.drift = Drift{warn, fail};
      d.labels.resize(r.count(8));
      for (auto& [k, v] : d.labels) {
        k = r.str();
        v = r.str();
      }
    }
    b.ttl_count = r.i32();
    b.sent_count = r.i32();
    if (!r.check(b.ttl_count >= 0 && b.sent_count >= 0, "state counts")) return false;
    for (const Audience& a : b.audiences) {
      if (a.ttl_ms && !r.check(in_range(a.ttl_slot, static_cast<size_t>(b.ttl_count)), "TTL state")) return false;
      if (a.kind == AudienceKind::Arm && !r.check(in_range(a.tiers, b.tiers.size()), "arm's tiers")) return false;
    }
    for (const Destination& d : b.destinations)
      if (!r.check(d.sent_base >= 0 && d.sent_base + d.audiences.size() <= static_cast<size_t>(b.sent_count),
                   "sent states"))
        return false;
    if (version >= 2) {
      b.measures.resize(r.count(36));
      for (Measure& m : b.measures) {
        m.name = r.str();
        m.audience = r.i32();
        m.event = r.i32();
        if (!r.check(in_range(m.audience, audiences) && in_range(m.event, b.events.size()), "measure") ||
            !node(m.filter, true))
          return false;
        m.window_ms = r.i64();
        m.value_prop = r.i32();
        m.holdout_share = r.f64();
        if (!r.check(m.value_prop == -1 || in_range(m.value_prop, b.events[m.event].props.size()),
                     "measure value"))
          return false;
      }
    }
    return r.ok();
  }

  bool tests() {
    b.tests.resize(r.count(24));
    for (TestCase& t : b.tests) {
      t.name = r.str();
      t.loc = r.loc();
      t.steps.resize(r.count(40));
      for (TestStep& s : t.steps) {
        s.kind = r.enumeration(StepKind::ExpectOps, "test step kind");
        s.loc = r.loc();
        s.time = r.i64();
        s.profile = r.str();
        s.index = r.i32();
        s.negated = r.flag();
        s.values.resize(r.count(10));
        for (TestValue& v : s.values) {
          v.name = r.str();
          v.value = r.value();
          v.null = r.flag();
        }
        s.ops.resize(r.count(18));
        for (ExpectedOp& o : s.ops) {
          o.op = r.str();
          o.profile = r.str();
          bool has_at = r.flag();
          int64_t at = r.i64();
          if (has_at) o.at = at;
        }
        s.text = r.str();
        size_t limit = s.kind == StepKind::Event      ? b.events.size()
                       : s.kind == StepKind::ExpectIn  ? audiences
                       : s.kind == StepKind::ExpectOps ? b.destinations.size()
                                                       : 0;
        if (limit && !r.check(in_range(s.index, limit), "test step index")) return false;
      }
    }
    return r.ok();
  }
};

}  // namespace

std::unique_ptr<Bundle> deserialize(std::string_view bytes, std::string& error) {
  auto out = std::make_unique<Bundle>();
  Decoder d{In(bytes), *out};
  try {
    if (d.header() && d.schema() && d.nodes() && d.audiences_and_tiers() && d.destinations() && d.tests() &&
        d.r.expect_end())
      return out;
  } catch (const std::exception& e) {  // a factory's check (std::logic_error, builder.h)
    d.r.fail(e.what());
  }
  error = "invalid bundle IR: " + (d.r.ok() ? std::string("invalid data") : d.r.error());
  return nullptr;
}

}  // namespace seg::ir
