// `--threads N`: N engines on N threads, fed in batches, ops merged into one engine's
// order (partitioned.h says why that order is reproduced exactly).
#include "runtime/engine/partitioned.h"

#include "stdlib/builtins/builtins.h"

namespace seg::rt {

int partition_of(std::string_view profile, int n) {
  if (n <= 1) return 0;
  return static_cast<int>(seg_xxh64(profile.data(), profile.size()) % static_cast<uint64_t>(n));
}

namespace {

// One engine's ops of a batch, per destination, with what the merge orders them by.
class BufferSink : public OpSink {
 public:
  struct Line {
    int64_t ts;
    size_t profile, profile_len, line, line_len;  // offsets into text
  };
  explicit BufferSink(size_t destinations) : lines(destinations) {}
  void write(int32_t destination, std::string_view line) override { write_op(destination, 0, {}, line); }
  void write_op(int32_t destination, int64_t ts, std::string_view profile, std::string_view line) override {
    size_t p = text.size();
    text.append(profile);
    size_t l = text.size();
    text.append(line);
    lines[static_cast<size_t>(destination)].push_back({ts, p, profile.size(), l, line.size()});
  }
  std::string_view profile(const Line& x) const { return {text.data() + x.profile, x.profile_len}; }
  std::string_view line(const Line& x) const { return {text.data() + x.line, x.line_len}; }
  void clear() {
    text.clear();
    for (auto& v : lines) v.clear();
  }
  std::vector<std::vector<Line>> lines;
  std::string text;
};

// The engine writes to whichever of the two buffers the current batch uses: the caller
// merges the other one meanwhile.
class SwitchSink : public OpSink {
 public:
  explicit SwitchSink(size_t destinations) : buffers{BufferSink(destinations), BufferSink(destinations)} {}
  void write(int32_t destination, std::string_view line) override { buffers[current].write(destination, line); }
  void write_op(int32_t destination, int64_t ts, std::string_view profile, std::string_view line) override {
    buffers[current].write_op(destination, ts, profile, line);
  }
  BufferSink buffers[2];
  int current = 0;
};

}  // namespace

struct Partitioned::Batch {
  struct Item {
    Record rec;
    int64_t wm = 0;  // the global watermark after this record
  };
  std::unique_ptr<StringPool> strings = std::make_unique<StringPool>();
  std::unique_ptr<SetPool> sets = std::make_unique<SetPool>(*strings);
  std::vector<std::vector<Item>> items;  // per worker; the first `count` are this batch's
  std::vector<size_t> count;
  int64_t end_wm = 0;
  bool finish = false;
  std::optional<int64_t> until;

  explicit Batch(size_t workers) : items(workers), count(workers, 0) {}
  void reset() {
    strings = std::make_unique<StringPool>();
    sets = std::make_unique<SetPool>(*strings);
    std::fill(count.begin(), count.end(), 0);
    finish = false;
  }
};

struct Partitioned::Worker {
  SwitchSink sink;
  Engine engine;
  std::thread thread;
  Batch* job = nullptr;
  uint64_t seen = 0;
  Worker(const ir::Bundle& b) : sink(b.destinations.size()), engine(b, sink) {}
};

Partitioned::Partitioned(const ir::Bundle& b, OpSink& out, int threads,
                         const std::function<void(Interpreter&)>& on_engine, size_t batch_records)
    : b_(b), out_(out), batch_records_(batch_records) {
  size_t n = static_cast<size_t>(std::max(1, threads));
  for (size_t i = 0; i < n; ++i) {
    workers_.push_back(std::make_unique<Worker>(b));
    if (on_engine) on_engine(workers_.back()->engine.interp());
  }
  batch_ = std::make_unique<Batch>(n);
  spare_ = std::make_unique<Batch>(n);
  for (auto& w : workers_) w->thread = std::thread([this, wp = w.get()] { worker_loop(*wp); });
}

StringPool& Partitioned::strings() { return *batch_->strings; }
SetPool& Partitioned::sets() { return *batch_->sets; }

Partitioned::~Partitioned() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_) w->thread.join();
}

void Partitioned::process(const Record& r) {
  watermark_ = started_ ? std::max(watermark_, r.ts) : r.ts;
  started_ = true;
  if (r.kind == RecordKind::Ignored) return;  // it only moves time
  size_t w = static_cast<size_t>(partition_of(r.profile, static_cast<int>(workers_.size())));
  auto& items = batch_->items[w];
  size_t& k = batch_->count[w];
  if (k == items.size()) items.emplace_back();
  items[k].rec = r;  // reuses the slot's string and vectors
  items[k].wm = watermark_;
  ++k;
  if (++filled_ >= batch_records_) hand_off();
}

void Partitioned::wait_idle() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return busy_ == 0; });
}

// Gives the filled batch to the workers, merges the ops of the batch before (which they
// wrote to the other buffer), and starts a new batch with fresh pools.
void Partitioned::hand_off() {
  batch_->end_wm = watermark_;
  wait_idle();  // the previous batch is done: its items and pools are free
  int merge_buffer = current_;
  bool merge_previous = pending_merge_;
  std::swap(batch_, spare_);  // spare_: the batch the workers now run
  current_ ^= 1;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& w : workers_) {
      w->job = spare_.get();
      w->sink.current = current_;
    }
    busy_ = static_cast<int>(workers_.size());
    ++generation_;
  }
  cv_.notify_all();
  if (merge_previous) merge(merge_buffer);
  pending_merge_ = true;
  batch_->reset();
  filled_ = 0;
  if (on_new_pools_) on_new_pools_(*batch_->strings, *batch_->sets);
}

void Partitioned::finish(std::optional<int64_t> until) {
  if (!started_) return;
  batch_->finish = true;
  batch_->until = until;
  hand_off();
  wait_idle();
  merge(current_);
  pending_merge_ = false;
  if (until && *until > watermark_) watermark_ = *until;  // as Engine::finish moves it
  out_.flush();
}

namespace {

Value translate(const Value& v, const StringPool& from_strings, const SetPool& from_sets, StringPool& strings,
                SetPool& sets) {
  if (v.tag == Tag::String) return Value::string(strings.intern(from_strings.get(v.id)));
  if (v.tag == Tag::Set) {
    std::vector<uint32_t> ids;
    for (uint32_t s : from_sets.get(v.id)) ids.push_back(strings.intern(from_strings.get(s)));
    return Value::set(sets.intern(std::move(ids)));
  }
  return v;
}

}  // namespace

void Partitioned::worker_loop(Worker& w) {
  size_t index = 0;
  for (; index < workers_.size() && workers_[index].get() != &w; ++index) {
  }
  for (;;) {
    Batch* job = nullptr;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || generation_ != w.seen; });
      if (stop_) return;
      w.seen = generation_;
      job = w.job;
    }
    Engine& e = w.engine;
    StringPool& strings = e.interp().strings();
    SetPool& sets = e.interp().sets();
    auto& items = job->items[index];
    for (size_t i = 0; i < job->count[index]; ++i) {
      Record& r = items[i].rec;
      for (Trait& t : r.traits) t.value = translate(t.value, *job->strings, *job->sets, strings, sets);
      for (Value& v : r.props) v = translate(v, *job->strings, *job->sets, strings, sets);
      e.advance_to(items[i].wm);
      e.process(r);
    }
    e.advance_to(job->end_wm);  // closes every instant before it: their ops are in the buffer
    if (job->finish) e.finish(job->until);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
    }
    cv_.notify_all();
  }
}

// Per destination, the workers' ops in one engine's order: by instant, then profile key
// (a profile lives in one engine, whose own order breaks the remaining ties).
void Partitioned::merge(int buffer) {
  size_t n = workers_.size();
  std::vector<size_t> at(n);
  for (size_t d = 0; d < b_.destinations.size(); ++d) {
    std::fill(at.begin(), at.end(), 0);
    for (;;) {
      int best = -1;
      const BufferSink::Line* bl = nullptr;
      std::string_view bp;
      for (size_t w = 0; w < n; ++w) {
        const BufferSink& s = workers_[w]->sink.buffers[buffer];
        if (at[w] >= s.lines[d].size()) continue;
        const BufferSink::Line& x = s.lines[d][at[w]];
        std::string_view xp = s.profile(x);
        if (best < 0 || x.ts < bl->ts || (x.ts == bl->ts && xp < bp)) {
          best = static_cast<int>(w);
          bl = &x;
          bp = xp;
        }
      }
      if (best < 0) break;
      const BufferSink& s = workers_[static_cast<size_t>(best)]->sink.buffers[buffer];
      out_.write_op(static_cast<int32_t>(d), bl->ts, bp, s.line(*bl));
      ++at[static_cast<size_t>(best)];
    }
  }
  for (auto& w : workers_) w->sink.buffers[buffer].clear();
}

int64_t Partitioned::profiles() const {
  int64_t n = 0;
  for (const auto& w : workers_) n += w->engine.profiles();
  return n;
}

int64_t Partitioned::evaluations() const {
  int64_t n = 0;
  for (const auto& w : workers_) n += w->engine.evaluations();
  return n;
}

std::vector<AudienceStats> Partitioned::audience_stats() const {
  std::vector<AudienceStats> out(b_.audiences.size());
  for (const auto& w : workers_)
    for (size_t i = 0; i < out.size(); ++i) {
      const AudienceStats& a = w->engine.audience_stats()[i];
      out[i].members += a.members, out[i].entered += a.entered, out[i].left += a.left;
    }
  return out;
}

std::vector<DestinationStats> Partitioned::destination_stats() const {
  std::vector<DestinationStats> out(b_.destinations.size());
  for (const auto& w : workers_)
    for (size_t i = 0; i < out.size(); ++i) {
      const DestinationStats& d = w->engine.destination_stats()[i];
      out[i].add += d.add, out[i].remove += d.remove, out[i].update += d.update, out[i].unmatched += d.unmatched;
    }
  return out;
}

void Partitioned::for_each_interp(const std::function<void(Interpreter&)>& f) {
  for (auto& w : workers_) f(w->engine.interp());
}

std::vector<const Engine*> Partitioned::engines() const {
  std::vector<const Engine*> out;
  for (const auto& w : workers_) out.push_back(&w->engine);
  return out;
}

}  // namespace seg::rt
