// Checkpoints (issue 3): the engine's whole state in one binary file, so a later run can
// `--resume` and produce the same ops as one long run. Little-endian, versioned, with the
// bundle revision and (from version 3) the state's layout by names, so that other rules
// can resume it: the state is then migrated (runtime/state/migration.h) and every
// profile re-evaluated (issue 5).
#include <cstring>
#include <functional>

#include "runtime/engine/engine.h"
#include "runtime/state/migration.h"

namespace seg::rt {

namespace {

constexpr char kMagic[8] = {'S', 'E', 'G', 'S', 'T', 'A', 'T', 'E'};
constexpr uint32_t kVersion = 3;  // 2: slots without events are one byte; 3: the layout

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
  // A count of elements that take at least `each` bytes: never more than what is left,
  // so a corrupt count cannot ask for an allocation the file could not fill.
  uint64_t count(size_t each = 1) {
    uint64_t n = pod<uint64_t>();
    if (pos > in.size() || n > (in.size() - pos) / each) ok = false;
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
  Entry entry(const std::function<void(std::vector<Value>&)>& check) {
    Entry e;
    e.ts = pod<int64_t>();
    e.arrival = pod<uint64_t>();
    e.props = values();
    check(e.props);
    return e;
  }
};

void write_layout(Writer& w, const StateLayout& l) {
  w.pod(static_cast<uint64_t>(l.attributes.size()));
  for (const std::string& a : l.attributes) w.str(a);
  w.pod(static_cast<uint64_t>(l.slots.size()));
  for (const SlotShape& s : l.slots) {
    w.str(s.what);
    w.pod(s.kind);
    w.pod(s.window_ms);
    w.pod(static_cast<uint8_t>(s.latest_only));
    w.pod(s.cap);
    w.pod(static_cast<uint64_t>(s.props.size()));
    for (const std::string& p : s.props) w.str(p);
  }
  w.pod(static_cast<uint64_t>(l.audiences.size()));
  for (size_t i = 0; i < l.audiences.size(); ++i) {
    w.str(l.audiences[i]);
    w.pod(l.ttl_slot[i]);
  }
  w.pod(static_cast<uint64_t>(l.destinations.size()));
  for (const DestShape& d : l.destinations) {
    w.str(d.name);
    w.str(d.downstream);
    w.str(d.keys);
    w.pod(static_cast<uint64_t>(d.audiences.size()));
    for (const std::string& a : d.audiences) w.str(a);
  }
}

StateLayout read_layout(Reader& r) {
  StateLayout l;
  l.attributes.resize(r.count(8));
  for (std::string& a : l.attributes) a = r.str();
  l.slots.resize(r.count(8));
  for (SlotShape& s : l.slots) {
    s.what = r.str();
    s.kind = r.pod<uint8_t>();
    s.window_ms = r.pod<int64_t>();
    s.latest_only = r.pod<uint8_t>() != 0;
    s.cap = r.pod<int32_t>();
    s.props.resize(r.count(8));
    for (std::string& p : s.props) p = r.str();
    if (s.kind > static_cast<uint8_t>(ir::SlotKind::History) || s.cap < 0) r.ok = false;
  }
  l.audiences.resize(r.count(8));
  l.ttl_slot.resize(l.audiences.size());
  int32_t ttls = 0;
  for (size_t i = 0; i < l.audiences.size(); ++i) {
    l.audiences[i] = r.str();
    l.ttl_slot[i] = r.pod<int32_t>();
    if (l.ttl_slot[i] >= 0) ++ttls;
  }
  for (int32_t t : l.ttl_slot)
    if (t >= ttls) r.ok = false;
  l.destinations.resize(r.count(8));
  for (DestShape& d : l.destinations) {
    d.name = r.str();
    d.downstream = r.str();
    d.keys = r.str();
    d.audiences.resize(r.count(8));
    for (std::string& a : d.audiences) a = r.str();
  }
  return l;
}

size_t ttl_count(const StateLayout& l) {
  size_t n = 0;
  for (int32_t t : l.ttl_slot) n += t >= 0;
  return n;
}

}  // namespace

void Engine::save(std::string& out) const {
  out.clear();
  // Reserved up front: growing a gigabyte string by doubling copies it several times.
  size_t estimate = 4096 + profiles_.size() * (64 + 24 * b_.slots.size() + 24 * static_cast<size_t>(b_.sent_count));
  for (size_t i = 0; i < strings_.size(); ++i) estimate += 8 + strings_.get(static_cast<uint32_t>(i)).size();
  out.reserve(estimate);
  Writer w{out};
  out.append(kMagic, sizeof kMagic);
  w.pod(kVersion);
  w.str(b_.revision);
  write_layout(w, describe_layout(b_));
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

namespace {

// Reads one profile shaped by `l` (the layout that wrote it), checking every size and
// mapping every interned reference through `fix` (false: a reference out of range).
bool read_profile(Reader& r, const StateLayout& l, Profile& p, const std::function<bool(Value&)>& fix,
                  const std::function<bool(uint32_t&)>& fix_id) {
  auto fix_all = [&](std::vector<Value>& vs) {
    for (Value& v : vs)
      if (!fix(v)) r.ok = false;
  };
  p.id = r.pod<uint32_t>();
  if (!fix_id(p.id)) return false;
  p.attrs = r.values();
  fix_all(p.attrs);
  if (r.count() != l.slots.size()) return false;
  p.slots.assign(l.slots.size(), SlotState{});
  for (size_t k = 0; k < l.slots.size() && r.ok; ++k) {
    SlotState& slot = p.slots[k];
    slot.count = r.pod<int64_t>();
    if (r.pod<uint8_t>() == 0) continue;
    SlotData& s = slot.ensure();
    s.sum = r.pods<double>();
    s.n = r.pods<int64_t>();
    s.min = r.values();
    s.max = r.values();
    fix_all(s.min);
    fix_all(s.max);
    s.has_first = r.pod<uint8_t>() != 0;
    s.first = r.entry(fix_all);
    s.has_last = r.pod<uint8_t>() != 0;
    s.last = r.entry(fix_all);
    uint64_t n = r.count();
    for (uint64_t e = 0; e < n && r.ok; ++e) s.entries.push_back(r.entry(fix_all));
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
    if (!fix_id(s.keys) || !fix_id(s.fields)) r.ok = false;
  }
  p.seq = r.pods<uint64_t>();
  p.deadline = r.pod<int64_t>();
  return r.ok && p.attrs.size() == l.attributes.size() && p.member.size() == (l.audiences.size() + 63) / 64 &&
         p.ttl.size() == ttl_count(l) && p.sent.size() == l.sent_count() && p.seq.size() == l.destinations.size();
}

}  // namespace

bool Engine::load(std::string_view in, std::string& error) {
  Reader r{in};
  if (in.size() < sizeof kMagic || std::memcmp(in.data(), kMagic, sizeof kMagic) != 0) {
    error = "not a seg checkpoint (bad magic number)";
    return false;
  }
  r.pos = sizeof kMagic;
  uint32_t version = r.pod<uint32_t>();
  if (version != kVersion && version != 2) {
    error = "checkpoint format version " + std::to_string(version) + " is not supported (this seg reads 2 and " +
            std::to_string(kVersion) + ")";
    return false;
  }
  std::string revision(r.str());
  bool same_rules = revision == b_.revision;
  StateLayout layout;
  if (version >= 3) {
    layout = read_layout(r);
  } else if (same_rules) {
    layout = describe_layout(b_);  // version 2 did not record it: the rules that wrote it say it
  } else {
    error = "checkpoint format version 2 (bundle " + revision +
            ") does not record its layout, so other rules cannot take it over; resume it once with the rules "
            "that wrote it to rewrite it in version " + std::to_string(kVersion);
    return false;
  }
  if (!r.ok) {
    error = "checkpoint is truncated or corrupt";
    return false;
  }
  Migration plan = plan_migration(layout, b_);
  bool plain_resume = same_rules && plan.identity;
  rule_change_.reset();
  if (!plain_resume) rule_change_ = std::make_unique<RuleChange>(RuleChange{revision, std::move(plan), {}, 0, 0});
  watermark_ = r.pod<int64_t>();
  started_ = r.pod<uint8_t>() != 0;
  arrival_ = r.pod<uint64_t>();
  // Interned strings are renumbered into this engine's pool (which holds these rules'
  // constants first); with the same rules the numbering comes out unchanged.
  uint64_t nstrings = r.count(8);
  std::vector<uint32_t> string_id(nstrings);
  for (uint64_t i = 0; i < nstrings && r.ok; ++i) string_id[i] = strings_.intern(r.str());
  uint64_t nsets = r.count(8);
  std::vector<uint32_t> set_id(nsets);
  for (uint64_t i = 0; i < nsets && r.ok; ++i) {
    auto items = r.pods<uint32_t>();
    for (uint32_t& id : items) {
      if (id >= nstrings) r.ok = false;
      else id = string_id[id];
    }
    if (r.ok) set_id[i] = sets_.intern(std::move(items));
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
  uint64_t nprofiles = r.count();
  profiles_.clear();
  index_.clear();
  for (uint64_t i = 0; i < nprofiles && r.ok; ++i) {
    Profile saved;
    if (!read_profile(r, layout, saved, fix, fix_id)) {
      r.ok = false;
      break;
    }
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
    } else {
      migrate(*rule_change_, saved, p, static_cast<int32_t>(profiles_.size()));
    }
    set_index(p.id, static_cast<int32_t>(profiles_.size()));
    profiles_.push_back(std::move(p));
  }
  std::vector<int64_t> members(layout.audiences.size()), unmatched(layout.destinations.size());
  for (int64_t& n : members) n = r.pod<int64_t>();
  for (int64_t& n : unmatched) n = r.pod<int64_t>();
  if (!r.ok || r.pos != in.size()) {
    error = "checkpoint is truncated or corrupt";
    rule_change_.reset();
    return false;
  }
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
