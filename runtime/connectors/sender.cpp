// The sender thread of one connector destination: queue in, connector out (sender.h).
#include "runtime/connectors/sender.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace seg::rt {

Sender::Sender(std::string destination, ConnectorConfig cfg, const std::string& out_dir, bool resume, bool restarted)
    : destination_(destination), interval_ms_(std::max<int64_t>(1, cfg.flush_interval_ms)),
      conn_(std::make_unique<BatchConnector>(std::move(destination), std::move(cfg), out_dir, resume, restarted)) {
  stats_ = conn_->stats();
  thread_ = std::thread([this] { loop(); });
}

Sender::~Sender() {
  flush();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_.notify_all();
  thread_.join();
}

void Sender::add(std::string_view line) {
  std::unique_lock<std::mutex> lock(mu_);
  space_.wait(lock, [&] { return queue_.size() < kQueueCapacity; });
  queue_.emplace_back(line);
  if (queue_.size() == 1) work_.notify_one();
}

void Sender::flush() {
  while (!flush(std::chrono::hours(1))) {
  }
}

bool Sender::flush(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  uint64_t ticket = ++flush_wanted_;
  work_.notify_one();
  return done_.wait_for(lock, timeout, [&] { return flush_done_ >= ticket; });
}

DeliveryStats Sender::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

size_t Sender::queue_depth() const {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t unresolved = stats_.queued - stats_.acknowledged - stats_.failed - stats_.netted;
  return queue_.size() + in_hand_ + static_cast<size_t>(std::max<int64_t>(0, unresolved));
}

// Takes what is queued in one go (the lock is held only to swap), hands it to the
// connector, and flushes on request or when the interval has passed. The connector
// flushes a full batch itself as ops arrive.
void Sender::loop() {
  std::vector<std::string> taken;
  auto interval = std::chrono::milliseconds(interval_ms_);
  auto next_flush = std::chrono::steady_clock::now() + interval;
  for (;;) {
    uint64_t wanted;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_.wait_until(lock, next_flush, [&] { return stop_ || !queue_.empty() || flush_wanted_ > flush_done_; });
      if (stop_ && queue_.empty()) return;
      taken.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
      queue_.clear();
      wanted = flush_wanted_;
    }
    space_.notify_all();
    // Handed over in chunks, so that stats() and queue_depth() follow a long turn.
    for (size_t i = 0; i < taken.size(); i += 256) {
      size_t end = std::min(taken.size(), i + 256);
      for (size_t k = i; k < end; ++k) conn_->add(taken[k]);
      std::lock_guard<std::mutex> lock(mu_);
      stats_ = conn_->stats();
      in_hand_ = taken.size() - end;
    }
    taken.clear();
    bool due = std::chrono::steady_clock::now() >= next_flush;
    if (due || wanted > flush_done_) {
      conn_->flush();
      next_flush = std::chrono::steady_clock::now() + interval;
    }
    std::lock_guard<std::mutex> lock(mu_);
    stats_ = conn_->stats();
    if (wanted > flush_done_) {  // everything queued before that request was just sent
      flush_done_ = wanted;
      done_.notify_all();
    }
  }
}

}  // namespace seg::rt
