// The interpreter's general parts: construction (interned constants, regexes, kept
// properties), fresh profiles, the JIT context and call backs, value conversion and printing.
#include "runtime/interp/interp.h"

#include <re2/re2.h>

#include <cstddef>
#include <cstring>
#include <fmt/format.h>

#include "stdlib/builtins/builtins.h"

namespace seg::rt {

using ir::Kind;

double as_double(const Value& v) {
  switch (v.tag) {
    case Tag::Number: return v.d;
    case Tag::Int: case Tag::Time: case Tag::Duration: return static_cast<double>(v.i);
    default: return 0;
  }
}

Interpreter::Interpreter(const ir::Bundle& b, StringPool& strings, SetPool& sets)
    : b_(b), strings_(strings), sets_(sets) {
  consts_.resize(b.arena.size());
  for (const auto& n : b.arena)
    if (n->kind == Kind::Const) consts_[n->id] = from_ir(n->value);
  RE2::Options opt;
  opt.set_log_errors(false);
  for (const std::string& re : b.regexes) regexes_.push_back(std::make_unique<RE2>(re, opt));
  for (const ir::Slot& s : b.slots) {
    std::vector<int32_t> pos(b.events[s.event].props.size(), -1);
    for (size_t k = 0; k < s.props.size(); ++k) pos[s.props[k]] = static_cast<int32_t>(k);
    kept_.push_back(std::move(pos));
  }
  for (ir::Expr atom : b.time_atoms) {
    int64_t k = 0;
    bool exact = integral(atom->args[0]->type) && integral(atom->args[1]->type) &&
                 linear_slope(atom->args[0], 1, k) && linear_slope(atom->args[1], -1, k);
    atom_slope_.push_back(exact ? k : 0);
    atom_exact_.push_back(exact ? 1 : 0);
  }
}

// Whole milliseconds or counts: a flip instant computed from them is exact.
bool Interpreter::integral(ir::Type t) { return t == ir::Type::Time || t == ir::Type::Duration || t == ir::Type::Int; }

// Adds sign * d(e)/d(now) to k when e moves with `now` as a sum of +-now terms and
// constants (then f(t) = f(now) + k (t - now) exactly, in integer milliseconds); false for
// any other time-dependent shape (products, quotients, coalesce, calls).
bool Interpreter::linear_slope(ir::Expr e, int64_t sign, int64_t& k) {
  if (!e->time_dependent) return true;
  switch (e->kind) {
    case Kind::Now: k += sign; return true;
    case Kind::Neg: return linear_slope(e->args[0], -sign, k);
    case Kind::Arith:
      if (e->op == ir::Op::Add) return linear_slope(e->args[0], sign, k) && linear_slope(e->args[1], sign, k);
      if (e->op == ir::Op::Sub) return linear_slope(e->args[0], sign, k) && linear_slope(e->args[1], -sign, k);
      return false;
    default: return false;
  }
}

Interpreter::~Interpreter() = default;

// Generated code reads rt::Value directly (stdlib/abi.h).
static_assert(sizeof(Value) == SEG_VALUE_SIZE);
static_assert(offsetof(Value, i) == SEG_VALUE_PAYLOAD);
static_assert(offsetof(SlotState, count) == SEG_SLOT_COUNT);
static_assert(offsetof(SlotState, newest_ts) == SEG_SLOT_NEWEST);
static_assert(offsetof(SlotState, first_ts) == SEG_SLOT_FIRST);
static_assert(sizeof(TtlState) == SEG_TTL_SIZE);
static_assert(offsetof(TtlState, entered) == SEG_TTL_ENTERED);
static_assert(offsetof(TtlState, blocked) == SEG_TTL_BLOCKED && sizeof(bool) == 1);

// The JIT's way back into the interpreter for a node it does not compile inline.
void jit_eval_callback(seg_jit_ctx* ctx, int32_t node, void* out) {
  auto* in = static_cast<Interpreter*>(ctx->interp);
  Value v = in->eval(in->b_.arena[static_cast<size_t>(node)].get(), *static_cast<Profile*>(ctx->profile), ctx->now,
                     static_cast<const Value*>(ctx->props));
  std::memcpy(out, &v, sizeof v);
}

// The fold kernel's call for each slot whose filter passed.
void jit_apply_callback(seg_jit_ctx* ctx, int32_t slot) {
  auto* in = static_cast<Interpreter*>(ctx->interp);
  in->apply(*static_cast<Profile*>(ctx->profile), slot, ctx->ts, ctx->arrival, static_cast<const Value*>(ctx->props),
            ctx->now);
}

seg_jit_ctx Interpreter::context(Profile& p, int64_t now) {
  return seg_jit_ctx{p.attrs.data(), p.member.data(), consts_.data(), now, p.id, 0, &jit_eval_callback, this, &p,
                     p.slots.data(), static_cast<int64_t>(sizeof(SlotState)), p.ttl.data(), nullptr, nullptr,
                     &jit_apply_callback, 0, 0};
}

Value Interpreter::from_ir(const ir::Value& v) {
  switch (v.type) {
    case ir::Type::Bool: return Value::boolean(v.b);
    case ir::Type::Int: return Value::integer(v.i);
    case ir::Type::Number: return Value::number(v.d);
    case ir::Type::String: return Value::string(strings_.intern(v.s));
    case ir::Type::Time: return Value::time(v.i);
    case ir::Type::Duration: return Value::duration(v.i);
    case ir::Type::StringSet: {
      std::vector<uint32_t> ids;
      for (const auto& s : v.set) ids.push_back(strings_.intern(s));
      return Value::set(sets_.intern(std::move(ids)));
    }
    case ir::Type::Event: break;
  }
  return {};
}

Profile Interpreter::make_profile(uint32_t id) const {
  Profile p;
  p.id = id;
  p.attrs.resize(b_.attributes.size());
  p.slots.resize(b_.slots.size());
  size_t words = (b_.audiences.size() + 63) / 64;
  p.member.assign(words, 0);
  p.holdout.assign(words, 0);
  p.ttl.resize(b_.ttl_count);
  p.sent.resize(b_.sent_count);
  p.seq.assign(b_.destinations.size(), 0);
  p.measures.resize(b_.measures.size());
  // Holdout draws depend only on the id and the salt (LANGUAGE.md §5–6).
  std::string_view key = strings_.get(id);
  auto draw = [&](const ir::Holdout& h) {
    return seg_in_holdout(builtins::holdout_bucket(h.salt, key), h.percent) != 0;
  };
  for (size_t i = 0; i < b_.audiences.size(); ++i) {
    const ir::Audience& a = b_.audiences[i];
    bool flag = false;
    if (a.kind == ir::AudienceKind::Segment) {
      flag = a.holdout && draw(*a.holdout);
    } else {
      const ir::Tiers& t = b_.tiers[a.tiers];
      flag = (t.from >= 0 && p.bit(p.holdout, t.from)) || (t.holdout && draw(*t.holdout));
    }
    Profile::set_bit(p.holdout, static_cast<int32_t>(i), flag);
  }
  return p;
}

std::string Interpreter::show(const Value& v) const {
  switch (v.tag) {
    case Tag::Missing: return "missing";
    case Tag::Bool: return v.b ? "true" : "false";
    case Tag::Int: return std::to_string(v.i);
    case Tag::Number: return fmt::format("{}", v.d);
    case Tag::String: return fmt::format("\"{}\"", strings_.get(v.id));
    case Tag::Time: return builtins::format_time(v.i);
    case Tag::Duration: return builtins::format_duration(v.i);
    case Tag::Set: {
      std::string out = "[";
      for (uint32_t id : sets_.get(v.id)) out += (out.size() > 1 ? ", \"" : "\"") + std::string(strings_.get(id)) + "\"";
      return out + "]";
    }
    case Tag::Event: return "event at " + builtins::format_time(v.ev->ts);
  }
  return "?";
}

}  // namespace seg::rt
