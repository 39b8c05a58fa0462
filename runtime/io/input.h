#pragma once
// Input lines (RUNTIME.md §2): each line is rejected, ignored, blank or applied, and the
// reason is counted. Parsing uses simdjson; values are checked against the schema.
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "compiler/ir/ir.h"
#include "runtime/engine/record.h"

namespace seg::rt {

enum class LineKind : uint8_t { Applied, Ignored, Rejected, Blank };

struct LineResult {
  LineKind kind = LineKind::Blank;
  const char* cause = "";  // a stable short code for counting (rejected / ignored)
  std::string reason;      // rejected: a readable explanation
  int dropped_traits = 0, dropped_props = 0;
};

class InputParser {
 public:
  InputParser(const ir::Bundle& b, StringPool& strings, SetPool& sets);
  ~InputParser();
  // `line` is one input line without its terminator.
  LineResult parse(std::string_view line, Record& out);
  // Lines dated after `max_ts` are rejected as `future_timestamp` (the wall clock plus
  // --max-future); INT64_MAX, the default, accepts any time.
  void set_max_timestamp(int64_t max_ts);
  // Intern into other pools from now on (--threads: a pool per batch).
  void set_pools(StringPool& strings, SetPool& sets);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seg::rt
