// Checkpoints (issue 3): the engine's whole state in one binary file, so a later run can
// `--resume` and produce the same ops as one long run. Little-endian, versioned, with the
// bundle revision: a checkpoint is only resumed by the rules that wrote it.
#include <cstring>
#include <functional>

#include "runtime/engine/engine.h"

namespace seg::rt {

namespace {

constexpr char kMagic[8] = {'S', 'E', 'G', 'S', 'T', 'A', 'T', 'E'};
constexpr uint32_t kVersion = 2;  // 2: slots without events are one byte

struct Writer {
  std::string& out;
  template <typename T>
  void pod(const T& v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void str(std::string_view s) {
    pod(static_cast<uint64_t>(s.size()));
    out.append(s);
  }
  void value(const Value& v) {
    pod(static_cast<uint8_t>(v.tag));
    // The union's 8 bytes, with a bool widened so no stale byte is written.
    pod(v.tag == Tag::Bool ? int64_t{v.b} : v.tag == Tag::Missing ? int64_t{0} : v.i);
  }
  template <typename T>
  void pods(const std::vector<T>& v) {
    pod(static_cast<uint64_t>(v.size()));
    for (const T& x : v) pod(x);
  }
  void values(const std::vector<Value>& v) {
    pod(static_cast<uint64_t>(v.size()));
    for (const Value& x : v) value(x);
  }
  void entry(const Entry& e) {
    pod(e.ts);
    pod(e.arrival);
    values(e.props);
  }
};

struct Reader {
  std::string_view in;
  size_t pos = 0;
  bool ok = true;
  template <typename T>
  T pod() {
    T v{};
    if (pos + sizeof v > in.size()) {
      ok = false;
      return v;
    }
    std::memcpy(&v, in.data() + pos, sizeof v);
    pos += sizeof v;
    return v;
  }
  uint64_t count() {
    uint64_t n = pod<uint64_t>();
    if (n > in.size()) ok = false;  // every element takes at least a byte
    return ok ? n : 0;
  }
  std::string_view str() {
    uint64_t n = count();
    if (pos + n > in.size()) {
      ok = false;
      return {};
    }
    std::string_view s = in.substr(pos, n);
    pos += n;
    return s;
  }
  Value value() {
    Value v;
    uint8_t tag = pod<uint8_t>();
    v.i = pod<int64_t>();
    if (tag == static_cast<uint8_t>(Tag::Bool)) v.b = v.i != 0;
    if (tag > static_cast<uint8_t>(Tag::Set)) ok = false;  // events are never part of the state
    v.tag = static_cast<Tag>(tag);
    return v;
  }
  template <typename T>
  std::vector<T> pods() {
    std::vector<T> v(count());
    for (T& x : v) x = pod<T>();
    return v;
  }
  std::vector<Value> values() {
    std::vector<Value> v(count());
    for (Value& x : v) x = value();
    return v;
  }
  Entry entry(const std::function<void(const std::vector<Value>&)>& check) {
    Entry e;
    e.ts = pod<int64_t>();
    e.arrival = pod<uint64_t>();
    e.props = values();
    check(e.props);
    return e;
  }
};

}  // namespace

void Engine::save(std::string& out) const {
  out.clear();
  Writer w{out};
  out.append(kMagic, sizeof kMagic);
  w.pod(kVersion);
  w.str(b_.revision);
  w.pod(watermark_);
  w.pod(static_cast<uint8_t>(started_));
  w.pod(arrival_);
  w.pod(static_cast<uint64_t>(strings_.size()));
  for (size_t i = 0; i < strings_.size(); ++i) w.str(strings_.get(static_cast<uint32_t>(i)));
  w.pod(static_cast<uint64_t>(sets_.size()));
  for (size_t i = 0; i < sets_.size(); ++i) w.pods(sets_.get(static_cast<uint32_t>(i)));
  w.pod(static_cast<uint64_t>(profiles_.size()));
  for (const Profile& p : profiles_) {
    w.pod(p.id);
    w.values(p.attrs);
    w.pod(static_cast<uint64_t>(p.slots.size()));
    for (const SlotState& slot : p.slots) {
      // A slot that never saw an event is its count and one byte.
      w.pod(slot.count);
      w.pod(static_cast<uint8_t>(slot.data != nullptr));
      if (!slot.data) continue;
      const SlotData& s = *slot.data;
      w.pods(s.sum);
      w.pods(s.n);
      w.values(s.min);
      w.values(s.max);
      w.pod(static_cast<uint8_t>(s.has_first));
      w.entry(s.first);
      w.pod(static_cast<uint8_t>(s.has_last));
      w.entry(s.last);
      w.pod(static_cast<uint64_t>(s.entries.size()));
      for (const Entry& e : s.entries) w.entry(e);
    }
    w.pods(p.member);
    // Field by field: struct padding must not reach the file (it would not be byte-stable).
    w.pod(static_cast<uint64_t>(p.ttl.size()));
    for (const TtlState& t : p.ttl) {
      w.pod(t.entered);
      w.pod(static_cast<uint8_t>(t.blocked));
    }
    w.pod(static_cast<uint64_t>(p.sent.size()));
    for (const SentState& s : p.sent) {
      w.pod(s.keys);
      w.pod(s.fields);
      w.pod(static_cast<uint8_t>(s.sent | (s.unmatched << 1)));
    }
    w.pods(p.seq);
    w.pod(p.deadline);
  }
  for (const AudienceStats& s : aud_stats_) w.pod(s.members);
  for (const DestinationStats& s : dest_stats_) w.pod(s.unmatched);
}

bool Engine::load(std::string_view in, std::string& error) {
  Reader r{in};
  if (in.size() < sizeof kMagic || std::memcmp(in.data(), kMagic, sizeof kMagic) != 0) {
    error = "not a seg checkpoint (bad magic number)";
    return false;
  }
  r.pos = sizeof kMagic;
  uint32_t version = r.pod<uint32_t>();
  if (version != kVersion) {
    error = "checkpoint format version " + std::to_string(version) + " is not supported (this seg reads " +
            std::to_string(kVersion) + ")";
    return false;
  }
  std::string_view revision = r.str();
  if (revision != b_.revision) {
    error = "checkpoint was written by other rules (bundle " + std::string(revision) + ", these are " +
            b_.revision + "); rule changes on resume arrive with bundles";
    return false;
  }
  watermark_ = r.pod<int64_t>();
  started_ = r.pod<uint8_t>() != 0;
  arrival_ = r.pod<uint64_t>();
  uint64_t nstrings = r.count();
  for (uint64_t i = 0; i < nstrings && r.ok; ++i) {
    // The bundle's constants were interned first, in the same order, by the same rules.
    if (strings_.intern(r.str()) != i) r.ok = false;
  }
  uint64_t nsets = r.count();
  for (uint64_t i = 0; i < nsets && r.ok; ++i) {
    auto items = r.pods<uint32_t>();
    for (uint32_t id : items)
      if (id >= strings_.size()) r.ok = false;
    if (r.ok && sets_.intern(std::move(items)) != i) r.ok = false;
  }
  // Every interned reference must point into the pools just read.
  auto valid = [&](const std::vector<Value>& vs) {
    for (const Value& v : vs) {
      if (v.tag == Tag::String && v.id >= strings_.size()) r.ok = false;
      if (v.tag == Tag::Set && v.id >= sets_.size()) r.ok = false;
    }
  };
  uint64_t nprofiles = r.count();
  profiles_.clear();
  index_.clear();
  for (uint64_t i = 0; i < nprofiles && r.ok; ++i) {
    uint32_t id = r.pod<uint32_t>();
    if (id >= strings_.size()) {
      r.ok = false;
      break;
    }
    Profile p = interp_.make_profile(id);
    p.dest_cache.resize(b_.destinations.size());
    p.attrs = r.values();
    valid(p.attrs);
    uint64_t nslots = r.count();
    if (nslots != p.slots.size()) r.ok = false;
    for (uint64_t k = 0; k < nslots && r.ok; ++k) {
      SlotState& slot = p.slots[k];
      slot.count = r.pod<int64_t>();
      if (r.pod<uint8_t>() == 0) continue;
      SlotData& s = slot.ensure();
      s.sum = r.pods<double>();
      s.n = r.pods<int64_t>();
      s.min = r.values();
      s.max = r.values();
      valid(s.min);
      valid(s.max);
      s.has_first = r.pod<uint8_t>() != 0;
      s.first = r.entry(valid);
      s.has_last = r.pod<uint8_t>() != 0;
      s.last = r.entry(valid);
      uint64_t n = r.count();
      for (uint64_t e = 0; e < n && r.ok; ++e) s.entries.push_back(r.entry(valid));
      // Derived, not stored: entries are ordered, and with none left nothing is in a window.
      if (!s.entries.empty()) slot.newest_ts = s.entries.back().ts;
      if (s.has_last) slot.newest_ts = s.last.ts;  // all-time slots: last/first by timestamp
      if (s.has_first) slot.first_ts = s.first.ts;
      // Shapes must match the layout, or evaluation would read out of bounds.
      size_t np = b_.slots[k].props.size();
      bool all_time = b_.slots[k].kind == ir::SlotKind::AllTime;
      size_t totals = s.n.size();  // 0 until the slot's first event
      if ((all_time && ((totals != np && totals != 0) || s.sum.size() != totals || s.min.size() != totals ||
                        s.max.size() != totals)) ||
          (s.has_first && s.first.props.size() != np) || (s.has_last && s.last.props.size() != np))
        r.ok = false;
      for (const Entry& e : s.entries)
        if (e.props.size() != np) r.ok = false;
    }
    p.member = r.pods<uint64_t>();
    p.ttl.resize(r.count());
    for (TtlState& t : p.ttl) {
      t.entered = r.pod<int64_t>();
      t.blocked = r.pod<uint8_t>() != 0;
    }
    p.sent.resize(r.count());
    for (SentState& s : p.sent) {
      s.keys = r.pod<uint32_t>();
      s.fields = r.pod<uint32_t>();
      uint8_t flags = r.pod<uint8_t>();
      s.sent = flags & 1;
      s.unmatched = (flags >> 1) & 1;
      if (s.keys >= strings_.size() || s.fields >= strings_.size()) r.ok = false;
    }
    p.seq = r.pods<uint64_t>();
    p.deadline = r.pod<int64_t>();
    if (p.attrs.size() != b_.attributes.size() || p.member.size() != p.holdout.size() ||
        p.ttl.size() != static_cast<size_t>(b_.ttl_count) || p.sent.size() != static_cast<size_t>(b_.sent_count) ||
        p.seq.size() != b_.destinations.size())
      r.ok = false;
    set_index(id, static_cast<int32_t>(profiles_.size()));
    profiles_.push_back(std::move(p));
    if (profiles_.back().deadline != kNever) timers_.push({profiles_.back().deadline, static_cast<int32_t>(profiles_.size() - 1)});
  }
  for (AudienceStats& s : aud_stats_) s.members = r.pod<int64_t>();
  for (DestinationStats& s : dest_stats_) s.unmatched = r.pod<int64_t>();
  if (!r.ok || r.pos != in.size()) {
    error = "checkpoint is truncated or corrupt";
    return false;
  }
  return true;
}

}  // namespace seg::rt
