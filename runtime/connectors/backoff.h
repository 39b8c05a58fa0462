#pragma once
// The wait before a retry (RUNTIME.md §4), one rule for every connector and platform
// call: exponential backoff from base_ms, capped at max_ms, with full jitter over the
// upper half, and at least what the endpoint asked for (Retry-After).
#include <cstdint>

namespace seg::rt {

class Backoff {
 public:
  // Sleeps as a retry should after `attempt` failures (1: the first).
  void wait(int attempt, int64_t base_ms, int64_t max_ms, int64_t at_least_ms = -1);

 private:
  uint64_t jitter_ = 0x9e3779b97f4a7c15ull;  // xorshift state: no shared RNG between threads
};

}  // namespace seg::rt
