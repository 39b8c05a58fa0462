#pragma once
// `seg run --state DIR` (RUNTIME.md §7, issue 16): what a run keeps in its durable state
// beside the engine's — where in the input it is, how long each output file was at the
// commit, its counters — and how a restarted run gets back there: output files cut back
// to their committed size, the engine rebuilt from the store, the input read on from
// the committed byte. Commits are taken between instants, every few thousand records or
// 100 ms, so a `kill -9` at any moment costs at most that much work, never an op.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/service/summary.h"
#include "runtime/store/durable_state.h"

namespace seg::rt {

class StateKeeper {
 public:
  static constexpr int64_t kEveryRecords = 4096;
  static constexpr int kEveryMs = 100;

  static std::unique_ptr<StateKeeper> open(const std::string& dir, std::string& error);

  bool restarting() const { return store_->committed(); }
  int64_t input_offset() const { return offset_; }
  // Restarting: cuts every output file of the last commit back to its committed size
  // (what a killed run wrote after it is written again) and says which to append to.
  // Refused when the state was written with another --out (its files are elsewhere).
  bool cut_back(const std::string& out_dir, std::vector<std::string>& append, std::string& error);
  // Restarting: the counters and the engine's state of the last commit.
  void restore(RunStats& stats, Carried& carried, nlohmann::ordered_json& rule_changes, int64_t& evaluations) const;
  bool read_checkpoint(std::string& out, std::string& error) { return store_->read_checkpoint(out, error); }

  // Counts a record; true when a commit is due (enough records, or enough time).
  bool due() {
    if (++since_ >= kEveryRecords) return true;
    if ((since_ & 63) != 0) return false;
    return std::chrono::steady_clock::now() - last_ >= std::chrono::milliseconds(kEveryMs);
  }
  bool idle_due() const { return since_ > 0 || all_; }
  // The next commit rewrites everything (a new engine: a rule change renumbered it).
  void rewrite_all() { all_ = true; }
  // One atomic commit: the engine (between instants), the input position (`lines` read,
  // `offset` bytes) and the files' sizes now (flushed by the caller).
  bool commit(Engine& e, const std::string& out_dir, int64_t lines, int64_t offset, const RunStats& stats, const Carried& carried,
              const nlohmann::ordered_json& rule_changes, const std::vector<std::string>& files, std::string& error);

 private:
  std::unique_ptr<DurableState> store_;
  nlohmann::ordered_json run_;  // the last commit's meta
  int64_t offset_ = 0, since_ = 0;
  bool all_ = false;  // the next commit rewrites everything
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace seg::rt
