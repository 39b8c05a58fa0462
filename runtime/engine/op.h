#pragma once
// One op for a destination (RUNTIME.md §4) and where ops go.
#include <cstdint>
#include <string>
#include <string_view>

namespace seg::rt {

// Order within an instant: remove before add before update.
enum class OpKind : uint8_t { Remove = 0, Add = 1, Update = 2 };
enum class Reason : uint8_t { Enter, Change, Ttl, Exit, Expire, RuleChange };

const char* op_kind_name(OpKind k);
const char* reason_name(Reason r);

struct Op {
  int32_t destination = 0;
  int32_t audience = 0;
  int32_t position = 0;  // index of the audience in the destination's list
  int32_t orphan = -1;   // a rule change's remove from an audience the rules no longer sync
  uint32_t profile = 0;  // interned profile key
  int32_t profile_index = 0;
  OpKind kind = OpKind::Add;
  Reason reason = Reason::Enter;
  int64_t ts = 0;
  uint32_t keys = 0;    // interned JSON object
  uint32_t fields = 0;  // interned JSON object
  bool holdout = false;
};

// Receives each op as a finished JSON line (no newline), per destination, in order.
class OpSink {
 public:
  virtual ~OpSink() = default;
  virtual void write(int32_t destination, std::string_view line) = 0;
  // The same, with the op's instant and profile key: what a merge of several engines'
  // ops into one engine's order needs (runtime/engine/partitioned.h).
  virtual void write_op(int32_t destination, int64_t ts, std::string_view profile, std::string_view line) {
    (void)ts;
    (void)profile;
    write(destination, line);
  }
  virtual void flush() {}
};

}  // namespace seg::rt
