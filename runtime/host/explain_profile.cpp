// `seg explain`: a stream run on the interpreter (from a checkpoint when given), one
// profile's audiences explained. Never prints.
#include "runtime/host/explain_profile.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "compiler/diagnostics/suggest.h"

#include "runtime/engine/engine.h"
#include "runtime/io/file_sink.h"
#include "runtime/io/input.h"
#include "stdlib/builtins/builtins.h"

namespace seg::host {

bool read_checkpoint_file(const std::string& path, ExplainStart& start, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  if (!in || !(bytes << in.rdbuf())) {
    error = "cannot read checkpoint " + path;
    return false;
  }
  start.checkpoint = std::move(bytes).str();
  start.origin = path;
  start.input_offset = 0;  // its input, as `seg run --resume` reads it, starts after it
  return true;
}

ProfileExplained explain_profile(const ir::Bundle& b, const std::string& input, const std::string& profile,
                                 std::optional<int64_t> at, const std::string& audience, const ExplainStart* start) {
  ProfileExplained out;
  if (!audience.empty() && b.audience(audience) < 0) {
    out.status = ExplainStatus::NoSuchAudience;
    out.error = "no audience `" + audience + "`";
    return out;
  }
  if (input.empty() && !start) {
    out.status = ExplainStatus::CannotReadInput;
    out.error = "no input and no state to explain from";
    return out;
  }
  rt::MemorySink sink(b.destinations.size());
  rt::Engine engine(b, sink);
  // Every key of the input and the state, so that a profile that never appears is told
  // apart from one that appears only after `at`, and a mistyped id gets the nearest real ones.
  std::unordered_set<std::string> keys;
  if (start) {
    std::string why;
    if (!engine.load(start->checkpoint, why)) {
      out.status = ExplainStatus::CannotLoadState;
      out.error = start->origin + ": " + why;
      return out;
    }
    if (engine.rule_change_pending()) {  // as a resumed run would: carried over, re-evaluated
      rt::RuleChangeReport r = engine.apply_rule_change();
      out.rule_change = r.from + " -> " + r.to;
    }
    if (at && engine.started() && *at < engine.watermark()) {
      out.status = ExplainStatus::AtBeforeState;
      out.error = "--at " + builtins::format_time(*at) + " is before the watermark of " + start->origin + " (" +
                  builtins::format_time(engine.watermark()) + "): a state only moves forward";
      return out;
    }
    for (const rt::Profile& p : engine.profile_states()) keys.emplace(engine.string_at(p.id));
  }
  if (!input.empty()) {
    std::ifstream in(input, std::ios::binary);
    if (!in) {
      out.status = ExplainStatus::CannotReadInput;
      out.error = "cannot read " + input;
      return out;
    }
    if (start && start->input_offset > 0) {  // a --state: its input read on from the commit
      std::error_code ec;
      auto size = std::filesystem::file_size(input, ec);
      if (ec || static_cast<int64_t>(size) < start->input_offset) {
        out.status = ExplainStatus::CannotReadInput;
        out.error = input + " is shorter than " + start->origin + "'s position in its input (byte " +
                    std::to_string(start->input_offset) + "): give the run's own input, or no --input";
        return out;
      }
      in.seekg(start->input_offset);
    }
    rt::InputParser parser(b, engine.interp().strings(), engine.interp().sets());
    rt::Record rec;
    std::string line;
    bool past = false;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      rt::LineResult res = parser.parse(line, rec);
      if (res.kind != rt::LineKind::Applied && res.kind != rt::LineKind::Ignored) continue;
      if (!rec.profile.empty()) keys.insert(rec.profile);
      if (at && rec.ts > *at) past = true;
      if (!past) engine.process(rec);
    }
  }
  if (!keys.count(profile)) {
    std::vector<std::pair<size_t, std::string>> by_distance;
    for (const std::string& k : keys) by_distance.emplace_back(edit_distance(profile, k), k);
    size_t n = std::min<size_t>(3, by_distance.size());
    std::partial_sort(by_distance.begin(), by_distance.begin() + static_cast<std::ptrdiff_t>(n), by_distance.end());
    for (size_t i = 0; i < n; ++i) out.nearest.push_back(by_distance[i].second);
    out.status = ExplainStatus::NoSuchProfile;
    std::string where = input.empty() ? start->origin : start ? start->origin + " or " + input : input;
    out.error = "profile `" + profile + "` does not appear in " + where;
    return out;
  }
  engine.finish(at);
  int64_t now = engine.watermark();
  out.now = now;
  rt::Profile* p = engine.find(profile);
  if (!p) return out;
  out.exists = true;
  rt::Profile copy = *p;  // evaluating must not disturb the state explained
  for (size_t i = 0; i < b.audiences.size(); ++i) {
    const ir::Audience& a = b.audiences[i];
    if (!audience.empty() && a.name != audience) continue;
    AudienceExplained& e = out.audiences.emplace_back();
    e.name = a.name;
    e.kind = a.kind;
    e.in = p->bit(p->member, static_cast<int32_t>(i));
    e.holdout = p->bit(p->holdout, static_cast<int32_t>(i));
    if (a.kind == ir::AudienceKind::Segment) {
      e.when = rt::explain(engine.interp(), copy, a.when, now);
      for (int32_t x : a.excludes) e.excludes.push_back({b.audiences[x].name, p->bit(p->member, x)});
      if (a.ttl_ms) {
        const rt::TtlState& t = p->ttl[a.ttl_slot];
        e.ttl = true;
        e.ttl_entered = t.entered;
        e.ttl_leaves = t.entered + *a.ttl_ms;
        e.ttl_blocked = t.blocked;
      }
    } else {
      const ir::Tiers& t = b.tiers[a.tiers];
      if (t.from >= 0) {
        e.from = b.audiences[t.from].name;
        e.from_member = p->bit(p->member, t.from);
      }
      if (a.cond) e.arm = rt::explain(engine.interp(), copy, a.cond, now);
    }
  }
  out.next_change = engine.interp().deadline(copy, now);
  return out;
}

}  // namespace seg::host
