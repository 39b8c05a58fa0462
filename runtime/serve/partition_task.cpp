// One input partition of `seg serve`: engine, time, store and the open instant's records
// (partition_task.h).
#include "runtime/serve/partition_task.h"

#include <nlohmann/json.hpp>

namespace seg::rt {

PartitionMeta PartitionMeta::parse(const std::string& run_meta) {
  PartitionMeta m;
  nlohmann::json j = nlohmann::json::parse(run_meta, nullptr, false);
  if (!j.is_object()) return m;
  m.input_offset = j.value("input_offset", int64_t{-1});
  m.changelog_offset = j.value("changelog_offset", int64_t{0});
  return m;
}

std::string PartitionMeta::json() const {
  nlohmann::ordered_json j;
  j["input_offset"] = input_offset;
  j["changelog_offset"] = changelog_offset;
  return j.dump();
}

class PartitionTask::Collect : public OpSink {
 public:
  explicit Collect(std::vector<PendingOp>& out) : out_(out) {}
  void write(int32_t destination, std::string_view line) override { write_op(destination, 0, {}, line); }
  void write_op(int32_t destination, int64_t, std::string_view profile, std::string_view line) override {
    out_.push_back({destination, std::string(profile), std::string(line)});
  }

 private:
  std::vector<PendingOp>& out_;
};

PartitionTask::PartitionTask(const ir::Bundle& b, std::string topic, int32_t partition,
                             std::unique_ptr<DurableState> store)
    : bundle_(&b), topic_(std::move(topic)), partition_(partition), store_(std::move(store)),
      sink_(std::make_unique<Collect>(ops_)) {}

PartitionTask::~PartitionTask() {
  if (engine_ && on_end_) on_end_(engine_->interp());
}

std::unique_ptr<PartitionTask> PartitionTask::open(const ir::Bundle& b, std::string topic, int32_t partition,
                                                   std::unique_ptr<DurableState> store, std::string& error) {
  std::unique_ptr<PartitionTask> t(new PartitionTask(b, std::move(topic), partition, std::move(store)));
  std::string checkpoint;
  bool has_state = t->store_->has_engine() && t->store_->read_checkpoint(checkpoint, error);
  if (t->store_->has_engine() && !has_state) return nullptr;
  if (!t->build(has_state ? &checkpoint : nullptr, error)) return nullptr;
  PartitionMeta m = t->meta();
  t->committed_offset_ = t->read_to_ = std::max<int64_t>(m.input_offset, 0);
  return t;
}

bool PartitionTask::build(const std::string* checkpoint, std::string& error, RuleChangeReport* report) {
  parser_.reset();
  engine_ = std::make_unique<Engine>(*bundle_, *sink_);
  parser_ = std::make_unique<InputParser>(*bundle_, engine_->interp().strings(), engine_->interp().sets());
  if (checkpoint && !engine_->load(*checkpoint, error)) return false;
  if (on_engine_) on_engine_(engine_->interp());
  if (engine_->rule_change_pending()) {  // a store written by other rules
    RuleChangeReport r = engine_->apply_rule_change();
    if (report) *report = std::move(r);
    all_ = touched_ = true;
  }
  pending_ts_ = engine_->started() ? engine_->watermark() : INT64_MIN;
  return true;
}

void PartitionTask::attach(const EngineHook& on_engine, const EngineHook& on_end) {
  on_engine_ = on_engine;
  on_end_ = on_end;
  if (on_engine_) on_engine_(engine_->interp());
}

void PartitionTask::add(int64_t offset, std::string_view key, std::string_view payload, int64_t max_ts) {
  ++stats_.read;
  read_to_ = offset + 1;
  Waiting w;
  w.offset = offset;
  parser_->set_max_timestamp(max_ts);
  w.result = parser_->parse(payload, w.record);
  // The partitioner put the record where its key hashes to: a key that is not the
  // record's profile would split a profile's state over partitions.
  if (w.result.kind == LineKind::Applied && key != w.record.profile) {
    w.result.kind = LineKind::Rejected;
    w.result.cause = "key_mismatch";
    w.result.reason = key.empty() ? "the message has no key; records must be keyed by their profile id (\"" +
                                        w.record.profile + "\")"
                                  : "the message key \"" + std::string(key) + "\" is not the record's profile id \"" +
                                        w.record.profile + "\"";
  }
  if (w.result.kind == LineKind::Rejected) w.rejected = {offset, std::string(key), w.result.cause, w.result.reason, std::string(payload)};
  bool timed = w.result.kind == LineKind::Applied || w.result.kind == LineKind::Ignored;
  if (timed && w.record.ts > pending_ts_) {  // a later instant: the waiting one is complete
    flush_waiting();
    pending_ts_ = w.record.ts;
  }
  pending_.push_back(std::move(w));
}

void PartitionTask::apply(Waiting& w) {
  touched_ = true;
  switch (w.result.kind) {
    case LineKind::Blank: ++stats_.blank; return;
    case LineKind::Rejected:
      ++stats_.rejected;
      ++stats_.rejected_by[w.result.cause];
      rejected_.push_back(std::move(w.rejected));
      return;
    case LineKind::Ignored:
      ++stats_.ignored;
      ++stats_.ignored_by[w.result.cause];
      break;
    case LineKind::Applied:
      ++stats_.applied;
      stats_.dropped_traits += w.result.dropped_traits;
      stats_.dropped_props += w.result.dropped_props;
      break;
  }
  if (engine_->started() && w.record.ts < engine_->watermark()) ++stats_.late;
  engine_->process(w.record);
}

void PartitionTask::flush_waiting() {
  for (Waiting& w : pending_) apply(w);
  pending_.clear();
}

void PartitionTask::close(std::optional<int64_t> live_now) {
  if (live_now && caught_up_) {  // live time (RUNTIME.md §3): nothing more to read now
    flush_waiting();
    int64_t before = engine_->watermark();
    engine_->tick(*live_now);
    if (engine_->watermark() != before) touched_ = true;
    return;
  }
  engine_->close_instant();
}

bool PartitionTask::has_changes() const { return touched_ || all_ || !ops_.empty() || !rejected_.empty(); }

bool PartitionTask::write(const PreparedCommit& c, int64_t changelog_offset, std::string& error) {
  PartitionMeta m;
  m.input_offset = next_offset();
  m.changelog_offset = changelog_offset;
  if (!store_->write(c, m.json(), error)) return false;
  committed_offset_ = m.input_offset;
  committed_stats_ = stats_;
  all_ = touched_ = false;
  return true;
}

bool PartitionTask::rewind(std::string& error) {
  pending_.clear();
  ops_.clear();
  rejected_.clear();
  stats_ = committed_stats_;
  read_to_ = committed_offset_;
  caught_up_ = false;  // the records after the commit are read again: not live yet
  if (on_end_) on_end_(engine_->interp());
  std::string checkpoint;
  bool has_state = store_->has_engine() && store_->read_checkpoint(checkpoint, error);
  if (store_->has_engine() && !has_state) return false;
  all_ = touched_ = false;
  return build(has_state ? &checkpoint : nullptr, error);
}

std::string PartitionTask::park() {
  // As in `seg run --follow` (RUNTIME.md §6): the open instant closed under the old rules.
  flush_waiting();
  engine_->close_instant();
  std::string state;
  engine_->save(state);
  if (on_end_) on_end_(engine_->interp());
  parser_.reset();
  engine_.reset();
  return state;
}

bool PartitionTask::resume(const ir::Bundle& b, const std::string& state, RuleChangeReport& report, std::string& error) {
  bundle_ = &b;
  if (!build(&state, error, &report)) return false;
  all_ = touched_ = true;
  return true;
}

}  // namespace seg::rt
