#pragma once
// The durable state (`--state DIR`, RUNTIME.md §7) in RocksDB: the engine's checkpoint
// kept in pieces — one record per profile, interned strings and sets, the head (format,
// revision, layout, watermark) and tail (counts) — plus the run's own meta (input
// position, each output file's committed size, counters) as one JSON text. A commit is
// one atomic write batch holding what changed since the last one, so a process killed
// at any moment restarts from the last commit with nothing half-written.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rocksdb {
class DB;
}

namespace seg::rt {

class Engine;

// What `seg state inspect` shows.
struct StateInfo {
  uint32_t format = 0;
  bool committed = false;
  int64_t profiles = 0, strings = 0, sets = 0;
  int64_t record_bytes = 0;  // profile records' bytes as stored (before compression)
  int64_t disk_bytes = 0;    // the folder's files
  std::string revision;      // the bundle that wrote it
  std::string run;           // the run's meta (JSON text)
};

// One key of the store written (a value) or deleted (none): what a commit changes, as a
// changelog (`seg serve`, RUNTIME.md §8) mirrors it and a restore applies it.
struct StateChange {
  std::string key;
  std::optional<std::string> value;
};

// A commit's engine changes, taken from the engine before they are written: `seg serve`
// sends them to its changelog inside a Kafka transaction and writes them here after the
// transaction commits.
struct PreparedCommit {
  std::vector<StateChange> changes;
  size_t strings = 0, sets = 0, profiles = 0;  // the store's counts once written
};

class DurableState {
 public:
  // The store's format; a state written by a newer seg is refused.
  static constexpr uint32_t kFormat = 1;

  // Opens (creating it when absent, unless read_only) the store in `dir`; null with
  // `error` on failure (locked by another process, a newer format, not a seg state).
  static std::unique_ptr<DurableState> open(const std::string& dir, bool read_only, std::string& error);
  ~DurableState();

  bool committed() const { return !run_.empty(); }
  const std::string& run_meta() const { return run_; }  // of the last commit
  bool has_engine() const;  // an engine state was written (a restore may write only meta)
  // The engine's checkpoint bytes (Engine::load) rebuilt from the store.
  bool read_checkpoint(std::string& out, std::string& error);
  // One atomic batch: the engine's changes since the last commit (`all`: everything
  // rewritten, after a rule change renumbered the state) and the run's meta. The
  // engine must be between instants.
  bool commit(Engine& e, bool all, const std::string& run_meta, std::string& error) {
    return write(prepare(e, all), run_meta, error);
  }
  // The same in two steps. `all` after a rule change: every piece rewritten, and the
  // numbers the renumbered engine no longer uses deleted.
  PreparedCommit prepare(Engine& e, bool all);
  bool write(const PreparedCommit& c, const std::string& run_meta, std::string& error);
  // A restore: changes read from a changelog written into the store as they are, with
  // the run's meta; the counts are read back from the store.
  bool apply(const std::vector<StateChange>& changes, const std::string& run_meta, std::string& error);
  StateInfo inspect(const std::string& dir);

 private:
  explicit DurableState(rocksdb::DB* db) : db_(db) {}
  rocksdb::DB* db_;
  std::string run_;
  void recount();
  size_t strings_ = 0, sets_ = 0, profiles_ = 0;  // how many the store holds
};

}  // namespace seg::rt
