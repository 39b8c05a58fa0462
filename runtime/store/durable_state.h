#pragma once
// The durable state (`--state DIR`, RUNTIME.md §7) in RocksDB: the engine's checkpoint
// kept in pieces — one record per profile, interned strings and sets, the head (format,
// revision, layout, watermark) and tail (counts) — plus the run's own meta (input
// position, each output file's committed size, counters) as one JSON text. A commit is
// one atomic write batch holding what changed since the last one, so a process killed
// at any moment restarts from the last commit with nothing half-written.
#include <cstdint>
#include <memory>
#include <string>

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
  // The engine's checkpoint bytes (Engine::load) rebuilt from the store.
  bool read_checkpoint(std::string& out, std::string& error);
  // One atomic batch: the engine's changes since the last commit (`all`: everything
  // rewritten, after a rule change renumbered the state) and the run's meta. The
  // engine must be between instants.
  bool commit(Engine& e, bool all, const std::string& run_meta, std::string& error);
  StateInfo inspect(const std::string& dir);

 private:
  explicit DurableState(rocksdb::DB* db) : db_(db) {}
  rocksdb::DB* db_;
  std::string run_;
  size_t strings_ = 0, sets_ = 0;  // how many the store holds
};

}  // namespace seg::rt
