// How many bytes an engine's state holds: what `seg bench run` and summary.json report
// per profile (issue 15 measures the state against 300 bytes per profile).
#include "runtime/engine/engine.h"

namespace seg::rt {
namespace {

constexpr int64_t kBlock = 16;  // glibc's per-allocation overhead, roughly

template <typename T>
int64_t heap(const std::vector<T>& v) {
  return v.capacity() ? static_cast<int64_t>(v.capacity() * sizeof(T)) + kBlock : 0;
}

int64_t entry_bytes(const Entry& e) { return heap(e.props); }

int64_t slot_bytes(const SlotState& s) {
  if (!s.data) return 0;
  const SlotData& d = *s.data;
  int64_t n = static_cast<int64_t>(sizeof(SlotData)) + kBlock;
  n += heap(d.sum) + heap(d.n) + heap(d.min) + heap(d.max);
  n += entry_bytes(d.first) + entry_bytes(d.last);
  n += heap(d.entries.storage());
  for (const Entry& e : d.entries.storage()) n += entry_bytes(e);
  return n;
}

// What a profile owns beyond its own struct (which the profile vector holds).
int64_t owned_bytes(const Profile& p) {
  int64_t n = 0;
  n += heap(p.attrs) + heap(p.slots) + heap(p.member) + heap(p.holdout) + heap(p.ttl) + heap(p.sent) +
       heap(p.seq) + heap(p.dest_cache);
  for (const SlotState& s : p.slots) n += slot_bytes(s);
  return n;
}

}  // namespace

StateSize Engine::state_size() const {
  StateSize s;
  s.profiles = heap(profiles_);
  for (const Profile& p : profiles_) s.profiles += owned_bytes(p);
  s.strings = static_cast<int64_t>(strings_.bytes() + sets_.bytes());
  s.index = heap(index_) + static_cast<int64_t>(timers_.size() * sizeof(Timer)) +
            static_cast<int64_t>(key_memo_.size() * (sizeof(uint64_t) + sizeof(uint32_t) + 24));
  return s;
}

}  // namespace seg::rt
