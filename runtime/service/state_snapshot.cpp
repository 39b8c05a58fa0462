// Reads a `--state` folder's last commit for a reader that must not change it.
#include "runtime/service/state_snapshot.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "runtime/store/durable_state.h"

namespace seg::rt {

bool read_state_snapshot(const std::string& dir, StateSnapshot& out, std::string& error) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    error = "state " + dir + ": no such folder";
    return false;
  }
  auto store = DurableState::open(dir, /*read_only=*/true, error);
  if (!store) return false;
  if (!store->committed() || !store->has_engine()) {
    error = "state " + dir + ": nothing committed yet (no engine state to start from)";
    return false;
  }
  auto run = nlohmann::json::parse(store->run_meta(), nullptr, false);
  if (run.is_discarded() || !run.contains("input") || !run["input"].contains("offset")) {
    error = "state " + dir + ": the run's meta is not readable";
    return false;
  }
  out.input_offset = run["input"]["offset"].get<int64_t>();
  out.input_lines = run["input"].value("lines", int64_t{0});
  out.bundle = run.value("bundle", std::string());
  if (!store->read_checkpoint(out.checkpoint, error)) {
    error = "state " + dir + ": " + error;
    return false;
  }
  return true;
}

}  // namespace seg::rt
