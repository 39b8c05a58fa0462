#pragma once
// The columnar bulk path (issue 4): many profiles evaluated at one instant, 64 per batch,
// from a struct-of-arrays copy of what conditions read (attribute columns with validity
// words, slot counts and newest timestamps), into one membership word per audience.
// Used to re-evaluate a whole population (rule changes, backfills) and by `seg bench
// bulk`. It computes qualification: a segment's `when` minus its exclusions and a tiers
// block's priority; TTL clocks are per-profile state that the row path applies.
#include <cstdint>
#include <vector>

#include "runtime/interp/interp.h"

namespace seg::rt {

class BulkEvaluator {
 public:
  explicit BulkEvaluator(Interpreter& in);

  // Copies up to 64 profiles into the batch's columns.
  void load(Profile* const* profiles, int n);
  // Evaluates the loaded batch at `now` with `kernel` (JIT), or the interpreter when
  // null; result word per audience: bit i for profile i.
  void evaluate(seg_bulk_fn kernel, int64_t now);
  const std::vector<uint64_t>& words() const { return words_; }
  // The loaded columns as the kernel sees them (for hand-written baselines).
  const seg_bulk_batch& batch(int64_t now);
  int size() const { return n_; }

 private:
  void interpret(int64_t now);
  friend void bulk_eval_callback(const seg_bulk_batch* batch, int32_t lane, int32_t node, void* out);

  Interpreter& in_;
  const ir::Bundle& b_;
  Profile* rows_[64] = {};
  int n_ = 0;
  int64_t now_ = 0;
  std::vector<std::vector<int64_t>> attr_values_, slot_count_, slot_newest_;  // [column][64]
  std::vector<const int64_t*> attr_ptrs_, count_ptrs_, newest_ptrs_;
  std::vector<uint64_t> attr_valid_;
  std::vector<uint64_t> words_;    // per audience
  std::vector<uint64_t> scratch_;  // interpreter path: one profile's membership bits
  seg_bulk_batch batch_{};
};

}  // namespace seg::rt
