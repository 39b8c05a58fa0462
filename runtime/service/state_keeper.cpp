// The run's side of `--state DIR` (see state_keeper.h).
#include "runtime/service/state_keeper.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/engine/engine.h"
#include "stdlib/builtins/builtins.h"

namespace seg::rt {
namespace {

nlohmann::ordered_json stats_json(const RunStats& s) {
  return {{"read", s.read},       {"applied", s.applied},       {"ignored", s.ignored},
          {"rejected", s.rejected}, {"blank", s.blank},           {"late", s.late},
          {"dropped_traits", s.dropped_traits}, {"dropped_props", s.dropped_props},
          {"rejected_by", s.rejected_by}, {"ignored_by", s.ignored_by}, {"rule_changes", s.rule_changes}};
}

}  // namespace

std::unique_ptr<StateKeeper> StateKeeper::open(const std::string& dir, std::string& error) {
  auto store = DurableState::open(dir, false, error);
  if (!store) return nullptr;
  std::unique_ptr<StateKeeper> k(new StateKeeper());
  k->store_ = std::move(store);
  if (k->store_->committed()) {
    k->run_ = nlohmann::ordered_json::parse(k->store_->run_meta(), nullptr, false);
    if (k->run_.is_discarded() || !k->run_.contains("input")) {
      error = "state " + dir + ": the run's meta is not readable";
      return nullptr;
    }
    k->offset_ = k->run_["input"]["offset"].get<int64_t>();
  }
  return k;
}

bool StateKeeper::cut_back(const std::string& out_dir, std::vector<std::string>& append, std::string& error) {
  if (run_.value("out", out_dir) != out_dir) {
    error = "the state was written with --out " + run_["out"].get<std::string>() + "; run it with the same --out";
    return false;
  }
  for (const auto& [path, size] : run_["files"].items()) {
    struct stat st {};
    int64_t want = size.get<int64_t>();
    if (::stat(path.c_str(), &st) != 0 || st.st_size < want) {
      error = "output file " + path + " is shorter than the state's commit (" + std::to_string(want) +
              " bytes): it was changed or removed since; restore it or start with a fresh --state";
      return false;
    }
    if (st.st_size > want && ::truncate(path.c_str(), want) != 0) {
      error = "cannot cut " + path + " back to " + std::to_string(want) + " bytes: " + std::strerror(errno);
      return false;
    }
    append.push_back(path);
  }
  return true;
}

void StateKeeper::restore(RunStats& s, Carried& carried, nlohmann::ordered_json& rule_changes, int64_t& evaluations) const {
  const auto& j = run_["stats"];
  s.read = j["read"], s.applied = j["applied"], s.ignored = j["ignored"], s.rejected = j["rejected"];
  s.blank = j["blank"], s.late = j["late"], s.dropped_traits = j["dropped_traits"], s.dropped_props = j["dropped_props"];
  s.rejected_by = j["rejected_by"].get<std::map<std::string, int64_t>>();
  s.ignored_by = j["ignored_by"].get<std::map<std::string, int64_t>>();
  s.rule_changes = j["rule_changes"];
  for (const auto& [name, a] : run_["carried"]["audiences"].items())
    carried.audiences[name] = {0, a["entered"].get<int64_t>(), a["left"].get<int64_t>()};
  for (const auto& [name, d] : run_["carried"]["destinations"].items())
    carried.destinations[name] = {d["add"].get<int64_t>(), d["remove"].get<int64_t>(), d["update"].get<int64_t>(), 0};
  rule_changes = run_["rule_changes"];
  evaluations = run_["evaluations"];
}

bool StateKeeper::commit(Engine& e, const std::string& out_dir, int64_t lines, int64_t offset, const RunStats& stats, const Carried& carried,
                         const nlohmann::ordered_json& rule_changes, const std::vector<std::string>& files,
                         std::string& error) {
  nlohmann::ordered_json j;
  j["input"] = {{"lines", lines}, {"offset", offset}};
  j["out"] = out_dir;
  j["watermark"] = e.started() ? builtins::format_time(e.watermark()) : "";
  j["bundle"] = e.bundle().revision;
  j["files"] = nlohmann::ordered_json::object();
  for (const std::string& path : files) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      error = "cannot read the size of " + path + ": " + std::strerror(errno);
      return false;
    }
    j["files"][path] = static_cast<int64_t>(st.st_size);
  }
  RunStats s = stats;
  s.read = lines;
  j["stats"] = stats_json(s);
  // The counters of runs so far, this engine's included: a restarted engine counts from 0.
  Carried all = carried;
  const ir::Bundle& b = e.bundle();
  for (size_t i = 0; i < b.audiences.size(); ++i) {
    AudienceStats& a = all.audiences[b.audiences[i].name];
    a.entered += e.audience_stats()[i].entered;
    a.left += e.audience_stats()[i].left;
  }
  for (size_t i = 0; i < b.destinations.size(); ++i) {
    DestinationStats& d = all.destinations[b.destinations[i].name];
    d.add += e.destination_stats()[i].add;
    d.remove += e.destination_stats()[i].remove;
    d.update += e.destination_stats()[i].update;
  }
  j["carried"] = {{"audiences", nlohmann::ordered_json::object()}, {"destinations", nlohmann::ordered_json::object()}};
  for (const auto& [name, a] : all.audiences) j["carried"]["audiences"][name] = {{"entered", a.entered}, {"left", a.left}};
  for (const auto& [name, d] : all.destinations)
    j["carried"]["destinations"][name] = {{"add", d.add}, {"remove", d.remove}, {"update", d.update}};
  j["rule_changes"] = rule_changes;
  j["evaluations"] = e.evaluations();
  if (!store_->commit(e, all_, j.dump(), error)) return false;
  run_ = std::move(j);
  offset_ = offset;
  all_ = false;
  since_ = 0;
  last_ = std::chrono::steady_clock::now();
  return true;
}

}  // namespace seg::rt
