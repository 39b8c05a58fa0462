// Retry waits with exponential backoff and jitter (backoff.h).
#include "runtime/connectors/backoff.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace seg::rt {

void Backoff::wait(int attempt, int64_t base_ms, int64_t max_ms, int64_t at_least_ms) {
  int64_t cap = std::min(max_ms, base_ms << std::min(attempt - 1, 20));
  jitter_ ^= jitter_ << 13, jitter_ ^= jitter_ >> 7, jitter_ ^= jitter_ << 17;
  int64_t wait = cap / 2 + static_cast<int64_t>(jitter_ % static_cast<uint64_t>(cap / 2 + 1));
  wait = std::max(wait, at_least_ms);  // the endpoint knows best
  std::this_thread::sleep_for(std::chrono::milliseconds(wait));
}

}  // namespace seg::rt
