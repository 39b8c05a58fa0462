#pragma once
// Per-profile state, shaped by the bundle's layout (RUNTIME.md §7): the kept attributes,
// one aggregate state per slot, membership and holdout bits, TTL states, what each
// destination audience was last sent, and the op counters.
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "runtime/state/value.h"

namespace seg::rt {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

struct Entry {  // one recorded event: when, arrival order, the properties queries read
  int64_t ts = 0;
  uint64_t arrival = 0;
  std::vector<Value> props;  // parallel to Slot::props
};

// A window's entries, oldest first. A vector with a moving head: no allocation until
// the first entry (a std::deque allocates on construction, for every slot of every
// profile), and pop_front is O(1) amortised.
class EntryQueue {
 public:
  using iterator = std::vector<Entry>::iterator;
  bool empty() const { return head_ == v_.size(); }
  size_t size() const { return v_.size() - head_; }
  Entry& front() { return v_[head_]; }
  Entry& back() { return v_.back(); }
  iterator begin() { return v_.begin() + static_cast<std::ptrdiff_t>(head_); }
  iterator end() { return v_.end(); }
  std::vector<Entry>::const_iterator begin() const { return v_.begin() + static_cast<std::ptrdiff_t>(head_); }
  std::vector<Entry>::const_iterator end() const { return v_.end(); }
  void push_back(Entry e) { v_.push_back(std::move(e)); }
  void insert(iterator pos, Entry e) { v_.insert(pos, std::move(e)); }
  const std::vector<Entry>& storage() const { return v_; }  // for state size reports
  void pop_front() {
    if (++head_ == v_.size()) {
      v_.clear();
      head_ = 0;
    } else if (head_ >= 32 && head_ * 2 >= v_.size()) {
      v_.erase(v_.begin(), v_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

 private:
  std::vector<Entry> v_;
  size_t head_ = 0;
};

// What a slot keeps beyond its count: allocated on the slot's first event, because with
// hundreds of segments most slots of most profiles never see one.
struct SlotData {
  // All-time slots: running totals. Per kept property: sum and count of present values,
  // min and max.
  std::vector<double> sum;
  std::vector<int64_t> n;
  std::vector<Value> min, max;
  bool has_first = false, has_last = false;
  Entry first, last;
  // Window and history slots: entries ordered by (ts, arrival).
  EntryQueue entries;
};

struct SlotState {
  // Read by JIT-compiled code at fixed offsets (stdlib/abi.h): keep these three first.
  // All-time slots: how many events. newest_ts: the newest recorded event's timestamp
  // (INT64_MIN when none), so "any in the window" is newest_ts > now - D without pruning
  // and last(E).time needs no entry; first_ts: all-time slots' oldest (INT64_MAX: none).
  int64_t count = 0;
  int64_t newest_ts = INT64_MIN;
  int64_t first_ts = INT64_MAX;
  std::unique_ptr<SlotData> data;  // null until the first event

  SlotState() = default;
  SlotState(const SlotState& o)
      : count(o.count), newest_ts(o.newest_ts), first_ts(o.first_ts), data(o.data ? std::make_unique<SlotData>(*o.data) : nullptr) {}
  SlotState& operator=(const SlotState& o) {
    if (this != &o) *this = SlotState(o);
    return *this;
  }
  SlotState(SlotState&&) noexcept = default;
  SlotState& operator=(SlotState&&) noexcept = default;

  SlotData& ensure() {
    if (!data) data = std::make_unique<SlotData>();
    return *data;
  }
  // Read access: an empty SlotData for a slot that never saw an event.
  const SlotData& view() const;
};

inline const SlotData& SlotState::view() const {
  static const SlotData empty;
  return data ? *data : empty;
}

struct TtlState {
  int64_t entered = 0;
  bool blocked = false;  // the TTL ran out while `when` held: no re-entry until it stops
};

struct SentState {  // what one destination audience holds for this profile
  uint32_t keys = 0;    // interned JSON object of the keys last sent
  uint32_t fields = 0;  // interned JSON object of the fields last sent
  bool sent = false;
  bool unmatched = false;  // a member that gets nothing for want of a usable key
};

// One `measure` block's facts about this profile (RUNTIME.md §9): exposed at its first
// entry into the audience, in the arm its holdout flag gave then; converted at most once.
struct MeasureState {
  int64_t exposed = kNever;  // the instant of first entry
  bool holdout = false;
  bool converted = false;
  double value = 0;  // the `value` property summed over converting events in the window
};

// Keys and fields depend only on the attributes: computed once per attribute version.
struct DestCache {
  uint32_t version = 0;
  uint32_t keys = 0, fields = 0;
};

struct Profile {
  uint32_t id = 0;  // interned key
  std::vector<Value> attrs;  // by bundle attribute index (only kept ones are ever set)
  std::vector<SlotState> slots;
  std::vector<uint64_t> member, holdout;  // bitsets over audiences
  std::vector<TtlState> ttl;
  std::vector<SentState> sent;
  std::vector<uint64_t> seq;  // per destination: ops written so far (op_id's seq)
  std::vector<MeasureState> measures;  // per measure block (empty when the rules have none)
  int64_t deadline = kNever;
  uint32_t attr_version = 1;        // bumped by every applied identify (not checkpointed)
  std::vector<DestCache> dest_cache;  // per destination
  uint64_t touched_epoch = 0;  // the instant this profile was last marked touched
  bool record_applied = false; // a record of this profile was applied this instant

  bool bit(const std::vector<uint64_t>& v, int32_t i) const { return (v[i >> 6] >> (i & 63)) & 1; }
  static void set_bit(std::vector<uint64_t>& v, int32_t i, bool on) {
    if (on) v[i >> 6] |= uint64_t{1} << (i & 63);
    else v[i >> 6] &= ~(uint64_t{1} << (i & 63));
  }
};

}  // namespace seg::rt
