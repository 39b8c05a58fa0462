#include "compiler/ir/serialize.h"

#include <cstring>
#include <stdexcept>

#include "compiler/ir/builder.h"

namespace seg::ir {
namespace {

constexpr char kMagic[8] = {'S', 'E', 'G', 'I', 'R', '\0', '\0', '\0'};

class Writer {
 public:
  std::string out;
  template <typename T>
  void pod(T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
  }
  void u32(size_t v) { pod(static_cast<uint32_t>(v)); }
  void i32(int32_t v) { pod(v); }
  void str(std::string_view s) {
    u32(s.size());
    out.append(s);
  }
  void ints(const std::vector<int32_t>& v) {
    u32(v.size());
    for (int32_t x : v) i32(x);
  }
  void node(Expr e) { i32(e ? e->id : -1); }
  void value(const Value& v) {
    pod(static_cast<uint8_t>(v.type));
    pod(static_cast<uint8_t>(v.b));
    pod(v.i);
    pod(v.d);
    str(v.s);
    u32(v.set.size());
    for (const auto& s : v.set) str(s);
  }
  void holdout(const std::optional<Holdout>& h) {
    pod(static_cast<uint8_t>(h.has_value()));
    if (!h) return;
    pod(h->percent);
    str(h->salt);
  }
  void loc(const Location& l) {
    str(l.file);
    i32(l.line), i32(l.column), i32(l.end_line), i32(l.end_column);
  }
};

// Thrown inside the reader; deserialize() turns it into an error message.
struct Corrupt : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename T>
  T pod() {
    if (in_.size() - pos_ < sizeof(T)) throw Corrupt("truncated");
    T v;
    std::memcpy(&v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  // A count of items of at least `min_bytes` each: bounded by what is left.
  size_t count(size_t min_bytes = 1) {
    uint32_t n = pod<uint32_t>();
    if (static_cast<uint64_t>(n) * min_bytes > in_.size() - pos_) throw Corrupt("count larger than the data");
    return n;
  }
  std::string str() {
    size_t n = count();
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  int32_t i32() { return pod<int32_t>(); }
  std::vector<int32_t> ints() {
    std::vector<int32_t> v(count(4));
    for (int32_t& x : v) x = i32();
    return v;
  }
  template <typename E>
  E enumeration(E last) {
    auto v = pod<uint8_t>();
    if (v > static_cast<uint8_t>(last)) throw Corrupt("enumeration value out of range");
    return static_cast<E>(v);
  }
  bool flag() { return pod<uint8_t>() != 0; }
  Value value() {
    Value v;
    v.type = enumeration(Type::Event);
    v.b = flag();
    v.i = pod<int64_t>();
    v.d = pod<double>();
    v.s = str();
    v.set.resize(count(4));
    for (auto& s : v.set) s = str();
    return v;
  }
  std::optional<Holdout> holdout() {
    if (!flag()) return std::nullopt;
    Holdout h;
    h.percent = pod<double>();
    h.salt = str();
    return h;
  }
  Location loc() {
    Location l;
    l.file = str();
    l.line = i32(), l.column = i32(), l.end_line = i32(), l.end_column = i32();
    return l;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

void check(bool ok, const char* what) {
  if (!ok) throw Corrupt(what);
}

bool in_range(int32_t i, size_t n) { return i >= 0 && static_cast<size_t>(i) < n; }

}  // namespace

std::string serialize(const Bundle& b) {
  Writer w;
  w.out.append(kMagic, sizeof kMagic);
  w.pod(kIrFormatVersion);
  w.str(b.revision);
  w.str(b.default_region);
  w.u32(b.attributes.size());
  for (const Attribute& a : b.attributes) {
    w.str(a.name);
    w.pod(static_cast<uint8_t>(a.type));
    w.pod(static_cast<uint8_t>(a.used));
  }
  w.u32(b.events.size());
  for (const Event& e : b.events) {
    w.str(e.name);
    w.u32(e.props.size());
    for (const Property& p : e.props) {
      w.str(p.name);
      w.pod(static_cast<uint8_t>(p.type));
    }
  }
  w.u32(b.slots.size());
  for (const Slot& s : b.slots) {
    w.i32(s.event);
    w.pod(static_cast<uint8_t>(s.kind));
    w.pod(s.window_ms);
    w.ints(s.props);
    w.pod(static_cast<uint8_t>(s.latest_only));
    w.i32(s.cap);
  }
  w.u32(b.regexes.size());
  for (const std::string& r : b.regexes) w.str(r);
  w.u32(b.audiences.size());  // nodes may name audiences (Member): counted before them
  w.u32(b.arena.size());
  for (const auto& n : b.arena) {
    w.pod(static_cast<uint8_t>(n->kind));
    w.pod(static_cast<uint8_t>(n->op));
    w.pod(static_cast<uint8_t>(n->fn));
    w.pod(static_cast<uint8_t>(n->agg));
    w.i32(n->index);
    w.i32(n->prop);
    if (n->kind == Kind::Const) w.value(n->value);
    w.u32(n->args.size());
    for (Expr a : n->args) w.node(a);
  }
  for (const Slot& s : b.slots) w.node(s.filter);
  w.u32(b.fold.size());
  for (const auto& f : b.fold) w.ints(f);
  for (const Audience& a : b.audiences) {
    w.str(a.name);
    w.pod(static_cast<uint8_t>(a.kind));
    w.node(a.when);
    w.ints(a.excludes);
    w.pod(static_cast<uint8_t>(a.ttl_ms.has_value()));
    w.pod(a.ttl_ms.value_or(0));
    w.i32(a.ttl_slot);
    w.holdout(a.holdout);
    w.i32(a.tiers);
    w.node(a.cond);
  }
  w.u32(b.tiers.size());
  for (const Tiers& t : b.tiers) {
    w.str(t.name);
    w.i32(t.from);
    w.holdout(t.holdout);
    w.ints(t.arms);
  }
  w.u32(b.evaluate.size());
  for (const EvalStep& s : b.evaluate) {
    w.pod(static_cast<uint8_t>(s.tiers));
    w.i32(s.index);
  }
  w.u32(b.time_atoms.size());
  for (Expr e : b.time_atoms) w.node(e);
  w.u32(b.destinations.size());
  for (const Destination& d : b.destinations) {
    w.str(d.name);
    w.str(d.downstream);
    w.str(d.type);
    w.pod(static_cast<uint8_t>(d.ads | d.updates << 1 | d.on_exit_keep << 2 | d.include_holdout << 3));
    w.ints(d.audiences);
    w.u32(d.keys.size());
    for (const Key& k : d.keys) {
      w.i32(k.attr);
      w.str(k.name);
      w.pod(static_cast<uint8_t>(k.normalize));
      w.pod(static_cast<uint8_t>(k.hash));
    }
    w.u32(d.fields.size());
    for (const Field& f : d.fields) {
      w.i32(f.attr);
      w.str(f.name);
    }
    w.i32(d.sent_base);
  }
  w.i32(b.ttl_count);
  w.i32(b.sent_count);
  w.u32(b.tests.size());
  for (const TestCase& t : b.tests) {
    w.str(t.name);
    w.loc(t.loc);
    w.u32(t.steps.size());
    for (const TestStep& s : t.steps) {
      w.pod(static_cast<uint8_t>(s.kind));
      w.loc(s.loc);
      w.pod(s.time);
      w.str(s.profile);
      w.i32(s.index);
      w.pod(static_cast<uint8_t>(s.negated));
      w.u32(s.values.size());
      for (const TestValue& v : s.values) {
        w.str(v.name);
        w.value(v.value);
        w.pod(static_cast<uint8_t>(v.null));
      }
      w.u32(s.ops.size());
      for (const ExpectedOp& o : s.ops) {
        w.str(o.op);
        w.str(o.profile);
        w.pod(static_cast<uint8_t>(o.at.has_value()));
        w.pod(o.at.value_or(0));
      }
      w.str(s.text);
    }
  }
  return std::move(w.out);
}

namespace {

// Rebuilds one node through the factory of its kind, checking what the factories
// leave to the compiler (audience, regex and property indices).
Expr rebuild(Builder& build, Bundle& b, Kind kind, Op op, Fn fn, AggFn agg, int32_t index, int32_t prop,
             const Value* value, const std::vector<Expr>& args, size_t audiences) {
  auto arity = [&](size_t n) { check(args.size() == n, "wrong operand count"); };
  switch (kind) {
    case Kind::Const: arity(0); return build.constant(*value);
    case Kind::Now: arity(0); return build.now();
    case Kind::Attr: arity(0); return build.attr(index);
    case Kind::ProfileId: arity(0); return build.profile_id();
    case Kind::Prop: arity(0); return build.prop(prop, index);
    case Kind::Not: arity(1); return build.not_(args[0]);
    case Kind::And: arity(2); return build.and_(args[0], args[1]);
    case Kind::Or: arity(2); return build.or_(args[0], args[1]);
    case Kind::Neg: arity(1); return build.neg(args[0]);
    case Kind::Arith: arity(2); check(op >= Op::Add && op <= Op::Mod, "arithmetic operator"); return build.arith(op, args[0], args[1]);
    case Kind::Cmp: arity(2); return build.cmp(op, args[0], args[1]);
    case Kind::Coalesce: arity(2); return build.coalesce(args[0], args[1]);
    case Kind::InList: {
      check(!args.empty(), "`in` without an operand");
      return build.in_list(args[0], std::vector<Expr>(args.begin() + 1, args.end()), op == Op::Ne);
    }
    case Kind::InSet: arity(2); return build.in_set(args[0], args[1], op == Op::Ne);
    case Kind::Has: arity(1); return build.has(args[0]);
    case Kind::Call:
      for (Expr a : args) check(a->type == Type::String || (fn == Fn::Len && a->type == Type::StringSet), "built-in operand");
      return build.call(fn, args);
    case Kind::Matches: arity(1); check(in_range(index, b.regexes.size()), "regex index"); return build.matches(args[0], index);
    case Kind::Agg: {
      check(args.size() <= 1, "aggregate operands");
      check(in_range(index, b.slots.size()), "slot index");
      if (prop >= 0) check(in_range(prop, b.events[b.slots[index].event].props.size()), "property index");
      if (agg >= AggFn::Sum && agg <= AggFn::Max) check(prop >= 0, "aggregate without a property");
      if (!args.empty()) check(args[0]->type == Type::Time, "`since` bound");
      return build.agg(agg, index, prop, args.empty() ? nullptr : args[0]);
    }
    case Kind::EventField:
      arity(1);
      check(in_range(index, b.events.size()), "event index");
      if (prop >= 0) check(in_range(prop, b.events[index].props.size()), "property index");
      return build.event_field(args[0], index, prop);
    case Kind::Member: arity(0); check(in_range(index, audiences), "audience index"); return build.member(index);
  }
  throw Corrupt("node kind");
}

}  // namespace

std::unique_ptr<Bundle> deserialize(std::string_view bytes, std::string& error) {
  auto out = std::make_unique<Bundle>();
  Bundle& b = *out;
  try {
    Reader r(bytes);
    char magic[sizeof kMagic];
    for (char& c : magic) c = r.pod<char>();
    check(std::memcmp(magic, kMagic, sizeof kMagic) == 0, "not serialised seg IR");
    uint32_t version = r.pod<uint32_t>();
    if (version != kIrFormatVersion)
      throw Corrupt("IR format version " + std::to_string(version) + " (this seg reads " +
                    std::to_string(kIrFormatVersion) + ")");
    b.revision = r.str();
    b.default_region = r.str();
    b.attributes.resize(r.count(6));
    for (Attribute& a : b.attributes) {
      a.name = r.str();
      a.type = r.enumeration(Type::StringSet);
      a.used = r.flag();
    }
    b.events.resize(r.count(8));
    for (Event& e : b.events) {
      e.name = r.str();
      e.props.resize(r.count(5));
      for (Property& p : e.props) {
        p.name = r.str();
        p.type = r.enumeration(Type::StringSet);
      }
    }
    b.slots.resize(r.count(18));
    for (Slot& s : b.slots) {
      s.event = r.i32();
      check(in_range(s.event, b.events.size()), "slot event");
      s.kind = r.enumeration(SlotKind::History);
      s.window_ms = r.pod<int64_t>();
      check(s.window_ms >= 0, "window length");
      s.props = r.ints();
      for (int32_t p : s.props) check(in_range(p, b.events[s.event].props.size()), "slot property");
      s.latest_only = r.flag();
      s.cap = r.i32();
    }
    b.regexes.resize(r.count(4));
    for (std::string& re : b.regexes) re = r.str();
    size_t audiences = r.count(1);
    Builder build(b);
    size_t nodes = r.count(20);
    std::vector<Expr> args;
    for (size_t i = 0; i < nodes; ++i) {
      Kind kind = r.enumeration(Kind::Member);
      Op op = r.enumeration(Op::Ge);
      Fn fn = r.enumeration(Fn::Contains);
      AggFn agg = r.enumeration(AggFn::Last);
      int32_t index = r.i32(), prop = r.i32();
      Value value;
      if (kind == Kind::Const) value = r.value();
      args.assign(r.count(4), nullptr);
      for (Expr& a : args) {
        int32_t id = r.i32();
        check(in_range(id, b.arena.size()), "operand is not an earlier node");
        a = b.arena[static_cast<size_t>(id)].get();
      }
      Expr e = rebuild(build, b, kind, op, fn, agg, index, prop, &value, args, audiences);
      check(e->id == static_cast<int32_t>(i), "node numbering");
    }
    auto node = [&](bool optional) -> Expr {
      int32_t id = r.i32();
      if (id < 0 && optional) return nullptr;
      check(in_range(id, b.arena.size()), "node reference");
      return b.arena[static_cast<size_t>(id)].get();
    };
    for (Slot& s : b.slots) {
      s.filter = node(true);
      if (s.filter) check(s.filter->type == Type::Bool, "slot filter type");
    }
    b.fold.resize(r.count(4));
    check(b.fold.size() == b.events.size(), "fold table size");
    for (auto& f : b.fold) {
      f = r.ints();
      for (int32_t s : f) check(in_range(s, b.slots.size()), "fold slot");
    }
    b.audiences.resize(audiences);
    for (Audience& a : b.audiences) {
      a.name = r.str();
      a.kind = r.enumeration(AudienceKind::Arm);
      a.when = node(true);
      a.excludes = r.ints();
      for (int32_t x : a.excludes) check(in_range(x, audiences), "exclusion");
      bool has_ttl = r.flag();
      int64_t ttl = r.pod<int64_t>();
      if (has_ttl) a.ttl_ms = ttl;
      a.ttl_slot = r.i32();
      a.holdout = r.holdout();
      a.tiers = r.i32();
      a.cond = node(true);
      if (a.kind == AudienceKind::Segment) check(a.when && a.when->type == Type::Bool, "segment condition");
      if (a.cond) check(a.cond->type == Type::Bool, "arm condition");
    }
    b.tiers.resize(r.count(13));
    for (Tiers& t : b.tiers) {
      t.name = r.str();
      t.from = r.i32();
      check(t.from == -1 || in_range(t.from, audiences), "tiers universe");
      t.holdout = r.holdout();
      t.arms = r.ints();
      for (int32_t a : t.arms) check(in_range(a, audiences), "tiers arm");
    }
    b.evaluate.resize(r.count(5));
    for (EvalStep& s : b.evaluate) {
      s.tiers = r.flag();
      s.index = r.i32();
      check(in_range(s.index, s.tiers ? b.tiers.size() : audiences), "evaluate step");
    }
    b.time_atoms.resize(r.count(4));
    for (Expr& e : b.time_atoms) {
      e = node(false);
      check(e->kind == Kind::Cmp, "time atom");
    }
    b.destinations.resize(r.count(30));
    for (Destination& d : b.destinations) {
      d.name = r.str();
      d.downstream = r.str();
      d.type = r.str();
      auto flags = r.pod<uint8_t>();
      d.ads = flags & 1, d.updates = flags & 2, d.on_exit_keep = flags & 4, d.include_holdout = flags & 8;
      d.audiences = r.ints();
      for (int32_t a : d.audiences) check(in_range(a, audiences), "destination audience");
      d.keys.resize(r.count(10));
      for (Key& k : d.keys) {
        k.attr = r.i32();
        check(k.attr == -1 || in_range(k.attr, b.attributes.size()), "key attribute");
        k.name = r.str();
        k.normalize = r.enumeration(Normalize::E164);
        k.hash = r.flag();
      }
      d.fields.resize(r.count(8));
      for (Field& f : d.fields) {
        f.attr = r.i32();
        check(in_range(f.attr, b.attributes.size()), "field attribute");
        f.name = r.str();
      }
      d.sent_base = r.i32();
    }
    b.ttl_count = r.i32();
    b.sent_count = r.i32();
    check(b.ttl_count >= 0 && b.sent_count >= 0, "state counts");
    for (const Audience& a : b.audiences) {
      if (a.ttl_ms) check(in_range(a.ttl_slot, static_cast<size_t>(b.ttl_count)), "TTL state");
      if (a.kind == AudienceKind::Arm) check(in_range(a.tiers, b.tiers.size()), "arm's tiers");
    }
    for (const Destination& d : b.destinations)
      check(d.sent_base >= 0 && d.sent_base + d.audiences.size() <= static_cast<size_t>(b.sent_count), "sent states");
    b.tests.resize(r.count(24));
    for (TestCase& t : b.tests) {
      t.name = r.str();
      t.loc = r.loc();
      t.steps.resize(r.count(40));
      for (TestStep& s : t.steps) {
        s.kind = r.enumeration(StepKind::ExpectOps);
        s.loc = r.loc();
        s.time = r.pod<int64_t>();
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
          int64_t at = r.pod<int64_t>();
          if (has_at) o.at = at;
        }
        s.text = r.str();
        size_t limit = s.kind == StepKind::Event      ? b.events.size()
                       : s.kind == StepKind::ExpectIn  ? audiences
                       : s.kind == StepKind::ExpectOps ? b.destinations.size()
                                                       : 0;
        if (limit) check(in_range(s.index, limit), "test step index");
      }
    }
    check(r.done(), "trailing bytes");
  } catch (const Corrupt& e) {
    error = std::string("invalid bundle IR: ") + e.what();
    return nullptr;
  } catch (const std::exception& e) {  // a factory's check (std::logic_error) or at()
    error = std::string("invalid bundle IR: ") + e.what();
    return nullptr;
  }
  return out;
}

}  // namespace seg::ir
