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

// The engine writes into the output buffer of the batch its worker is running.
class ForwardSink : public OpSink {
 public:
  void write(int32_t destination, std::string_view line) override { target->write(destination, line); }
  void write_op(int32_t destination, int64_t ts, std::string_view profile, std::string_view line) override {
    target->write_op(destination, ts, profile, line);
  }
  BufferSink* target = nullptr;
};

}  // namespace

struct Partitioned::Batch {
  struct Item {
    Record rec;
    int64_t wm = 0;  // the global watermark after this record
  };
  uint64_t seq = 0;
  std::unique_ptr<StringPool> strings;
  std::unique_ptr<SetPool> sets;
  std::vector<std::vector<Item>> items;  // per worker; the first `count` are this batch's
  std::vector<size_t> count;
  std::vector<BufferSink> out;  // per worker: the ops its engine wrote during this batch
  int64_t end_wm = 0;
  bool finish = false;
  std::optional<int64_t> until;
  int remaining = 0;  // workers still on it (under the mutex)

  Batch(size_t workers, size_t destinations)
      : items(workers), count(workers, 0), out(workers, BufferSink(destinations)) {}
  void reset() {
    strings = std::make_unique<StringPool>();
    sets = std::make_unique<SetPool>(*strings);
    std::fill(count.begin(), count.end(), 0);
    finish = false;
    until.reset();
  }
};

struct Partitioned::Worker {
  ForwardSink sink;
  Engine engine;
  std::thread thread;
  uint64_t next = 0;  // the sequence number of the next batch to run
  explicit Worker(const ir::Bundle& b) : engine(b, sink) {}
};

Partitioned::Partitioned(const ir::Bundle& b, OpSink& out, int threads,
                         const std::function<void(Interpreter&)>& on_engine, size_t batch_records)
    : b_(b), out_(out), batch_records_(batch_records), depth_(4) {
  size_t n = static_cast<size_t>(std::max(1, threads));
  for (size_t i = 0; i < n; ++i) {
    workers_.push_back(std::make_unique<Worker>(b));
    if (on_engine) on_engine(workers_.back()->engine.interp());
  }
  filling_ = std::make_unique<Batch>(n, b.destinations.size());
  filling_->reset();
  for (size_t i = 0; i < n; ++i) workers_[i]->thread = std::thread([this, i] { worker_loop(*workers_[i], i); });
}

StringPool& Partitioned::strings() { return *filling_->strings; }
SetPool& Partitioned::sets() { return *filling_->sets; }

Partitioned::~Partitioned() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_.notify_all();
  for (auto& w : workers_) w->thread.join();
}

void Partitioned::process(const Record& r) {
  watermark_ = started_ ? std::max(watermark_, r.ts) : r.ts;
  started_ = true;
  if (r.kind == RecordKind::Ignored) return;  // it only moves time
  size_t w = static_cast<size_t>(partition_of(r.profile, static_cast<int>(workers_.size())));
  auto& items = filling_->items[w];
  size_t& k = filling_->count[w];
  if (k == items.size()) items.emplace_back();
  items[k].rec = r;  // reuses the slot's string and vectors
  items[k].wm = watermark_;
  ++k;
  if (++filled_ < batch_records_) return;
  publish();
  if (in_flight_.size() >= depth_) retire_oldest();
  if (free_.empty()) {
    filling_ = std::make_unique<Batch>(workers_.size(), b_.destinations.size());
  } else {
    filling_ = std::move(free_.back());
    free_.pop_back();
  }
  filling_->reset();
  if (on_new_pools_) on_new_pools_(*filling_->strings, *filling_->sets);
}

// Hands the filled batch to the workers (filling_ is empty afterwards).
void Partitioned::publish() {
  filling_->end_wm = watermark_;
  filling_->remaining = static_cast<int>(workers_.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    filling_->seq = published_++;
    in_flight_.push_back(std::move(filling_));
  }
  work_.notify_all();
  filled_ = 0;
}

// Batches are merged in the order they were published: each holds the ops of the
// instants its records closed, all later than the batch before's.
void Partitioned::retire_oldest() {
  Batch* oldest = in_flight_.front().get();
  {
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [&] { return oldest->remaining == 0; });
  }
  merge(*oldest);
  std::lock_guard<std::mutex> lock(mu_);
  free_.push_back(std::move(in_flight_.front()));
  in_flight_.pop_front();
}

void Partitioned::finish(std::optional<int64_t> until) {
  if (!started_) return;
  filling_->finish = true;
  filling_->until = until;
  publish();
  while (!in_flight_.empty()) retire_oldest();
  filling_ = std::move(free_.back());  // the pools stay valid for the parser
  free_.pop_back();
  filling_->reset();
  if (on_new_pools_) on_new_pools_(*filling_->strings, *filling_->sets);
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

void Partitioned::worker_loop(Worker& w, size_t index) {
  for (;;) {
    Batch* job = nullptr;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_.wait(lock, [&] { return stop_ || published_ > w.next; });
      if (published_ <= w.next) return;  // stopping, and nothing left to run
      for (auto& b : in_flight_)
        if (b->seq == w.next) job = b.get();
    }
    ++w.next;
    Engine& e = w.engine;
    w.sink.target = &job->out[index];
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
      --job->remaining;
    }
    done_.notify_all();
  }
}

// Per destination, the workers' ops in one engine's order: by instant, then profile key
// (a profile lives in one engine, whose own order breaks the remaining ties).
void Partitioned::merge(Batch& batch) {
  size_t n = workers_.size();
  std::vector<size_t> at(n);
  for (size_t d = 0; d < b_.destinations.size(); ++d) {
    std::fill(at.begin(), at.end(), 0);
    for (;;) {
      int best = -1;
      const BufferSink::Line* bl = nullptr;
      std::string_view bp;
      for (size_t w = 0; w < n; ++w) {
        const BufferSink& s = batch.out[w];
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
      const BufferSink& s = batch.out[static_cast<size_t>(best)];
      out_.write_op(static_cast<int32_t>(d), bl->ts, bp, s.line(*bl));
      ++at[static_cast<size_t>(best)];
    }
  }
  for (BufferSink& s : batch.out) s.clear();
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

std::vector<MeasureCounts> Partitioned::measure_counts() const {
  std::vector<MeasureCounts> out(b_.measures.size());
  for (const auto& w : workers_)
    for (size_t i = 0; i < out.size(); ++i) {
      const MeasureCounts& m = w->engine.measure_counts()[i];
      for (auto [to, from] : {std::pair{&out[i].treatment, &m.treatment}, std::pair{&out[i].holdout, &m.holdout}}) {
        to->exposed += from->exposed;
        to->converted += from->converted;
        to->value += from->value;
      }
    }
  return out;
}

std::vector<int64_t> Partitioned::held_by_destination() const {
  std::vector<int64_t> out(b_.destinations.size(), 0);
  for (const auto& w : workers_) {
    std::vector<int64_t> one = w->engine.held_by_destination();
    for (size_t i = 0; i < out.size(); ++i) out[i] += one[i];
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
