#pragma once
// One input record after validation (runtime/io/input.h), ready to apply.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/state/value.h"

namespace seg::rt {

enum class RecordKind : uint8_t { Identify, Track, Ignored };

struct Trait {
  int32_t attr = 0;
  Value value;  // missing: a null trait, which deletes the attribute
};

struct Record {
  RecordKind kind = RecordKind::Ignored;
  std::string profile;
  int64_t ts = 0;
  std::vector<Trait> traits;  // Identify
  int32_t event = -1;         // Track
  std::vector<Value> props;   // Track: every declared property, missing when absent
};

}  // namespace seg::rt
