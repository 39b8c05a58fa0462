#pragma once
// The reference interpreter (issue 3): the semantics the JIT must match bit for bit. It
// runs the bundle's four kernel families over one profile's state:
//   fold      apply one recorded event (or identify) to the state
//   evaluate  every audience, in dependency order, into the membership bitset
//   deadline  the next instant this profile's memberships may change, or kNever
//   eval      one expression (also what `seg explain` walks)
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "stdlib/abi.h"
#include "runtime/state/profile.h"

namespace re2 {
class RE2;
}

namespace seg::rt {

class Interpreter {
 public:
  Interpreter(const ir::Bundle& b, StringPool& strings, SetPool& sets);
  ~Interpreter();

  const ir::Bundle& bundle() const { return b_; }
  StringPool& strings() { return strings_; }
  SetPool& sets() { return sets_; }

  // A fresh profile shaped by the layout, with its holdout draws made.
  Profile make_profile(uint32_t id) const;
  void fold(Profile& p, int32_t event, int64_t ts, uint64_t arrival,
            const std::vector<Value>& props, int64_t now);
  // Evaluates every audience at `now`. ttl_exit gets a bit per audience whose own TTL
  // ran out at this instant.
  void evaluate(Profile& p, int64_t now, std::vector<uint64_t>& ttl_exit);
  int64_t deadline(Profile& p, int64_t now);
  // `props`: the properties of the event being folded (filters), else null.
  Value eval(ir::Expr e, Profile& p, int64_t now, const Value* props = nullptr);
  // Drops a window slot's entries that have left the window at `now`.
  void prune(const ir::Slot& s, SlotState& st, int64_t now) const;

  // JIT-compiled kernels (null: interpret everything; a null fold entry: that event
  // type is interpreted). Swapped atomically: a background compile may install them
  // while records flow; each fold and evaluation reads the pointer once.
  void set_kernels(const seg_kernels* k) { kernels_.store(k, std::memory_order_release); }
  const seg_kernels* kernels() const { return kernels_.load(std::memory_order_acquire); }

  // Condition coverage (`seg test --coverage`): while set, evaluate() records per node id
  // bit 1 when an audience's condition, or an operand of an and/or/not inside it, was
  // true and bit 2 when false. Interpreted evaluation only: attach no kernels with it.
  void set_coverage(std::vector<uint8_t>* bits) { coverage_ = bits; }

  // How a value prints in explain output and test reports.
  std::string show(const Value& v) const;
  Value from_ir(const ir::Value& v);
  // rt::Value per IR node id: the interned constants (generated code reads them).
  const Value* constants() const { return consts_.data(); }

 private:
  Value agg(ir::Expr e, Profile& p, int64_t now);
  Value arith(ir::Expr e, const Value& a, const Value& b);
  bool compare(ir::Op op, const Value& a, const Value& b) const;
  double slope(ir::Expr e, Profile& p, int64_t now);
  // Records one event in slot `si` (its filter already passed).
  void apply(Profile& p, int32_t si, int64_t ts, uint64_t arrival, const Value* props, int64_t now);
  bool holds_at(ir::Expr atom, Profile& p, int64_t t);
  bool observe(ir::Expr e, Profile& p, int64_t now);
  std::vector<uint8_t>* coverage_ = nullptr;
  bool pure_ = false;  // evaluating at a hypothetical instant: leave the state alone

  const ir::Bundle& b_;
  StringPool& strings_;
  SetPool& sets_;
  std::vector<Value> consts_;  // by node id
  std::vector<std::unique_ptr<re2::RE2>> regexes_;
  std::vector<std::vector<int32_t>> kept_;  // per slot: event property -> position, or -1
  std::atomic<const seg_kernels*> kernels_{nullptr};
  std::vector<double> atom_diff_;    // deadline kernel output, per time atom
  std::vector<uint8_t> atom_flags_;
  // Per time atom: 1 when both sides are integral and move with `now` only through sums
  // (ago(x) >= 90d, x + 7d < now): its slope is atom_slope_ and the flip instant the
  // deadline computes is exact, so it is neither walked for a slope nor checked.
  std::vector<int64_t> atom_slope_;
  std::vector<uint8_t> atom_exact_;
  static bool integral(ir::Type t);
  static bool linear_slope(ir::Expr e, int64_t sign, int64_t& k);
  friend void jit_eval_callback(seg_jit_ctx* ctx, int32_t node, void* out);
  friend void jit_apply_callback(seg_jit_ctx* ctx, int32_t slot);
  seg_jit_ctx context(Profile& p, int64_t now);
};

double as_double(const Value& v);

}  // namespace seg::rt
