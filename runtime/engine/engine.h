#pragma once
// The streaming engine (RUNTIME.md §3): watermark, instant-by-instant processing, the
// timer heap driven by the deadline kernel, and the diff from what each destination was
// last sent. Records arrive validated; ops leave through an OpSink.
#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/engine/op.h"
#include "runtime/engine/record.h"
#include "runtime/interp/interp.h"

namespace seg::rt {

struct AudienceStats {
  int64_t members = 0, entered = 0, left = 0;
};

struct DestinationStats {
  int64_t add = 0, remove = 0, update = 0;
  int64_t unmatched = 0;  // members now without a usable key
};

class Engine {
 public:
  Engine(const ir::Bundle& b, OpSink& sink);
  ~Engine();

  // Applies a validated record (an ignored one only moves the watermark).
  void process(const Record& r);
  // Closes the open instant and runs time-driven changes up to `until` (inclusive;
  // default and floor: the watermark).
  void finish(std::optional<int64_t> until = std::nullopt);

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
  int64_t profiles() const { return static_cast<int64_t>(profiles_.size()); }
  std::vector<Profile>& profile_states() { return profiles_; }  // benchmarks
  int64_t evaluations() const { return evaluations_; }

  // Checkpoint (runtime/io/checkpoint.cpp).
  void save(std::string& out) const;
  bool load(std::string_view in, std::string& error);

 private:
  friend class CheckpointCodec;
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
  void run_timers_before(int64_t t);  // instants strictly before t
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
  uint64_t epoch_ = 1;  // the open instant's number, for touched_epoch
  int64_t watermark_ = 0;
  bool started_ = false;
  uint64_t arrival_ = 0;
  std::vector<Op> pending_;  // ops of the open instant
  std::vector<uint64_t> ttl_exit_, old_member_;
  std::vector<AudienceStats> aud_stats_;
  std::vector<DestinationStats> dest_stats_;
  int64_t evaluations_ = 0;
  std::string line_, scratch_;
  std::vector<std::vector<std::string>> op_middle_;  // per destination audience
  uint32_t empty_object_ = 0;  // interned "{}"
  std::unordered_map<uint64_t, uint32_t> key_memo_;  // (raw value, rule) -> normalised key
};

}  // namespace seg::rt
