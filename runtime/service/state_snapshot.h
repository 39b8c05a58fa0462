#pragma once
// A durable state (`seg run --state DIR`) read without touching it: the engine's
// checkpoint bytes of the last commit and where in its input that commit was, for
// `seg explain --state` (which loads them into an engine of its own).
#include <cstdint>
#include <string>

namespace seg::rt {

struct StateSnapshot {
  std::string checkpoint;    // Engine::load bytes
  int64_t input_offset = 0;  // bytes of the run's input the commit follows
  int64_t input_lines = 0;
  std::string bundle;        // the revision of the rules that wrote it
};

// Opens `dir` read-only (RocksDB's read-only mode, no LOG file written); false with
// `error` when it is missing, not a seg state, locked against reading, or never committed.
bool read_state_snapshot(const std::string& dir, StateSnapshot& out, std::string& error);

}  // namespace seg::rt
