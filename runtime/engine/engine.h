#pragma once
// The streaming engine (RUNTIME.md §3): watermark, instant-by-instant processing, the
// timer heap driven by the deadline kernel, and the diff from what each destination was
// last sent. Records arrive validated; ops leave through an OpSink.
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/engine/op.h"
#include "runtime/engine/record.h"
#include "runtime/interp/interp.h"
#include "runtime/state/migration.h"

namespace seg::rt {

struct AudienceStats {
  int64_t members = 0, entered = 0, left = 0;
};

struct DestinationStats {
  int64_t add = 0, remove = 0, update = 0;
  int64_t unmatched = 0;  // members now without a usable key
};

// A `measure` block's counts per arm (RUNTIME.md §9): profiles exposed, converted, and
// the summed value of their conversions. Derived from the profiles' MeasureStates.
struct MeasureArm {
  int64_t exposed = 0, converted = 0;
  double value = 0;
};
struct MeasureCounts {
  MeasureArm treatment, holdout;
};

// Heap bytes of an engine's state (runtime/engine/state_size.cpp): estimated from
// sizes and capacities, with 16 bytes of allocator overhead per heap block.
struct StateSize {
  int64_t profiles = 0;       // the per-profile records and everything they own
  int64_t strings = 0;        // interned strings and sets
  int64_t index = 0;          // key -> profile, timers, key memo
  int64_t total() const { return profiles + strings + index; }
};

// What re-evaluating every profile under new rules did (RUNTIME.md §6).
struct RuleChangeReport {
  std::string from, to;  // bundle revisions
  int64_t profiles = 0, ops = 0;
  int64_t removed_from_old = 0;  // removes from audiences the rules no longer sync
  int64_t kept_in_old = 0;       // ... not sent because of `on exit keep`
  int64_t left_in_dropped = 0;   // members held by destinations no longer in the rules
  double seconds = 0;
  std::vector<std::string> notes;  // what could not be carried over, and other findings
};

// The checkpoint in pieces, for the durable state (runtime/store): the head (format,
// revision, layout, watermark), the tail (audience members, unmatched counts) and the
// records of the profiles changed since the last call. Interned strings and sets are
// append-only and numbered: a store keeps those it has not seen yet.
struct CheckpointParts {
  std::string head, tail;
  std::vector<std::pair<int32_t, std::string>> profiles;  // (profile number, record)
};
// The bytes of a checkpoint (Engine::load) from its pieces: every profile's record in
// profile order, the strings as text and the sets as save_set() wrote them.
std::string assemble_checkpoint(const CheckpointParts& parts, const std::vector<std::string>& strings,
                                const std::vector<std::string>& sets);

class Engine {
 public:
  Engine(const ir::Bundle& b, OpSink& sink);
  ~Engine();

  // Applies a validated record (an ignored one only moves the watermark).
  void process(const Record& r);
  // Closes the open instant and runs time-driven changes up to `until` (inclusive;
  // default and floor: the watermark), then flushes the sink.
  void finish(std::optional<int64_t> until = std::nullopt);
  // The same without the flush (live time: senders flush on their own interval).
  void tick(std::optional<int64_t> until = std::nullopt);

  // For `seg test`: move the clock to t (closing the open instant first), apply a
  // record at the current instant, close the instant now.
  void advance_to(int64_t t);
  void close_instant();

  int64_t watermark() const { return watermark_; }
  bool started() const { return started_; }
  Interpreter& interp() { return interp_; }
  const ir::Bundle& bundle() const { return b_; }
  Profile* find(std::string_view key);
  const std::vector<AudienceStats>& audience_stats() const { return aud_stats_; }
  const std::vector<DestinationStats>& destination_stats() const { return dest_stats_; }
  const std::vector<MeasureCounts>& measure_counts() const { return measure_counts_; }
  // Per destination: the members it holds now (every audience's sent states), which is
  // the size drift checks expect the platform to report (RUNTIME.md §9). A scan.
  std::vector<int64_t> held_by_destination() const;
  int64_t profiles() const { return static_cast<int64_t>(profiles_.size()); }
  std::vector<Profile>& profile_states() { return profiles_; }  // benchmarks
  int64_t evaluations() const { return evaluations_; }
  StateSize state_size() const;

  // Checkpoint (runtime/engine/checkpoint.cpp). A checkpoint written by other rules is
  // migrated into this layout and leaves a rule change pending.
  void save(std::string& out) const;
  // The same bytes, handed to `write` in chunks as they are made; false when it fails.
  bool save_to(const std::function<bool(std::string_view)>& write) const;
  bool load(std::string_view in, std::string& error);
  // Durable state: the pieces changed since the last call (`all`: every profile), taken
  // only between instants (instant_open() false: every touched profile evaluated).
  CheckpointParts save_parts(bool all);
  bool instant_open() const { return !touched_.empty(); }
  size_t string_count() const { return strings_.size(); }
  std::string_view string_at(uint32_t i) const { return strings_.get(i); }
  size_t set_count() const { return sets_.size(); }
  std::string save_set(uint32_t i) const;
  void set_evaluations(int64_t n) { evaluations_ = n; }

  // Rule changes (runtime/engine/rule_change.cpp): re-evaluates every profile at the
  // watermark and emits the differences with reason rule_change.
  bool rule_change_pending() const { return rule_change_ != nullptr; }
  RuleChangeReport apply_rule_change();

 private:
  struct PendingRemove {  // a rule change's remove from an audience no longer synced
    int32_t pi, orphan;
    uint32_t keys, fields;
  };
  struct RuleChange {
    std::string from;
    Migration plan;
    std::vector<PendingRemove> removes;
    int64_t kept_in_old = 0, left_in_dropped = 0;
  };
  bool save_impl(std::string& out, const std::function<bool(std::string_view)>* write) const;
  std::string head_bytes() const;
  std::string tail_bytes() const;
  void migrate(RuleChange& rc, Profile& old, Profile& p, int32_t pi);
  const std::string& segment_name(const Op& op) const;
  int32_t profile_index(std::string_view key, bool create);
  void touch(int32_t pi);
  void evaluate(int32_t pi, int64_t now);
  void diff_audience(Profile& p, int32_t pi, int32_t dest, int32_t position, const std::vector<uint64_t>& old_member,
                     const std::vector<uint64_t>& ttl_exit);
  struct DiffArgs {  // what the compiled diff kernel's callback needs
    Engine* engine;
    Profile* profile;
    int32_t pi;
    const std::vector<uint64_t>* old_member;
    const std::vector<uint64_t>* ttl_exit;
  };
  static void diff_callback(seg_jit_ctx* ctx, int32_t dest, int32_t position);
  void diff(Profile& p, int32_t pi, int64_t now, const std::vector<uint64_t>& old_member,
            const std::vector<uint64_t>& ttl_exit);
  void schedule(int32_t pi);
  // Measures (runtime/engine/measure.cpp): exposure when an evaluation finds a profile in
  // a measured audience for the first time; conversion when a recorded event matches.
  void expose(Profile& p, int64_t now);
  void convert(Profile& p, const Record& r);
  void recount_measures();
  void run_timers_before(int64_t t);  // instants strictly before t
  void evaluate_touched(int64_t now);
  void emit_instant(int64_t now);
  uint32_t keys_json(const ir::Destination& d, Profile& p);
  uint32_t normalized_key(const ir::Key& k, uint32_t raw);
  uint32_t fields_json(const ir::Destination& d, Profile& p);

  const ir::Bundle& b_;
  OpSink& sink_;
  StringPool strings_;
  SetPool sets_{strings_};
  Interpreter interp_;
  std::vector<Profile> profiles_;
  std::vector<int32_t> index_;  // interned key id -> profile, or -1
  void set_index(uint32_t id, int32_t pi);
  using Timer = std::pair<int64_t, int32_t>;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  std::vector<int32_t> touched_;
  std::vector<int32_t> dirty_;  // profiles touched since the last save_parts()
  uint64_t dirty_epoch_ = 0;    // the epoch of that call: touched_epoch below it is clean
  uint64_t epoch_ = 1;  // the open instant's number, for touched_epoch
  int64_t watermark_ = 0;
  bool started_ = false;
  uint64_t arrival_ = 0;
  std::vector<Op> pending_;  // ops of the open instant
  std::vector<uint64_t> ttl_exit_, old_member_;
  std::vector<AudienceStats> aud_stats_;
  std::vector<DestinationStats> dest_stats_;
  std::vector<MeasureCounts> measure_counts_;
  std::vector<std::vector<int32_t>> measures_of_event_;  // event -> measures it converts
  std::vector<uint64_t> measured_;  // bitset over audiences: some measure exposes on it
  int64_t evaluations_ = 0;
  std::string line_, scratch_, op_id_;
  std::string ts_text_, ts_ms_text_;  // format_time(ts_of_), and its ms in decimal
  std::vector<std::vector<std::string>> op_id_prefix_;  // per destination audience
  std::vector<int32_t> name_rank_;  // per audience: its name's place in text order
  int64_t ts_of_ = 0;
  std::vector<std::vector<std::string>> op_middle_;  // per destination audience
  std::vector<std::string> labels_text_;  // per destination: `,"labels":{…}` or ""
  std::vector<uint8_t> field_values_;     // per destination: has fields named with `as`
  int64_t eval_now_ = 0;                  // the instant of the evaluation being diffed
  uint32_t empty_object_ = 0;  // interned "{}"
  std::unordered_map<uint64_t, uint32_t> key_memo_;  // (raw value, rule) -> normalised key
  std::unique_ptr<RuleChange> rule_change_;  // set by load(), consumed by apply_rule_change()
  bool rule_change_active_ = false;          // ops now have reason rule_change
  std::vector<Orphan> rule_change_orphans_;  // the last rule change's Migration::orphans
  std::vector<std::string> orphan_middle_;   // per orphan: destination, audience, segment
};

}  // namespace seg::rt
