#include "runtime/interp/bulk.h"

#include <cstring>

namespace seg::rt {

namespace {
// A value as the bulk kernel's columns hold it: doubles for numbers (ints widened, as a
// number attribute may hold either), 0/1 for bools, the payload otherwise.
int64_t column_bits(const Value& v, ir::Type t) {
  if (t == ir::Type::Number) {
    double d = v.tag == Tag::Int ? static_cast<double>(v.i) : v.d;
    int64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    return bits;
  }
  if (t == ir::Type::Bool) return v.b ? 1 : 0;
  if (v.tag == Tag::String || v.tag == Tag::Set) return v.id;
  return v.i;
}
}  // namespace

// The kernel's call back for a node it does not compile inline: that lane's profile,
// through the interpreter (never a node that reads membership bits, see codegen).
void bulk_eval_callback(const seg_bulk_batch* batch, int32_t lane, int32_t node, void* out) {
  auto* self = static_cast<BulkEvaluator*>(batch->runner);
  Value v = self->in_.eval(self->b_.arena[static_cast<size_t>(node)].get(), *self->rows_[lane], batch->now);
  std::memcpy(out, &v, sizeof v);
}

BulkEvaluator::BulkEvaluator(Interpreter& in) : in_(in), b_(in.bundle()) {
  attr_values_.assign(b_.attributes.size(), std::vector<int64_t>(64, 0));
  slot_count_.assign(b_.slots.size(), std::vector<int64_t>(64, 0));
  slot_newest_.assign(b_.slots.size(), std::vector<int64_t>(64, 0));
  for (auto& c : attr_values_) attr_ptrs_.push_back(c.data());
  for (auto& c : slot_count_) count_ptrs_.push_back(c.data());
  for (auto& c : slot_newest_) newest_ptrs_.push_back(c.data());
  attr_valid_.assign(b_.attributes.size(), 0);
  words_.assign(b_.audiences.size(), 0);
}

void BulkEvaluator::load(Profile* const* profiles, int n) {
  n_ = n;
  for (int i = 0; i < n; ++i) rows_[i] = profiles[i];
  for (size_t a = 0; a < b_.attributes.size(); ++a) {
    if (!b_.attributes[a].used) continue;  // never read, never set
    uint64_t valid = 0;
    int64_t* col = attr_values_[a].data();
    ir::Type t = b_.attributes[a].type;
    for (int i = 0; i < n; ++i) {
      const Value& v = profiles[i]->attrs[a];
      if (v.missing()) continue;
      valid |= uint64_t{1} << i;
      col[i] = column_bits(v, t);
    }
    attr_valid_[a] = valid;
  }
  for (size_t s = 0; s < b_.slots.size(); ++s)
    for (int i = 0; i < n; ++i) {
      slot_count_[s][i] = profiles[i]->slots[s].count;
      slot_newest_[s][i] = profiles[i]->slots[s].newest_ts;
    }
}

void BulkEvaluator::evaluate(seg_bulk_fn kernel, int64_t now) {
  now_ = now;
  if (!kernel) {
    interpret(now);
    return;
  }
  kernel(&batch(now));
}

const seg_bulk_batch& BulkEvaluator::batch(int64_t now) {
  batch_.attr_values = attr_ptrs_.data();
  batch_.attr_valid = attr_valid_.data();
  batch_.slot_count = count_ptrs_.data();
  batch_.slot_newest = newest_ptrs_.data();
  batch_.member = words_.data();
  batch_.consts = in_.constants();
  batch_.now = now;
  batch_.n = n_;
  batch_.eval = &bulk_eval_callback;
  batch_.runner = this;
  return batch_;
}

// The reference: each profile through the interpreter, with the same qualification
// rules. Member nodes read the profile's bits, so the profile is pointed at a scratch
// bitset while it is evaluated and given its own back afterwards.
void BulkEvaluator::interpret(int64_t now) {
  std::fill(words_.begin(), words_.end(), 0);
  for (int i = 0; i < n_; ++i) {
    Profile& p = *rows_[i];
    scratch_.assign(p.member.size(), 0);
    std::swap(p.member, scratch_);
    auto set = [&](int32_t a, bool on) {
      Profile::set_bit(p.member, a, on);
      if (on) words_[a] |= uint64_t{1} << i;
    };
    for (const ir::EvalStep& step : b_.evaluate) {
      if (!step.tiers) {
        const ir::Audience& a = b_.audiences[step.index];
        bool q = in_.eval(a.when, p, now).truthy();
        for (int32_t x : a.excludes) q = q && !p.bit(p.member, x);
        set(step.index, q);
        continue;
      }
      const ir::Tiers& t = b_.tiers[step.index];
      bool universe = t.from < 0 || p.bit(p.member, t.from);
      bool matched = false;
      for (int32_t arm : t.arms) {
        const ir::Audience& a = b_.audiences[arm];
        bool in = universe && !matched && (!a.cond || in_.eval(a.cond, p, now).truthy());
        matched = matched || in;
        set(arm, in);
      }
    }
    std::swap(p.member, scratch_);
  }
}

}  // namespace seg::rt
