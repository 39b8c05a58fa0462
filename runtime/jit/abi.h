#pragma once
// The C ABI between JIT-compiled kernels and the runtime (issue 4). Generated code reads
// a profile through this context and calls back into the interpreter for the nodes it
// does not compile inline, so both engines share one implementation of every built-in.
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// rt::Value's layout, which generated code reads: the tag at offset 0, the 8-byte
// payload at offset 8 (checked by static_asserts in runtime/interp).
enum { SEG_VALUE_SIZE = 16, SEG_VALUE_PAYLOAD = 8 };
// rt::SlotState: its event count and newest timestamp at these offsets.
enum { SEG_SLOT_COUNT = 0, SEG_SLOT_NEWEST = 8 };

typedef struct seg_jit_ctx seg_jit_ctx;
// Evaluates IR node `node` with the interpreter and writes the rt::Value to `out`.
typedef void (*seg_jit_eval_fn)(seg_jit_ctx* ctx, int32_t node, void* out);

struct seg_jit_ctx {
  const void* attrs;        // rt::Value[attribute count]
  const uint64_t* member;   // membership bits, already updated for earlier audiences
  const void* consts;       // rt::Value[node count]: interned constants by node id
  int64_t now;
  uint32_t profile_id;      // interned profile key
  uint32_t pad;
  seg_jit_eval_fn eval;     // interpreter fallback
  void* interp;             // for eval
  void* profile;            // for eval
  const void* slots;        // rt::SlotState[slot count]
  int64_t slot_stride;      // sizeof(rt::SlotState)
};

// One compiled condition: 1 when it holds (missing counts as false).
typedef uint8_t (*seg_cond_fn)(seg_jit_ctx* ctx);

#ifdef __cplusplus
}
#endif
