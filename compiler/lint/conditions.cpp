#include "compiler/lint/conditions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace seg::lint {
namespace {

constexpr int kMaxDepth = 32;       // audiences referring to audiences
constexpr size_t kMaxClauses = 512;  // beyond this the DNF is not worth it: don't know

bool is_agg_count(ir::Expr e) {
  return e->kind == ir::Kind::Agg && e->args.empty() && (e->agg == ir::AggFn::Count || e->agg == ir::AggFn::Exists);
}

// A timestamp that never changes once it exists: the first event of an all-time slot.
bool fixed_time(const ir::Bundle& b, ir::Expr e) {
  return e->kind == ir::Kind::EventField && e->prop < 0 && e->args[0]->kind == ir::Kind::Agg &&
         e->args[0]->agg == ir::AggFn::First && e->args[0]->args.empty() &&
         b.slots[e->args[0]->index].kind == ir::SlotKind::AllTime;
}

// `now`, and `now - t` for a fixed t (what `ago(first(E).time)` and `ago(2026-01-01)`
// lower to): they only grow.
bool growing_age(const ir::Bundle& b, ir::Expr e) {
  if (e->kind == ir::Kind::Now) return true;
  return e->kind == ir::Kind::Arith && e->op == ir::Op::Sub && e->args[0]->kind == ir::Kind::Now &&
         (e->args[1]->kind == ir::Kind::Const || fixed_time(b, e->args[1]));
}

// Built only from constants and the profile key: the same value for a profile forever.
bool fixed_for_profile(ir::Expr e) {
  if (e->kind == ir::Kind::Const || e->kind == ir::Kind::ProfileId) return true;
  if (e->kind == ir::Kind::Attr || e->kind == ir::Kind::Agg || e->kind == ir::Kind::Now ||
      e->kind == ir::Kind::Member || e->kind == ir::Kind::Prop || e->kind == ir::Kind::EventField)
    return false;
  return std::all_of(e->args.begin(), e->args.end(), fixed_for_profile);
}

ir::Op flip(ir::Op op) {
  switch (op) {
    case ir::Op::Lt: return ir::Op::Gt;
    case ir::Op::Le: return ir::Op::Ge;
    case ir::Op::Gt: return ir::Op::Lt;
    case ir::Op::Ge: return ir::Op::Le;
    default: return op;
  }
}

// `q op constant` over a quantity that only moves one way (an all-time count or maximum
// and the age of a first event grow, an all-time minimum shrinks): +1 when the
// comparison can only start to hold (q >= c for a growing q), -1 when it can only stop,
// 0 when it can go either way or q is not such a quantity.
int growth(const ir::Bundle& b, ir::Expr e) {
  ir::Expr l = e->args[0], r = e->args[1];
  ir::Op op = e->op;
  if (l->kind == ir::Kind::Const) {
    std::swap(l, r);
    op = flip(op);
  }
  if (r->kind != ir::Kind::Const) return 0;
  bool all_time = l->kind == ir::Kind::Agg && l->args.empty() && b.slots[l->index].kind == ir::SlotKind::AllTime;
  int way = 0;  // +1: l only grows, -1: l only shrinks
  if ((is_agg_count(l) && all_time) || growing_age(b, l) || (all_time && l->agg == ir::AggFn::Max)) way = 1;
  else if (all_time && l->agg == ir::AggFn::Min) way = -1;
  if (op == ir::Op::Gt || op == ir::Op::Ge) return way;
  if (op == ir::Op::Lt || op == ir::Op::Le) return -way;
  return 0;
}

// ---- satisfiability: atoms, literals, clauses ----

// A variable the check understands: an attribute, or the all-time/window count of one
// aggregate slot (never missing: 0 without events).
struct Var {
  enum Kind { Number, String, Bool, Count, SetItem } kind = Number;
  bool integer = false;
};

// One understood atom: `var op constant` (or presence, or a set item).
struct Atom {
  std::string var;    // "a3", "c2" (slot count), "s3:vip" (set item)
  Var info;
  enum Test { Cmp, Present, Truthy } test = Cmp;
  ir::Op op = ir::Op::Eq;
  double num = 0;
  std::string str;
  int event = -1;      // Count: the slot's event (counts of one event are related)
  int slot = -1;       // Count: the slot
};

struct Literal {
  int atom;  // index into Formula::atoms; -1: an atom not understood
  bool positive;
};

using Clause = std::vector<Literal>;

struct Formula {
  const ir::Bundle& b;
  std::vector<Atom> atoms;
  std::map<std::string, int> opaque;  // not understood, by printed text
  bool overflow = false;

  // `e` as a set of clauses (DNF) for `positive`, or for its negation.
  std::vector<Clause> dnf(ir::Expr e, bool positive, int depth);
  std::vector<Clause> member(int32_t a, bool positive, int depth);
  std::vector<Clause> both(std::vector<Clause> x, const std::vector<Clause>& y) {
    std::vector<Clause> out;
    for (const Clause& a : x)
      for (const Clause& c : y) {
        if (out.size() >= kMaxClauses) {
          overflow = true;
          return out;
        }
        Clause m = a;
        m.insert(m.end(), c.begin(), c.end());
        out.push_back(std::move(m));
      }
    return out;
  }
  std::vector<Clause> either(std::vector<Clause> x, const std::vector<Clause>& y) {
    x.insert(x.end(), y.begin(), y.end());
    if (x.size() > kMaxClauses) overflow = true;
    return x;
  }
  std::vector<Clause> literal(std::optional<Atom> a, ir::Expr e, bool positive) {
    if (!a) {
      auto [it, _] = opaque.emplace(ir::print(b, e), -2 - static_cast<int>(opaque.size()));
      return {{{it->second, positive}}};
    }
    atoms.push_back(std::move(*a));
    return {{{static_cast<int>(atoms.size() - 1), positive}}};
  }
  std::optional<Atom> understand(ir::Expr e) const;
};

std::vector<Clause> kTrue() { return {{}}; }
std::vector<Clause> kFalse() { return {}; }

std::optional<Atom> Formula::understand(ir::Expr e) const {
  auto var_of = [&](ir::Expr x, Atom& a) {
    if (x->kind == ir::Kind::Attr) {
      const ir::Attribute& at = b.attributes[x->index];
      a.var = "a" + std::to_string(x->index);
      switch (at.type) {
        case ir::Type::Int: a.info = {Var::Number, true}; return true;
        case ir::Type::Number:
        case ir::Type::Time:
        case ir::Type::Duration: a.info = {Var::Number, at.type != ir::Type::Number}; return true;
        case ir::Type::String: a.info = {Var::String, false}; return true;
        case ir::Type::Bool: a.info = {Var::Bool, false}; return true;
        default: return false;
      }
    }
    if (is_agg_count(x)) {
      a.var = "c" + std::to_string(x->index);
      a.info = {Var::Count, true};
      a.event = b.slots[x->index].event;
      a.slot = x->index;
      return true;
    }
    return false;
  };
  Atom a;
  if (e->kind == ir::Kind::Cmp) {
    ir::Expr l = e->args[0], r = e->args[1];
    ir::Op op = e->op;
    if (l->kind == ir::Kind::Const) {
      std::swap(l, r);
      op = flip(op);
    }
    if (r->kind != ir::Kind::Const || !var_of(l, a)) return std::nullopt;
    a.op = op;
    const ir::Value& v = r->value;
    if (a.info.kind == Var::String) {
      if (v.type != ir::Type::String || (op != ir::Op::Eq && op != ir::Op::Ne)) return std::nullopt;
      a.str = v.s;
    } else if (a.info.kind == Var::Bool) {
      if (v.type != ir::Type::Bool || (op != ir::Op::Eq && op != ir::Op::Ne)) return std::nullopt;
      a.num = v.b;
    } else {
      if (v.type == ir::Type::Number) a.num = v.d;
      else if (v.type == ir::Type::Int || v.type == ir::Type::Time || v.type == ir::Type::Duration)
        a.num = static_cast<double>(v.i);
      else return std::nullopt;
    }
    return a;
  }
  if (e->kind == ir::Kind::Has && var_of(e->args[0], a) && a.info.kind != Var::Count) {
    a.test = Atom::Present;
    return a;
  }
  if (is_agg_count(e) && e->agg == ir::AggFn::Exists && var_of(e, a)) {  // E: count >= 1
    a.op = ir::Op::Ge;
    a.num = 1;
    return a;
  }
  if (e->kind == ir::Kind::Attr && b.attributes[e->index].type == ir::Type::Bool && var_of(e, a)) {
    a.test = Atom::Truthy;
    return a;
  }
  if (e->kind == ir::Kind::InSet && e->args[0]->kind == ir::Kind::Const && e->args[1]->kind == ir::Kind::Attr &&
      e->args[0]->value.type == ir::Type::String) {
    a.var = "s" + std::to_string(e->args[1]->index) + ":" + e->args[0]->value.s;
    a.info = {Var::SetItem, false};
    a.test = Atom::Truthy;
    if (e->op == ir::Op::Ne) return std::nullopt;  // `not in`: false when missing; keep it simple
    return a;
  }
  return std::nullopt;
}

std::vector<Clause> Formula::dnf(ir::Expr e, bool positive, int depth) {
  if (overflow || depth > kMaxDepth) {
    overflow = true;
    return kTrue();
  }
  switch (e->kind) {
    case ir::Kind::Const:
      if (e->value.type == ir::Type::Bool) return e->value.b == positive ? kTrue() : kFalse();
      break;
    case ir::Kind::Not: return dnf(e->args[0], !positive, depth + 1);
    case ir::Kind::And:
    case ir::Kind::Or: {
      bool conj = (e->kind == ir::Kind::And) == positive;
      auto x = dnf(e->args[0], positive, depth + 1);
      auto y = dnf(e->args[1], positive, depth + 1);
      return conj ? both(std::move(x), y) : either(std::move(x), y);
    }
    case ir::Kind::Member: return member(e->index, positive, depth + 1);
    case ir::Kind::InList: {
      // x in [a, b] = x == a or x == b (false when x is missing: each comparison is).
      std::vector<Clause> out = positive ? kFalse() : kTrue();
      for (size_t i = 1; i < e->args.size(); ++i) {
        ir::Node eq = *e;  // a comparison node in the shape `understand` reads
        eq.kind = ir::Kind::Cmp;
        eq.op = ir::Op::Eq;
        eq.args = {e->args[0], e->args[i]};
        auto a = understand(&eq);
        if (!a || e->op == ir::Op::Ne) return literal(std::nullopt, e, positive);
        auto one = literal(a, e, positive);
        out = positive ? either(std::move(out), one) : both(std::move(out), one);
      }
      return out;
    }
    default: break;
  }
  return literal(understand(e), e, positive);
}

std::vector<Clause> Formula::member(int32_t ai, bool positive, int depth) {
  const ir::Audience& a = b.audiences[ai];
  std::vector<Clause> in = kTrue();
  if (a.kind == ir::AudienceKind::Segment) {
    in = dnf(a.when, true, depth);
    for (int32_t x : a.excludes) in = both(std::move(in), member(x, false, depth + 1));
  } else {
    const ir::Tiers& t = b.tiers[a.tiers];
    if (t.from >= 0) in = member(t.from, true, depth + 1);
    for (int32_t arm : t.arms) {
      const ir::Audience& earlier = b.audiences[arm];
      if (arm == ai) break;
      if (!earlier.cond) return positive ? kFalse() : kTrue();  // after `else`
      in = both(std::move(in), dnf(earlier.cond, false, depth + 1));
    }
    if (a.cond) in = both(std::move(in), dnf(a.cond, true, depth));
  }
  if (positive) return in;
  // not (c1 or c2 or …) = (not c1) and (not c2) …; each clause negated is a disjunction.
  std::vector<Clause> out = kTrue();
  for (const Clause& c : in) {
    std::vector<Clause> neg;
    for (const Literal& l : c) neg.push_back({{l.atom, !l.positive}});
    out = both(std::move(out), neg);
    if (overflow) break;
  }
  return out;
}

bool compare(ir::Op op, double v, double c) {
  switch (op) {
    case ir::Op::Eq: return v == c;
    case ir::Op::Ne: return v != c;
    case ir::Op::Lt: return v < c;
    case ir::Op::Le: return v <= c;
    case ir::Op::Gt: return v > c;
    case ir::Op::Ge: return v >= c;
    default: return false;
  }
}

// Does some value of one variable satisfy every literal on it? Candidate values: every
// constant mentioned, its neighbours, the midpoints between them, far below and above,
// and "missing": the constraints are single-variable comparisons, so one of these lies
// in every region where the answer can change.
bool var_satisfiable(const std::vector<std::pair<const Atom*, bool>>& lits) {
  const Var& info = lits.front().first->info;
  auto holds = [&](const Atom& a, bool missing, double num, const std::string& str) {
    if (a.test == Atom::Present) return !missing;
    if (missing) return false;  // comparisons and truthiness are false on a missing value
    if (a.test == Atom::Truthy) return num != 0;
    if (info.kind == Var::String) return a.op == ir::Op::Eq ? str == a.str : str != a.str;
    return compare(a.op, num, a.num);
  };
  auto all = [&](bool missing, double num, const std::string& str) {
    for (const auto& [a, positive] : lits)
      if (holds(*a, missing, num, str) != positive) return false;
    return true;
  };
  bool can_miss = info.kind != Var::Count;
  if (can_miss && all(true, 0, {})) return true;
  if (info.kind == Var::String) {
    std::vector<std::string> candidates = {"\x01seg-lint-other"};
    for (const auto& [a, _] : lits) candidates.push_back(a->str);
    return std::any_of(candidates.begin(), candidates.end(), [&](const std::string& s) { return all(false, 0, s); });
  }
  if (info.kind == Var::Bool || info.kind == Var::SetItem) return all(false, 0, {}) || all(false, 1, {});
  std::vector<double> cs;
  for (const auto& [a, _] : lits) cs.push_back(a->num);
  std::sort(cs.begin(), cs.end());
  std::vector<double> candidates = {cs.front() - 1e9, cs.back() + 1e9};
  for (size_t i = 0; i < cs.size(); ++i) {
    double c = cs[i];
    candidates.insert(candidates.end(), {c, std::floor(c) - 1, std::floor(c), std::ceil(c), std::ceil(c) + 1,
                                         std::nextafter(c, -INFINITY), std::nextafter(c, INFINITY)});
    if (i + 1 < cs.size()) {
      double mid = (c + cs[i + 1]) / 2;
      candidates.insert(candidates.end(), {mid, std::floor(mid), std::ceil(mid)});
    }
  }
  for (double v : candidates) {
    if (info.integer && v != std::floor(v)) continue;
    if (info.kind == Var::Count && v < 0) continue;
    if (all(false, v, {})) return true;
  }
  return false;
}

// Counts of one event with one filter in nested windows are ordered: a week's count is
// at most the month's, which is at most the all-time count. Is there a choice of counts
// that satisfies every literal on them and that order?
bool counts_satisfiable(const ir::Bundle& b, const std::vector<std::vector<std::pair<const Atom*, bool>>>& group) {
  auto span = [&](const Atom* a) {
    const ir::Slot& s = b.slots[a->slot];
    return s.kind == ir::SlotKind::AllTime ? std::numeric_limits<int64_t>::max() : s.window_ms;
  };
  auto holds = [](const std::vector<std::pair<const Atom*, bool>>& lits, double v) {
    for (const auto& [a, positive] : lits)
      if (a->test != Atom::Cmp || compare(a->op, v, a->num) != positive) return false;
    return true;
  };
  std::set<double> values = {0, 1e9};
  for (const auto& lits : group)
    for (const auto& [a, _] : lits)
      for (double d : {std::floor(a->num) - 1, std::floor(a->num), std::ceil(a->num), std::ceil(a->num) + 1})
        if (d >= 0) values.insert(d);
  std::vector<double> cand(values.begin(), values.end());
  std::vector<size_t> pick(group.size(), 0);
  for (size_t tries = 0; tries < 100000; ++tries) {
    bool ok = true;
    for (size_t i = 0; i < group.size() && ok; ++i) ok = holds(group[i], cand[pick[i]]);
    for (size_t i = 0; i < group.size() && ok; ++i)
      for (size_t j = 0; j < group.size() && ok; ++j)
        if (span(group[i].front().first) < span(group[j].front().first)) ok = cand[pick[i]] <= cand[pick[j]];
    if (ok) return true;
    size_t k = 0;  // next combination
    while (k < pick.size() && ++pick[k] == cand.size()) pick[k++] = 0;
    if (k == pick.size()) return false;
  }
  return true;  // too many to try: do not claim a contradiction
}

}  // namespace

// ---- which way conditions move ----

bool Conditions::audience_may_fall(int32_t ai, int depth) const {
  if (depth > kMaxDepth) return true;
  const ir::Audience& a = b_.audiences[ai];
  if (a.kind == ir::AudienceKind::Segment) {
    if (a.ttl_ms) return true;
    if (may_fall(a.when, depth + 1)) return true;
    for (int32_t x : a.excludes)
      if (audience_may_rise(x, depth + 1)) return true;
    return false;
  }
  const ir::Tiers& t = b_.tiers[a.tiers];
  if (t.from >= 0 && audience_may_fall(t.from, depth + 1)) return true;
  if (a.cond && may_fall(a.cond, depth + 1)) return true;
  for (int32_t arm : t.arms) {  // an earlier arm that starts to hold takes the member
    if (arm == ai) break;
    if (!b_.audiences[arm].cond || may_rise(b_.audiences[arm].cond, depth + 1)) return true;
  }
  return false;
}

bool Conditions::audience_may_rise(int32_t ai, int depth) const {
  if (depth > kMaxDepth) return true;
  const ir::Audience& a = b_.audiences[ai];
  if (a.kind == ir::AudienceKind::Segment) {
    if (may_rise(a.when, depth + 1)) return true;
    for (int32_t x : a.excludes)
      if (audience_may_fall(x, depth + 1)) return true;
    return false;
  }
  return true;  // tiers arms: not worth the proof
}

// An all-time count only grows, so `count(E) >= N` can start to hold but never stop, and
// `count(E) < N` the reverse. Everything else (windows, `since`, attributes, `now`) can
// go either way, as far as this analysis knows.
bool Conditions::may_fall(ir::Expr e, int depth) const {
  if (depth > kMaxDepth) return true;
  if (fixed_for_profile(e)) return false;
  switch (e->kind) {
    case ir::Kind::Const: return false;
    case ir::Kind::Not: return may_rise(e->args[0], depth + 1);
    case ir::Kind::And:
    case ir::Kind::Or: return may_fall(e->args[0], depth + 1) || may_fall(e->args[1], depth + 1);
    case ir::Kind::Member: return audience_may_fall(e->index, depth + 1);
    case ir::Kind::Agg:
      return !(is_agg_count(e) && e->agg == ir::AggFn::Exists && b_.slots[e->index].kind == ir::SlotKind::AllTime);
    case ir::Kind::Cmp: return growth(b_, e) <= 0;
    default: return true;
  }
}

bool Conditions::may_rise(ir::Expr e, int depth) const {
  if (depth > kMaxDepth) return true;
  if (fixed_for_profile(e)) return false;
  switch (e->kind) {
    case ir::Kind::Const: return false;
    case ir::Kind::Not: return may_fall(e->args[0], depth + 1);
    case ir::Kind::And:
    case ir::Kind::Or: return may_rise(e->args[0], depth + 1) || may_rise(e->args[1], depth + 1);
    case ir::Kind::Member: return audience_may_rise(e->index, depth + 1);
    case ir::Kind::Cmp: return growth(b_, e) >= 0;
    default: return true;
  }
}

bool Conditions::may_leave(int32_t audience) const { return audience_may_fall(audience, 0); }

Conditions::Sat Conditions::satisfiable(const std::vector<int32_t>& all, const std::vector<int32_t>& none) const {
  Formula f{b_, {}, {}, false};
  std::vector<Clause> clauses = kTrue();
  for (int32_t a : all) clauses = f.both(std::move(clauses), f.member(a, true, 0));
  for (int32_t a : none) clauses = f.both(std::move(clauses), f.member(a, false, 0));
  if (f.overflow) return Sat::Unknown;
  bool maybe = false;
  for (const Clause& c : clauses) {
    // Group the understood literals by variable; literals on what is not understood are
    // free, unless the same one is asked both ways.
    std::map<std::string, std::vector<std::pair<const Atom*, bool>>> by_var;
    std::map<int, bool> free;
    bool contradiction = false, exact = true;
    for (const Literal& l : c) {
      if (l.atom < 0) {
        auto [it, fresh] = free.emplace(l.atom, l.positive);
        if (!fresh && it->second != l.positive) contradiction = true;
        exact = false;
        continue;
      }
      by_var[f.atoms[l.atom].var].push_back({&f.atoms[l.atom], l.positive});
    }
    for (const auto& [_, lits] : by_var)
      if (!contradiction && !var_satisfiable(lits)) contradiction = true;
    std::map<std::string, std::vector<std::vector<std::pair<const Atom*, bool>>>> related;
    for (const auto& [_, lits] : by_var) {
      const Atom& a = *lits.front().first;
      if (a.info.kind != Var::Count) continue;
      const ir::Slot& slot = b_.slots[a.slot];
      if (slot.kind == ir::SlotKind::History) continue;
      bool cmp_only = std::all_of(lits.begin(), lits.end(), [](const auto& l) { return l.first->test == Atom::Cmp; });
      if (cmp_only) related[std::to_string(a.event) + "|" + (slot.filter ? ir::print(b_, slot.filter) : "")].push_back(lits);
    }
    for (const auto& [_, group] : related)
      if (!contradiction && group.size() > 1 && !counts_satisfiable(b_, group)) contradiction = true;
    if (contradiction) continue;
    // Counts of one event in different slots are related (a day's count is at most the
    // week's): a "yes" over them would not be a proof.
    std::map<int, std::set<std::string>> count_slots;
    for (const auto& [var, lits] : by_var)
      if (lits.front().first->info.kind == Var::Count) count_slots[lits.front().first->event].insert(var);
    for (const auto& [_, slots] : count_slots)
      if (slots.size() > 1) exact = false;
    if (exact) return Sat::Yes;
    maybe = true;
  }
  return maybe ? Sat::Unknown : Sat::No;
}

}  // namespace seg::lint
