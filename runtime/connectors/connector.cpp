#include "runtime/connectors/connector.h"

#include <algorithm>
#include <fstream>
#include <unordered_map>

#include <simdjson.h>

#include "stdlib/builtins/builtins.h"

namespace seg::rt {

// simdjson reads past the end of its input: a padded buffer, reused.
struct BatchConnector::Parser {
  simdjson::dom::parser parser;
  std::string buf;
  bool read(std::string_view line, Op& op) {
    buf.assign(line);
    buf.resize(line.size() + simdjson::SIMDJSON_PADDING, '\0');
    simdjson::dom::element doc;
    if (parser.parse(buf.data(), line.size(), false).get(doc)) return false;
    auto text = [&](const char* key, std::string& out) {
      std::string_view v;
      if (doc[key].get_string().get(v)) return false;
      out.assign(v);
      return true;
    };
    simdjson::dom::element keys;
    if (doc["keys"].get(keys)) return false;
    op.keys = simdjson::minify(keys);
    return text("op", op.kind) && text("profile", op.profile) && text("segment", op.segment) &&
           text("audience", op.audience) && text("op_id", op.op_id);
  }
};

BatchConnector::BatchConnector(std::string destination, ConnectorConfig cfg, const std::string& out_dir, bool resume,
                               bool restarted)
    : destination_(std::move(destination)), cfg_(std::move(cfg)), transport_(make_transport(destination_, cfg_, out_dir)),
      parser_(std::make_unique<Parser>()),
      oldest_(std::chrono::steady_clock::now()) {
  if (cfg_.max_batch <= 0) cfg_.max_batch = batch_limit(cfg_.kind);
  if (cfg_.max_batch_bytes <= 0) cfg_.max_batch_bytes = 4 << 20;
  std::string log = out_dir + "/delivered-" + destination_ + ".log";
  if (resume) {
    std::ifstream in(log);
    for (std::string id; std::getline(in, id);)
      if (!id.empty()) delivered_.insert(id);
  }
  delivered_log_ = std::fopen(log.c_str(), resume ? "ab" : "wb");
  failed_path_ = out_dir + "/failed-" + destination_ + ".ndjson";
  if (!resume) std::fclose(std::fopen(failed_path_.c_str(), "wb"));  // exists, even when empty
  else if (restarted) read_failed();
}

// A restarted run: the ops given up on before count as failed, and their profiles stay
// blocked (a later op of theirs must not overtake them).
void BatchConnector::read_failed() {
  std::ifstream in(failed_path_);
  for (std::string line; std::getline(in, line);) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("op") || !j["op"].contains("profile")) continue;
    blocked_.insert(j["op"]["profile"].get<std::string>());
    ++stats_.failed;
  }
}

BatchConnector::~BatchConnector() {
  if (delivered_log_) std::fclose(delivered_log_);
}

void BatchConnector::add(std::string_view line) {
  Op op;
  op.line.assign(line);
  if (!parser_->read(line, op)) return;  // the engine writes every op line: cannot happen
  if (delivered_.count(op.op_id)) {  // acknowledged before a restart
    ++stats_.skipped;
    return;
  }
  ++stats_.queued;
  // Netting (ads destinations only): an add still queued, updates of its fields, and then a remove of the same
  // keys cancel out: the destination never needs to hear of them. The ops of one
  // profile, segment and audience are chained, so this looks only at them.
  std::string identity = op.profile + '\x1f' + op.segment + '\x1f' + op.audience;
  auto latest = last_.find(identity);
  int64_t prev = latest == last_.end() ? -1 : latest->second;
  if (op.kind == "remove" && cfg_.ads) {
    std::vector<Op*> chain;
    for (int64_t i = prev; i >= 0; i = queue_[i].prev) {
      Op& q = queue_[i];
      if (q.netted) continue;
      bool same_keys = q.keys == op.keys;
      if (q.kind == "update" && same_keys) {  // a change of fields only
        chain.push_back(&q);
        continue;
      }
      if (q.kind == "add" && same_keys) {
        chain.push_back(&q);
        for (Op* o : chain) o->netted = true;
        live_ -= chain.size();
        stats_.netted += static_cast<int64_t>(chain.size()) + 1;
        return;
      }
      break;  // the audience's latest queued op is not an add of these keys
    }
  }
  op.prev = prev;
  if (live_ == 0) oldest_ = std::chrono::steady_clock::now();
  queue_.push_back(std::move(op));
  last_[identity] = static_cast<int64_t>(queue_.size() - 1);
  ++live_;
  maybe_flush();
}

void BatchConnector::maybe_flush() {
  auto now = std::chrono::steady_clock::now();
  if (live_ >= static_cast<size_t>(cfg_.max_batch) ||
      now - oldest_ >= std::chrono::milliseconds(cfg_.flush_interval_ms))
    flush();
}

void BatchConnector::flush() {
  std::vector<const Op*> batch;
  // profile, segment, keys -> the batch's latest add or remove of them (updates between
  // an add and a remove do not hide the clash)
  std::unordered_map<std::string, std::string> in_batch;
  int64_t bytes = 0;
  bool ads = transport_->one_kind_per_batch();
  // An ad platform's ops are sent audience by audience (in the order each audience first
  // appears): separate platform audiences do not interact. Within one, in rounds: round r
  // holds each profile's r-th op, removes first, then adds; a round's requests are
  // acknowledged before the next round is sent. A profile's ops keep their order, and a
  // window's ops fill a few whole batches (a rename's interleaved removes from the old
  // audience and adds to the new one; exits and entries of different profiles) instead of
  // alternating one-op requests (one Google job each).
  std::vector<const Op*> order;
  order.reserve(queue_.size());
  std::unordered_map<const Op*, int> round;
  if (ads) {
    std::vector<std::string> audiences;
    for (const Op& op : queue_)
      if (std::find(audiences.begin(), audiences.end(), op.audience) == audiences.end()) audiences.push_back(op.audience);
    for (const std::string& a : audiences) {
      std::unordered_map<std::string, int> seen;
      size_t first = order.size();
      for (const Op& op : queue_)
        if (op.audience == a && !op.netted) round[&op] = seen[op.profile]++, order.push_back(&op);
      auto rank = [&](const Op* o) { return std::make_pair(round[o], o->kind == "remove" ? 0 : o->kind == "add" ? 1 : 2); };
      std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(first), order.end(),
                       [&](const Op* x, const Op* y) { return rank(x) < rank(y); });
    }
  } else {
    for (const Op& op : queue_) order.push_back(&op);
  }
  for (const Op* next : order) {
    const Op& op = *next;
    if (op.netted) continue;
    // Ad platforms take adds and removes in separate requests, and no request holds an
    // add and a remove of the same keys (a re-entry after an exit): either closes the
    // batch, as a full one does, and the order of the ops is kept.
    const std::string& kind = op.kind;
    std::string identity = op.profile + '\x1f' + op.segment + '\x1f' + op.keys;
    auto seen = in_batch.find(identity);
    bool clash = seen != in_batch.end() && kind != "update" && seen->second != kind && !transport_->applies_in_order();
    bool other_kind = ads && !batch.empty() && batch.front()->kind != op.kind;
    // One platform audience a request: a renamed destination's removes from the old
    // audience and adds to the new one are separate batches (RUNTIME.md §6).
    bool other_audience = ads && !batch.empty() && batch.front()->audience != op.audience;
    bool other_round = ads && !batch.empty() && round[batch.front()] != round[&op];
    if (!batch.empty() && (clash || other_kind || other_audience || other_round ||
                           static_cast<int64_t>(batch.size()) >= cfg_.max_batch ||
                           bytes + static_cast<int64_t>(op.line.size()) + 1 > cfg_.max_batch_bytes)) {
      send(batch);
      batch.clear();
      in_batch.clear();
      bytes = 0;
    }
    // A profile with an op given up on gets none of its later ops sent (they would
    // overtake it): they are recorded as failed too. Checked after the batch before was
    // sent, which may have given up on this profile's earlier op. A --resume replay sends
    // them again in order (they are not in the delivered log); a --state restart keeps
    // them failed (read_failed).
    if (blocked_.count(op.profile)) {
      SendResult r;
      r.response = "not sent: an earlier op of this profile was given up";
      give_up({&op}, r);
      continue;
    }
    batch.push_back(&op);
    if (kind != "update") in_batch[identity] = kind;
    bytes += static_cast<int64_t>(op.line.size()) + 1;
  }
  if (!batch.empty()) send(batch);
  queue_.clear();
  last_.clear();
  live_ = 0;
  if (delivered_log_) std::fflush(delivered_log_);
}

std::string BatchConnector::batch_id(const std::vector<const Op*>& batch) const {
  std::string ids = destination_;
  for (const Op* op : batch) ids += "\x1f" + op->op_id;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(seg_xxh64(ids.data(), ids.size())));
  return hex;
}

void BatchConnector::send(const std::vector<const Op*>& batch) {
  std::string id = batch_id(batch);
  ++stats_.batches;
  stats_.sent += static_cast<int64_t>(batch.size());
  auto start = std::chrono::steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    int64_t retried = transport_->retried();
    SendResult r = transport_->send(batch, id);
    stats_.retried += transport_->retried() - retried;
    if (r.ok) {
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      stats_.latency_ms_sum += ms;
      stats_.latency_ms_max = std::max(stats_.latency_ms_max, ms);
      stats_.acknowledged += static_cast<int64_t>(batch.size());
      for (const Op* op : batch)
        if (delivered_log_) std::fprintf(delivered_log_, "%s\n", op->op_id.c_str());
      if (delivered_log_) std::fflush(delivered_log_);  // a restart must know at once (--state)
      return;
    }
    if (!r.retryable || attempt >= cfg_.retry.max_attempts) {
      give_up(batch, r);
      return;
    }
    ++stats_.retried;
    backoff_.wait(attempt, cfg_.retry.base_ms, cfg_.retry.max_ms, r.retry_after_ms);
  }
}

void BatchConnector::give_up(const std::vector<const Op*>& batch, const SendResult& r) {
  std::FILE* f = std::fopen(failed_path_.c_str(), "ab");
  for (const Op* op : batch) {
    blocked_.insert(op->profile);
    nlohmann::ordered_json j;
    j["op"] = nlohmann::ordered_json::parse(op->line);
    j["status"] = r.status;
    if (!r.code.empty()) j["code"] = r.code;
    j["response"] = r.response;
    if (f) std::fprintf(f, "%s\n", j.dump().c_str());
  }
  if (f) std::fclose(f);
  stats_.failed += static_cast<int64_t>(batch.size());
}

}  // namespace seg::rt
