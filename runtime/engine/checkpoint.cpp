// Checkpoints (issue 3): the engine's whole state in one binary file, so a later run can
// `--resume` and produce the same ops as one long run. Little-endian, versioned, with the
// bundle revision and (from version 3) the state's layout by names, so that other rules
// can resume it: the state is then migrated (runtime/state/migration.h) and every
// profile re-evaluated (issue 5).
#include <functional>
#include <type_traits>

#include "compiler/binary/codec.h"
#include "runtime/engine/engine.h"
#include "runtime/state/migration.h"

namespace seg::rt {

namespace {

constexpr char kMagic[8] = {'S', 'E', 'G', 'S', 'T', 'A', 'T', 'E'};
// 2: slots without events are one byte; 3: the layout; 4: the layout's measures, and a
// profile's measure states after its deadline (none when the rules have no measures, so a
// version-3 profile record reads the same).
constexpr uint32_t kVersion = 4;

// The checkpoint's conventions over the shared codec (compiler/binary/codec.h): u64
// lengths and counts; a Value is its tag and its union's 8 bytes.
struct Out : binary::Writer {
  using Writer::Writer;
  void value(const Value& v) {
    u8(static_cast<uint8_t>(v.tag));
    // The union's 8 bytes, with a bool widened so no stale byte is written.
    i64(v.tag == Tag::Bool ? int64_t{v.b} : v.tag == Tag::Missing ? int64_t{0} : v.i);
  }
  template <typename T>
  void fixed(T v) {
    static_assert(std::is_same_v<T, double> || (std::is_integral_v<T> && (sizeof(T) == 4 || sizeof(T) == 8)));
    if constexpr (std::is_same_v<T, double>) f64(v);
    else if constexpr (sizeof(T) == 8) u64(static_cast<uint64_t>(v));
    else u32(static_cast<uint32_t>(v));
  }
  template <typename T>
  void list(const std::vector<T>& v) {
    count64(v.size());
    for (const T& x : v) fixed(x);
  }
  void values(const std::vector<Value>& v) {
    count64(v.size());
    for (const Value& x : v) value(x);
  }
  void entry(const Entry& e) {
    i64(e.ts);
    u64(e.arrival);
    values(e.props);
  }
};

// The smallest number of bytes each item of a list takes: counts are bounded by them.
constexpr size_t kValueBytes = 9;            // tag, 8 bytes
constexpr size_t kEntryBytes = 8 + 8 + 8;    // ts, arrival, property count
constexpr size_t kSlotBytes = 8 + 1;         // count, "has data"
constexpr size_t kProfileBytes = 4 + 8 * 7;  // id, 6 counts, deadline

struct In : binary::Reader {
  using Reader::Reader;
  std::string_view str() { return str64(); }
  size_t count(size_t each) { return count64(each); }
  bool flag() { return u8() != 0; }
  Value value() {
    Value v;
    uint8_t tag = u8();
    v.i = i64();
    if (tag == static_cast<uint8_t>(Tag::Bool)) v.b = v.i != 0;
    if (tag > static_cast<uint8_t>(Tag::Set))  // events are never part of the state
      fail("value tag " + std::to_string(tag) + " out of range");
    v.tag = static_cast<Tag>(tag);
    return v;
  }
  template <typename T>
  T fixed() {
    static_assert(std::is_same_v<T, double> || (std::is_integral_v<T> && (sizeof(T) == 4 || sizeof(T) == 8)));
    if constexpr (std::is_same_v<T, double>) return f64();
    else if constexpr (sizeof(T) == 8) return static_cast<T>(u64());
    else return static_cast<T>(u32());
  }
  template <typename T>
  std::vector<T> list() {
    std::vector<T> v(count(sizeof(T)));
    for (T& x : v) x = fixed<T>();
    return v;
  }
  std::vector<Value> values() {
    std::vector<Value> v(count(kValueBytes));
    for (Value& x : v) x = value();
    return v;
  }
  Entry entry(const std::function<void(std::vector<Value>&)>& check) {
    Entry e;
    e.ts = i64();
    e.arrival = u64();
    e.props = values();
    check(e.props);
    return e;
  }
};

void write_layout(Out& w, const StateLayout& l) {
  w.count64(l.attributes.size());
  for (const std::string& a : l.attributes) w.str64(a);
  w.count64(l.slots.size());
  for (const SlotShape& s : l.slots) {
    w.str64(s.what);
    w.u8(s.kind);
    w.i64(s.window_ms);
    w.u8(static_cast<uint8_t>(s.latest_only));
    w.i32(s.cap);
    w.count64(s.props.size());
    for (const std::string& p : s.props) w.str64(p);
  }
  w.count64(l.audiences.size());
  for (size_t i = 0; i < l.audiences.size(); ++i) {
    w.str64(l.audiences[i]);
    w.i32(l.ttl_slot[i]);
  }
  w.count64(l.destinations.size());
  for (const DestShape& d : l.destinations) {
    w.str64(d.name);
    w.str64(d.downstream);
    w.str64(d.keys);
    w.count64(d.audiences.size());
    for (const std::string& a : d.audiences) w.str64(a);
  }
  w.count64(l.measures.size());
  for (const std::string& m : l.measures) w.str64(m);
}

StateLayout read_layout(In& r, uint32_t version) {
  StateLayout l;
  l.attributes.resize(r.count(8));
  for (std::string& a : l.attributes) a = r.str();
  l.slots.resize(r.count(8 + 1 + 8 + 1 + 4 + 8));
  for (SlotShape& s : l.slots) {
    s.what = r.str();
    s.kind = r.u8();
    s.window_ms = r.i64();
    s.latest_only = r.flag();
    s.cap = r.i32();
    s.props.resize(r.count(8));
    for (std::string& p : s.props) p = r.str();
    if (s.kind > static_cast<uint8_t>(ir::SlotKind::History)) r.fail("slot kind " + std::to_string(s.kind) + " out of range");
    if (s.cap < 0) r.fail("negative slot cap");
  }
  l.audiences.resize(r.count(8 + 4));
  l.ttl_slot.resize(l.audiences.size());
  int32_t ttls = 0;
  for (size_t i = 0; i < l.audiences.size(); ++i) {
    l.audiences[i] = r.str();
    l.ttl_slot[i] = r.i32();
    if (l.ttl_slot[i] >= 0) ++ttls;
  }
  for (int32_t t : l.ttl_slot)
    if (t >= ttls) r.fail("TTL state " + std::to_string(t) + " out of range");
  l.destinations.resize(r.count(8 * 4));
  for (DestShape& d : l.destinations) {
    d.name = r.str();
    d.downstream = r.str();
    d.keys = r.str();
    d.audiences.resize(r.count(8));
    for (std::string& a : d.audiences) a = r.str();
  }
  if (version >= 4) {
    l.measures.resize(r.count(8));
    for (std::string& m : l.measures) m = r.str();
  }
  return l;
}

size_t ttl_count(const StateLayout& l) {
  size_t n = 0;
  for (int32_t t : l.ttl_slot) n += t >= 0;
  return n;
}

// One profile's record, as the checkpoint and the durable state (runtime/store) hold it.
void write_profile(Out& w, const Profile& p) {
  w.u32(p.id);
  w.values(p.attrs);
  w.count64(p.slots.size());
  for (const SlotState& slot : p.slots) {
    // A slot that never saw an event is its count and one byte.
    w.i64(slot.count);
    w.u8(static_cast<uint8_t>(slot.data != nullptr));
    if (!slot.data) continue;
    const SlotData& s = *slot.data;
    w.list(s.sum);
    w.list(s.n);
    w.values(s.min);
    w.values(s.max);
    w.u8(static_cast<uint8_t>(s.has_first));
    w.entry(s.first);
    w.u8(static_cast<uint8_t>(s.has_last));
    w.entry(s.last);
    w.count64(s.entries.size());
    for (const Entry& e : s.entries) w.entry(e);
  }
  w.list(p.member);
  // Field by field: struct padding must not reach the file (it would not be byte-stable).
  w.count64(p.ttl.size());
  for (const TtlState& t : p.ttl) {
    w.i64(t.entered);
    w.u8(static_cast<uint8_t>(t.blocked));
  }
  w.count64(p.sent.size());
  for (const SentState& s : p.sent) {
    w.u32(s.keys);
    w.u32(s.fields);
    w.u8(static_cast<uint8_t>(s.sent | (s.unmatched << 1)));
  }
  w.list(p.seq);
  w.i64(p.deadline);
  for (const MeasureState& m : p.measures) {  // as many as the layout has measures
    w.i64(m.exposed);
    w.u8(static_cast<uint8_t>(m.holdout | (m.converted << 1)));
    w.f64(m.value);
  }
}

}  // namespace

void Engine::save(std::string& out) const { save_impl(out, nullptr); }

std::string Engine::head_bytes() const {
  Out w;
  w.bytes({kMagic, sizeof kMagic});
  w.u32(kVersion);
  w.str64(b_.revision);
  write_layout(w, describe_layout(b_));
  w.i64(watermark_);
  w.u8(static_cast<uint8_t>(started_));
  w.u64(arrival_);
  return w.take();
}

std::string Engine::tail_bytes() const {
  Out w;
  for (const AudienceStats& s : aud_stats_) w.i64(s.members);
  for (const DestinationStats& s : dest_stats_) w.i64(s.unmatched);
  return w.take();
}

CheckpointParts Engine::save_parts(bool all) {
  CheckpointParts parts;
  parts.head = head_bytes();
  parts.tail = tail_bytes();
  Out w;
  if (all) {
    dirty_.clear();
    for (size_t i = 0; i < profiles_.size(); ++i) dirty_.push_back(static_cast<int32_t>(i));
  }
  std::sort(dirty_.begin(), dirty_.end());
  for (int32_t pi : dirty_) {
    write_profile(w, profiles_[pi]);
    parts.profiles.emplace_back(pi, w.take());
  }
  dirty_.clear();
  dirty_epoch_ = epoch_;
  return parts;
}

std::string Engine::save_set(uint32_t i) const {
  Out w;
  w.list(sets_.get(i));
  return w.take();
}

std::string assemble_checkpoint(const CheckpointParts& parts, const std::vector<std::string>& strings,
                                const std::vector<std::string>& sets) {
  size_t n = parts.head.size() + parts.tail.size() + 24;
  for (const auto& s : strings) n += 8 + s.size();
  for (const auto& s : sets) n += s.size();
  for (const auto& [pi, p] : parts.profiles) n += p.size();
  Out w;
  w.reserve(n);
  w.bytes(parts.head);
  w.count64(strings.size());
  for (const auto& s : strings) w.str64(s);
  w.count64(sets.size());
  for (const auto& s : sets) w.bytes(s);
  w.count64(parts.profiles.size());
  for (const auto& [pi, p] : parts.profiles) w.bytes(p);
  w.bytes(parts.tail);
  return w.take();
}

bool Engine::save_to(const std::function<bool(std::string_view)>& write) const {
  std::string buffer;
  return save_impl(buffer, &write);
}

// With `write`, the bytes go out in chunks of about 8 MB as the profiles are written, so
// a checkpoint of a million profiles does not sit in memory beside the state it copies.
bool Engine::save_impl(std::string& out, const std::function<bool(std::string_view)>* write) const {
  constexpr size_t kChunk = size_t{8} << 20;
  Out w(std::move(out));  // reuses the last checkpoint's buffer
  // Reserved up front: growing a gigabyte string by doubling copies it several times.
  size_t estimate = 4096 + profiles_.size() * (64 + 24 * b_.slots.size() + 24 * static_cast<size_t>(b_.sent_count));
  for (size_t i = 0; i < strings_.size(); ++i) estimate += 8 + strings_.get(static_cast<uint32_t>(i)).size();
  w.reserve(write ? std::min(estimate, 2 * kChunk) : estimate);
  auto flush = [&]() {
    std::string chunk = w.take();
    bool ok = (*write)(chunk);
    w = Out(std::move(chunk));  // the same storage, emptied
    return ok;
  };
  w.bytes(head_bytes());
  w.count64(strings_.size());
  for (size_t i = 0; i < strings_.size(); ++i) w.str64(strings_.get(static_cast<uint32_t>(i)));
  w.count64(sets_.size());
  for (size_t i = 0; i < sets_.size(); ++i) w.list(sets_.get(static_cast<uint32_t>(i)));
  w.count64(profiles_.size());
  for (const Profile& p : profiles_) {
    if (write && w.size() >= kChunk && !flush()) return false;
    write_profile(w, p);
  }
  w.bytes(tail_bytes());
  if (write) return flush();
  out = w.take();
  return true;
}

namespace {

// Reads one profile shaped by `l` (the layout that wrote it), checking every size and
// mapping every interned reference through `fix` (false: a reference out of range).
// False with the error kept in `r`.
bool read_profile(In& r, const StateLayout& l, Profile& p, const std::function<bool(Value&)>& fix,
                  const std::function<bool(uint32_t&)>& fix_id) {
  auto fix_all = [&](std::vector<Value>& vs) {
    for (Value& v : vs)
      if (!fix(v)) r.fail("a string or set reference out of range");
  };
  p.id = r.u32();
  if (!fix_id(p.id)) return r.fail("profile key reference out of range");
  p.attrs = r.values();
  fix_all(p.attrs);
  if (r.count(kSlotBytes) != l.slots.size()) return r.fail("profile's slot count does not match the layout");
  p.slots.assign(l.slots.size(), SlotState{});
  for (size_t k = 0; k < l.slots.size() && r.ok(); ++k) {
    SlotState& slot = p.slots[k];
    slot.count = r.i64();
    if (!r.flag()) continue;
    SlotData& s = slot.ensure();
    s.sum = r.list<double>();
    s.n = r.list<int64_t>();
    s.min = r.values();
    s.max = r.values();
    fix_all(s.min);
    fix_all(s.max);
    s.has_first = r.flag();
    s.first = r.entry(fix_all);
    s.has_last = r.flag();
    s.last = r.entry(fix_all);
    size_t n = r.count(kEntryBytes);
    for (size_t e = 0; e < n && r.ok(); ++e) s.entries.push_back(r.entry(fix_all));
    // Derived, not stored: entries are ordered, and with none left nothing is in a window.
    if (!s.entries.empty()) slot.newest_ts = s.entries.back().ts;
    if (s.has_last) slot.newest_ts = s.last.ts;  // all-time slots: last/first by timestamp
    if (s.has_first) slot.first_ts = s.first.ts;
    // Shapes must match the layout, or evaluation would read out of bounds.
    size_t np = l.slots[k].props.size();
    bool all_time = l.slots[k].kind == static_cast<uint8_t>(ir::SlotKind::AllTime);
    size_t totals = s.n.size();  // 0 until the slot's first event
    if ((all_time && ((totals != np && totals != 0) || s.sum.size() != totals || s.min.size() != totals ||
                      s.max.size() != totals)) ||
        (s.has_first && s.first.props.size() != np) || (s.has_last && s.last.props.size() != np))
      r.fail("slot " + std::to_string(k) + "'s state does not match the layout");
    for (const Entry& e : s.entries)
      if (e.props.size() != np) r.fail("slot " + std::to_string(k) + "'s entry does not match the layout");
  }
  p.member = r.list<uint64_t>();
  p.ttl.resize(r.count(8 + 1));
  for (TtlState& t : p.ttl) {
    t.entered = r.i64();
    t.blocked = r.flag();
  }
  p.sent.resize(r.count(4 + 4 + 1));
  for (SentState& s : p.sent) {
    s.keys = r.u32();
    s.fields = r.u32();
    uint8_t flags = r.u8();
    s.sent = flags & 1;
    s.unmatched = (flags >> 1) & 1;
    if (!fix_id(s.keys) || !fix_id(s.fields)) r.fail("a sent state's reference out of range");
  }
  p.seq = r.list<uint64_t>();
  p.deadline = r.i64();
  p.measures.resize(l.measures.size());
  for (MeasureState& m : p.measures) {
    m.exposed = r.i64();
    uint8_t flags = r.u8();
    m.holdout = flags & 1;
    m.converted = (flags >> 1) & 1;
    m.value = r.f64();
  }
  if (!r.ok()) return false;
  if (p.attrs.size() != l.attributes.size() || p.member.size() != (l.audiences.size() + 63) / 64 ||
      p.ttl.size() != ttl_count(l) || p.sent.size() != l.sent_count() || p.seq.size() != l.destinations.size())
    return r.fail("profile's state does not match the layout");
  return true;
}

}  // namespace

bool Engine::load(std::string_view in, std::string& error) {
  In r(in);
  if (r.bytes(sizeof kMagic) != std::string_view(kMagic, sizeof kMagic)) {
    error = "not a seg checkpoint (bad magic number)";
    return false;
  }
  uint32_t version = r.u32();
  if (version < 2 || version > kVersion) {
    error = "checkpoint format version " + std::to_string(version) + " is not supported (this seg reads 2 to " +
            std::to_string(kVersion) + ")";
    return false;
  }
  std::string revision(r.str());
  bool same_rules = revision == b_.revision;
  StateLayout layout;
  if (version >= 3) {
    layout = read_layout(r, version);
  } else if (same_rules) {
    layout = describe_layout(b_);  // version 2 did not record it: the rules that wrote it say it
  } else {
    error = "checkpoint format version 2 (bundle " + revision +
            ") does not record its layout, so other rules cannot take it over; resume it once with the rules "
            "that wrote it to rewrite it in version " + std::to_string(kVersion);
    return false;
  }
  if (!r.ok()) {
    error = "checkpoint is truncated or corrupt: " + r.error();
    return false;
  }
  Migration plan = plan_migration(layout, b_);
  bool plain_resume = same_rules && plan.identity;
  rule_change_.reset();
  if (!plain_resume) rule_change_ = std::make_unique<RuleChange>(RuleChange{revision, std::move(plan), {}, 0, 0});
  watermark_ = r.i64();
  started_ = r.flag();
  arrival_ = r.u64();
  // Interned strings are renumbered into this engine's pool (which holds these rules'
  // constants first); with the same rules the numbering comes out unchanged.
  size_t nstrings = r.count(8);
  std::vector<uint32_t> string_id(nstrings);
  for (size_t i = 0; i < nstrings && r.ok(); ++i) string_id[i] = strings_.intern(r.str());
  size_t nsets = r.count(8);
  std::vector<uint32_t> set_id(nsets);
  for (size_t i = 0; i < nsets && r.ok(); ++i) {
    auto items = r.list<uint32_t>();
    for (uint32_t& id : items) {
      if (id >= nstrings) r.fail("set item " + std::to_string(id) + " is not a string");
      else id = string_id[id];
    }
    if (r.ok()) set_id[i] = sets_.intern(std::move(items));
  }
  auto fix_id = [&](uint32_t& id) {
    if (id >= nstrings) return false;
    id = string_id[id];
    return true;
  };
  auto fix = [&](Value& v) {
    if (v.tag == Tag::String) return fix_id(v.id);
    if (v.tag == Tag::Set) {
      if (v.id >= nsets) return false;
      v.id = set_id[v.id];
    }
    return true;
  };
  size_t nprofiles = r.count(kProfileBytes);
  profiles_.clear();
  index_.clear();
  for (size_t i = 0; i < nprofiles && r.ok(); ++i) {
    Profile saved;
    if (!read_profile(r, layout, saved, fix, fix_id)) break;
    Profile p = interp_.make_profile(saved.id);
    p.dest_cache.resize(b_.destinations.size());
    if (!rule_change_ || rule_change_->plan.identity) {
      p.attrs = std::move(saved.attrs);
      p.slots = std::move(saved.slots);
      p.member = std::move(saved.member);
      p.ttl = std::move(saved.ttl);
      p.sent = std::move(saved.sent);
      p.seq = std::move(saved.seq);
      p.deadline = saved.deadline;
      p.measures = std::move(saved.measures);
    } else {
      migrate(*rule_change_, saved, p, static_cast<int32_t>(profiles_.size()));
    }
    set_index(p.id, static_cast<int32_t>(profiles_.size()));
    profiles_.push_back(std::move(p));
  }
  std::vector<int64_t> members(layout.audiences.size()), unmatched(layout.destinations.size());
  for (int64_t& n : members) n = r.i64();
  for (int64_t& n : unmatched) n = r.i64();
  if (!r.expect_end()) {
    error = "checkpoint is truncated or corrupt: " + r.error();
    rule_change_.reset();
    return false;
  }
  recount_measures();
  if (plain_resume) {
    for (size_t i = 0; i < aud_stats_.size(); ++i) aud_stats_[i].members = members[i];
    for (size_t i = 0; i < dest_stats_.size(); ++i) dest_stats_[i].unmatched = unmatched[i];
    for (size_t i = 0; i < profiles_.size(); ++i)
      if (profiles_[i].deadline != kNever) timers_.push({profiles_[i].deadline, static_cast<int32_t>(i)});
  }
  // Otherwise apply_rule_change() recomputes the statistics and deadlines.
  return true;
}

}  // namespace seg::rt
