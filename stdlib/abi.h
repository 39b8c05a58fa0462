#pragma once
// The C ABI between JIT-compiled kernels and the runtime (issue 4). Generated code reads
// a profile through this context, writes its membership bits, and calls back into the
// runtime for what it does not compile inline (the interpreter for a subtree, the fold's
// slot update), so both engines share one implementation of every built-in.
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// rt::Value's layout, which generated code reads: the tag at offset 0, the 8-byte
// payload at offset 8 (checked by static_asserts in runtime/interp).
enum { SEG_VALUE_SIZE = 16, SEG_VALUE_PAYLOAD = 8 };
// rt::SlotState: its event count, newest and (all-time) oldest timestamps.
enum { SEG_SLOT_COUNT = 0, SEG_SLOT_NEWEST = 8, SEG_SLOT_FIRST = 16 };
// rt::SentState: the sent and unmatched flags (one byte each), its size.
enum { SEG_SENT_SENT = 8, SEG_SENT_UNMATCHED = 9, SEG_SENT_SIZE = 12 };
// rt::TtlState: entry instant, the re-arm flag (one byte), its size.
enum { SEG_TTL_ENTERED = 0, SEG_TTL_BLOCKED = 8, SEG_TTL_SIZE = 16 };

typedef struct seg_jit_ctx seg_jit_ctx;
// Evaluates IR node `node` with the interpreter and writes the rt::Value to `out`.
typedef void (*seg_jit_eval_fn)(seg_jit_ctx* ctx, int32_t node, void* out);
// Fold: records the event being folded in aggregate slot `slot`.
typedef void (*seg_jit_apply_fn)(seg_jit_ctx* ctx, int32_t slot);
// Diff: compares what destination `dest`'s audience at `position` holds with the new
// membership, keys and fields, and queues the ops.
typedef void (*seg_jit_diff_fn)(seg_jit_ctx* ctx, int32_t dest, int32_t position);

// Field order is part of the ABI: runtime/jit/codegen.cpp (the LLVM struct) and
// runtime/jit/codegen_private.h (the field numbers) mirror it.
struct seg_jit_ctx {
  const void* attrs;        // rt::Value[attribute count]
  uint64_t* member;         // membership bits: read by conditions, written by evaluate
  const void* consts;       // rt::Value[node count]: interned constants by node id
  int64_t now;
  uint32_t profile_id;      // interned profile key
  uint32_t pad;
  seg_jit_eval_fn eval;     // interpreter fallback
  void* interp;             // for the callbacks
  void* profile;            // for the callbacks
  const void* slots;        // rt::SlotState[slot count]
  int64_t slot_stride;      // sizeof(rt::SlotState)
  void* ttl;                // rt::TtlState[ttl count]
  uint64_t* ttl_exit;       // evaluate: a bit per audience whose TTL ran out now
  const void* props;        // fold: rt::Value[] properties of the event being folded
  seg_jit_apply_fn apply;   // fold: slot update
  int64_t ts;               // fold: the event's timestamp
  uint64_t arrival;         // fold: its arrival order
  const uint64_t* holdout;  // diff: holdout bits per audience
  const void* sent;         // diff: rt::SentState[] per destination audience
  seg_jit_diff_fn diff;     // diff: one destination audience
  void* engine;             // diff: for the callback
};

// The evaluate kernel: every audience, in dependency order, into ctx->member (with
// exclusions, TTLs and tiers priority), TTL exits into ctx->ttl_exit.
typedef void (*seg_evaluate_fn)(seg_jit_ctx* ctx);
// A fold kernel for one event type (or identify): runs the slot filters, calls
// ctx->apply for each slot the event goes into.
typedef void (*seg_fold_fn)(seg_jit_ctx* ctx);

// The deadline kernel: per time atom, lhs - rhs (double) and flags (bit 0: both present,
// bit 1: holds now), for the runtime's search of the next flip instant.
typedef void (*seg_deadline_fn)(seg_jit_ctx* ctx, double* diff, uint8_t* flags);

// The diff kernel: the bundle's destinations and their audiences unrolled; calls
// ctx->diff for each destination audience that is desired now, was sent, or was
// unmatched (the others cannot produce an op), skipping the rest without a call.
typedef void (*seg_diff_fn)(seg_jit_ctx* ctx);

// What the interpreter installs from a compiled bundle (null members stay interpreted).
typedef struct seg_kernels {
  seg_evaluate_fn evaluate;
  seg_deadline_fn deadline;
  seg_diff_fn diff;
  const seg_fold_fn* fold;  // per event type; entries may be null
  int32_t fold_count;
} seg_kernels;

// The bulk (columnar) evaluate kernel: `n` profiles (n <= 64) of one batch. Columns are
// per attribute: values (int64 bits or double) and a validity word (bit i: present);
// per slot: counts and newest timestamps; per audience a result word (bit i: member),
// filled in dependency order so Member reads earlier words.
typedef struct seg_bulk_batch seg_bulk_batch;
// Bulk fallback: evaluates IR node `node` for the batch's profile `lane` (interpreter).
typedef void (*seg_bulk_eval_fn)(const seg_bulk_batch* batch, int32_t lane, int32_t node, void* out);
struct seg_bulk_batch {
  const int64_t* const* attr_values;  // [attribute][64]
  const uint64_t* attr_valid;         // [attribute]
  const int64_t* const* slot_count;   // [slot][64]
  const int64_t* const* slot_newest;  // [slot][64]
  uint64_t* member;                   // [audience]
  const void* consts;                 // as seg_jit_ctx::consts
  int64_t now;
  int32_t n;                          // profiles in this batch, 1..64
  int32_t pad;
  seg_bulk_eval_fn eval;              // for the nodes not compiled inline
  void* runner;                       // for eval
};
typedef void (*seg_bulk_fn)(const seg_bulk_batch* batch);

#ifdef __cplusplus
}
#endif
