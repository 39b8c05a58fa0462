// Instant-by-instant processing (RUNTIME.md §3). For each instant t in increasing order:
// the profiles due at t (deadline kernel) and those touched by the records of t are
// evaluated once, at t, and the ops of t are the difference from what each destination
// was last sent. Ops of an instant are written when the watermark moves past it.
#include "runtime/engine/engine.h"

#include <algorithm>
#include <charconv>

#include "stdlib/builtins/builtins.h"
#include "runtime/engine/json_text.h"

namespace seg::rt {

const char* op_kind_name(OpKind k) {
  static const char* kNames[] = {"remove", "add", "update"};
  return kNames[static_cast<int>(k)];
}

const char* reason_name(Reason r) {
  static const char* kNames[] = {"enter", "change", "ttl", "exit", "expire", "rule_change"};
  return kNames[static_cast<int>(r)];
}

Engine::Engine(const ir::Bundle& b, OpSink& sink)
    : b_(b), sink_(sink), interp_(b, strings_, sets_) {
  // The constant middle of each op line, escaped once: destination, audience, segment.
  for (const ir::Destination& d : b.destinations) {
    std::vector<std::string> per;
    for (int32_t a : d.audiences) {
      std::string s = "\",\"destination\":";
      append_json_string(s, d.name);
      s += ",\"audience\":";
      append_json_string(s, d.downstream);
      s += ",\"segment\":";
      append_json_string(s, b.audiences[a].name);
      s += ",\"profile\":";
      per.push_back(std::move(s));
    }
    op_middle_.push_back(std::move(per));
    std::vector<std::string> ids;  // op_id's constant start: destination, segment
    for (int32_t a : d.audiences) ids.push_back(d.name + '\x1f' + b.audiences[a].name + '\x1f');
    op_id_prefix_.push_back(std::move(ids));
  }
  // `labels` (LANGUAGE.md §12): static per destination, after `fields`; none on ads.
  for (const ir::Destination& d : b.destinations) {
    std::string t;
    if (!d.labels.empty()) {
      t = ",\"labels\":{";
      for (size_t i = 0; i < d.labels.size(); ++i) {
        if (i) t += ',';
        append_json_string(t, d.labels[i].first);
        t += ':';
        append_json_string(t, d.labels[i].second);
      }
      t += '}';
    }
    labels_text_.push_back(std::move(t));
    bool values = false;
    for (const ir::Field& f : d.fields) values |= f.expr != nullptr;
    field_values_.push_back(values);
  }
  empty_object_ = strings_.intern("{}");
  std::vector<int32_t> order(b.audiences.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
  std::sort(order.begin(), order.end(),
            [&](int32_t x, int32_t y) { return b.audiences[x].name < b.audiences[y].name; });
  name_rank_.resize(order.size());
  for (size_t r = 0; r < order.size(); ++r) name_rank_[order[r]] = static_cast<int32_t>(r);
  aud_stats_.resize(b.audiences.size());
  dest_stats_.resize(b.destinations.size());
  measure_counts_.resize(b.measures.size());
  measures_of_event_.resize(b.events.size());
  measured_.assign((b.audiences.size() + 63) / 64, 0);
  for (size_t i = 0; i < b.measures.size(); ++i) {
    measures_of_event_[b.measures[i].event].push_back(static_cast<int32_t>(i));
    Profile::set_bit(measured_, b.measures[i].audience, true);
  }
}

Engine::~Engine() = default;

Profile* Engine::find(std::string_view key) {
  int32_t pi = profile_index(key, false);
  return pi < 0 ? nullptr : &profiles_[pi];
}

int32_t Engine::profile_index(std::string_view key, bool create) {
  uint32_t id = create ? strings_.intern(key) : strings_.find(key);
  if (id == UINT32_MAX) return -1;
  if (id < index_.size() && index_[id] >= 0) return index_[id];
  if (!create) return -1;
  int32_t pi = static_cast<int32_t>(profiles_.size());
  profiles_.push_back(interp_.make_profile(id));
  profiles_.back().dest_cache.resize(b_.destinations.size());
  set_index(id, pi);
  return pi;
}

void Engine::set_index(uint32_t id, int32_t pi) {
  if (id >= index_.size()) index_.resize(std::max<size_t>(id + 1, index_.size() * 2), -1);
  index_[id] = pi;
}

void Engine::touch(int32_t pi) {
  Profile& p = profiles_[pi];
  if (p.touched_epoch == epoch_) return;
  if (p.touched_epoch < dirty_epoch_ || p.touched_epoch == 0) dirty_.push_back(pi);
  p.touched_epoch = epoch_;
  touched_.push_back(pi);
}

void Engine::process(const Record& r) {
  if (!started_ || r.ts > watermark_) advance_to(r.ts);
  if (r.kind == RecordKind::Ignored) return;
  int32_t pi = profile_index(r.profile, true);
  Profile& p = profiles_[pi];
  if (r.kind == RecordKind::Identify) {
    for (const Trait& t : r.traits)
      if (b_.attributes[t.attr].used) p.attrs[t.attr] = t.value;
    ++p.attr_version;
  } else {
    // Late records keep their own timestamp (RUNTIME.md §3).
    interp_.fold(p, r.event, r.ts, arrival_++, r.props, watermark_);
    if (!measures_of_event_[r.event].empty()) convert(p, r);
  }
  p.record_applied = true;
  touch(pi);
}

void Engine::advance_to(int64_t t) {
  if (!started_) {
    started_ = true;
    watermark_ = t;
  } else {
    if (t <= watermark_) return;
    close_instant();
    run_timers_before(t);
    watermark_ = t;
  }
  // Time-driven changes due at t join the records of t (one evaluation per instant).
  while (!timers_.empty() && timers_.top().first == t) {
    auto [when, pi] = timers_.top();
    timers_.pop();
    if (profiles_[pi].deadline == when) touch(pi);
  }
}

void Engine::run_timers_before(int64_t t) {
  while (!timers_.empty() && timers_.top().first < t) {
    int64_t now = timers_.top().first;
    while (!timers_.empty() && timers_.top().first == now) {
      auto [when, pi] = timers_.top();
      timers_.pop();
      if (profiles_[pi].deadline == when) touch(pi);
    }
    evaluate_touched(now);
  }
}

// The instant's profiles in key order, each one's ops written as soon as it is evaluated:
// one destination's ops then come out in the order RUNTIME.md §4 gives (profile key, then
// segment, then kind) without holding a whole instant's ops — a backfill where a million
// profiles share an instant would otherwise keep ten million ops and sort them.
void Engine::evaluate_touched(int64_t now) {
  if (touched_.size() > 1)
    std::sort(touched_.begin(), touched_.end(), [&](int32_t a, int32_t b) {
      return strings_.get(profiles_[a].id) < strings_.get(profiles_[b].id);
    });
  for (int32_t pi : touched_) {
    evaluate(pi, now);
    emit_instant(now);
  }
  touched_.clear();
  ++epoch_;
}

void Engine::close_instant() {
  if (touched_.empty()) return;
  evaluate_touched(watermark_);
}

void Engine::finish(std::optional<int64_t> until) {
  tick(until);
  if (started_) sink_.flush();
}

void Engine::tick(std::optional<int64_t> until) {
  if (!started_) return;
  close_instant();
  int64_t end = std::max(until.value_or(watermark_), watermark_);
  if (end > watermark_) {
    run_timers_before(end);
    advance_to(end);
    close_instant();
  }
}

void Engine::schedule(int32_t pi) {
  Profile& p = profiles_[pi];
  if (p.deadline != kNever) timers_.push({p.deadline, pi});
}

void Engine::evaluate(int32_t pi, int64_t now) {
  Profile& p = profiles_[pi];
  old_member_ = p.member;
  interp_.evaluate(p, now, ttl_exit_);
  ++evaluations_;
  bool exposes = false;
  for (size_t w = 0; w < p.member.size(); ++w) {  // only the audiences that changed
    uint64_t changed = old_member_[w] ^ p.member[w];
    exposes |= (changed & p.member[w] & measured_[w]) != 0;
    for (; changed; changed &= changed - 1) {
      size_t a = w * 64 + static_cast<size_t>(__builtin_ctzll(changed));
      AudienceStats& s = aud_stats_[a];
      if ((p.member[w] >> (a & 63)) & 1) ++s.entered, ++s.members;
      else ++s.left, --s.members;
    }
  }
  if (exposes) expose(p, now);
  eval_now_ = now;
  diff(p, pi, now, old_member_, ttl_exit_);
  p.record_applied = false;
  int64_t next = interp_.deadline(p, now);
  if (next != p.deadline) {
    p.deadline = next;
    schedule(pi);
  }
}

void Engine::emit_instant(int64_t now) {
  if (pending_.empty()) return;
  // Within an instant: by destination (files are separate), profile key, segment, then
  // remove before add before update (RUNTIME.md §4).
  std::sort(pending_.begin(), pending_.end(), [&](const Op& x, const Op& y) {
    if (x.destination != y.destination) return x.destination < y.destination;
    if (x.profile != y.profile) {
      std::string_view a = strings_.get(x.profile), b = strings_.get(y.profile);
      if (a != b) return a < b;
    }
    if (x.audience != y.audience || x.orphan != y.orphan) {
      // Segment names in text order: by their precomputed rank (orphans by name).
      if (x.orphan < 0 && y.orphan < 0) return name_rank_[x.audience] < name_rank_[y.audience];
      const std::string &a = segment_name(x), &b = segment_name(y);
      if (a != b) return a < b;
    }
    return x.kind < y.kind;
  });
  if (now != ts_of_ || ts_text_.empty()) {  // formatted once per instant
    ts_text_ = builtins::format_time(now);
    char buf[24];
    ts_ms_text_.assign(buf, std::to_chars(buf, buf + sizeof buf, now).ptr);
    ts_of_ = now;
  }
  const std::string& ts = ts_text_;
  std::string& op_id = op_id_;  // what op_id hashes (RUNTIME.md §4), joined by 0x1f
  for (const Op& op : pending_) {
    const ir::Destination& d = b_.destinations[op.destination];
    Profile& p = profiles_[op.profile_index];
    uint64_t seq = p.seq[op.destination]++;
    const std::string& seg = segment_name(op);
    std::string_view profile = strings_.get(op.profile);
    const char* kind = op_kind_name(op.kind);
    std::string& l = line_;
    l.clear();
    l += "{\"op\":\"";
    l += kind;
    l += op.orphan >= 0 ? orphan_middle_[op.orphan] : op_middle_[op.destination][op.position];
    append_json_string(l, profile);
    l += ",\"ts\":\"";
    l += ts;
    l += "\",\"keys\":";
    l += strings_.get(op.keys);
    l += ",\"fields\":";
    l += strings_.get(op.fields);
    l += labels_text_[op.destination];
    l += op.holdout ? ",\"holdout\":true" : ",\"holdout\":false";
    l += ",\"reason\":\"";
    l += reason_name(op.reason);
    l += "\",\"bundle\":\"";
    l += b_.revision;
    l += "\",\"op_id\":\"";
    // seg_op_id's bytes, built from the per-audience prefix and the instant's digits.
    if (op.orphan >= 0) {
      op_id.assign(d.name);
      op_id += '\x1f';
      op_id += seg;
      op_id += '\x1f';
    } else {
      op_id.assign(op_id_prefix_[op.destination][op.position]);
    }
    op_id += profile;
    op_id += '\x1f';
    op_id += kind;
    op_id += '\x1f';
    op_id += ts_ms_text_;
    op_id += '\x1f';
    char digits[24];
    op_id.append(digits, std::to_chars(digits, digits + sizeof digits, seq).ptr);
    size_t at = l.size();
    l.resize(at + SEG_OP_ID_LEN);
    seg_op_id_hex(seg_xxh64(op_id.data(), op_id.size()), l.data() + at);
    l += "\"}";
    sink_.write_op(op.destination, now, profile, l);
    DestinationStats& s = dest_stats_[op.destination];
    (op.kind == OpKind::Add ? s.add : op.kind == OpKind::Remove ? s.remove : s.update)++;
  }
  pending_.clear();
}

}  // namespace seg::rt
