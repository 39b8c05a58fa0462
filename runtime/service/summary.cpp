// summary.json (RUNTIME.md §2, §4): built from the run's counters and the engines' totals.
#include "runtime/service/summary.h"

#include "runtime/service/lift.h"
#include "stdlib/builtins/builtins.h"

namespace seg::rt {

Totals totals(const Engine& e) {
  return {e.started(), e.watermark(), e.profiles(), e.evaluations(), e.state_size(), e.audience_stats(),
          e.destination_stats(), e.measure_counts(), e.held_by_destination()};
}

Totals totals(const Partitioned& p) {
  StateSize size;
  for (const Engine* e : p.engines()) {
    StateSize one = e->state_size();
    size.profiles += one.profiles, size.strings += one.strings, size.index += one.index;
  }
  return {p.started(),        p.watermark(),          p.profiles(),          p.evaluations(), size,
          p.audience_stats(), p.destination_stats(), p.measure_counts(), p.held_by_destination()};
}

std::string summary(const ir::Bundle& b, const Totals& e, const RunStats& s, const RunOptions& opt,
                    const Carried& carried, const nlohmann::ordered_json& rule_changes,
                    const nlohmann::ordered_json& delivery, const std::map<std::string, std::string>& sinks) {
  nlohmann::ordered_json j;
  j["bundle"] = b.revision;
  j["lines"] = {{"read", s.read}, {"applied", s.applied}, {"ignored", s.ignored},
                {"rejected", s.rejected}, {"blank", s.blank}};
  j["late"] = s.late;
  j["rejected"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : s.rejected_by) j["rejected"][k] = v;
  j["ignored"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : s.ignored_by) j["ignored"][k] = v;
  j["dropped"] = {{"traits", s.dropped_traits}, {"properties", s.dropped_props}};
  j["watermark"] = e.started ? builtins::format_time(e.watermark) : "";
  if (opt.until) j["until"] = builtins::format_time(*opt.until);
  j["profiles"] = e.profiles;
  j["evaluations"] = e.evaluations;
  // Heap bytes of the engine state (estimated; --threads: all engines, each with its own
  // interned strings).
  j["state"] = {{"bytes", e.state.total()},
                {"bytes_per_profile", e.profiles ? e.state.total() / e.profiles : 0},
                {"profiles_bytes", e.state.profiles},
                {"strings_bytes", e.state.strings},
                {"index_bytes", e.state.index}};
  j["audiences"] = nlohmann::ordered_json::object();
  for (size_t i = 0; i < b.audiences.size(); ++i) {
    AudienceStats a = e.audiences[i];
    if (auto it = carried.audiences.find(b.audiences[i].name); it != carried.audiences.end()) {
      a.entered += it->second.entered;
      a.left += it->second.left;
    }
    j["audiences"][b.audiences[i].name] = {{"members", a.members}, {"entered", a.entered}, {"left", a.left}};
  }
  j["destinations"] = nlohmann::ordered_json::object();
  for (size_t i = 0; i < b.destinations.size(); ++i) {
    DestinationStats d = e.destinations[i];
    if (auto it = carried.destinations.find(b.destinations[i].name); it != carried.destinations.end()) {
      d.add += it->second.add;
      d.remove += it->second.remove;
      d.update += it->second.update;
    }
    j["destinations"][b.destinations[i].name] = {
        {"audience", b.destinations[i].downstream},
        {"ops", {{"add", d.add}, {"remove", d.remove}, {"update", d.update}}},
        {"unmatched", d.unmatched},
        {"expected_size", i < e.held.size() ? e.held[i] : 0}};
    if (const auto& dr = b.destinations[i].drift)
      j["destinations"][b.destinations[i].name]["drift"] = {{"warn", dr->warn}, {"fail", dr->fail}};
    if (auto it = sinks.find(b.destinations[i].name); it != sinks.end())
      j["destinations"][b.destinations[i].name]["sink"] = it->second;
    if (delivery.contains(b.destinations[i].name)) j["destinations"][b.destinations[i].name]["delivery"] = delivery[b.destinations[i].name];
  }
  if (!b.measures.empty()) {
    j["measures"] = nlohmann::ordered_json::object();
    for (size_t i = 0; i < b.measures.size(); ++i)
      j["measures"][b.measures[i].name] =
          lift_json(b, b.measures[i], i < e.measures.size() ? e.measures[i] : MeasureCounts{});
  }
  if (s.undelivered) j["undelivered"] = s.undelivered;
  if (!rule_changes.empty()) j["rule_changes"] = rule_changes;
  return j.dump(2) + "\n";
}

}  // namespace seg::rt
