// `seg diff`: two rule sets over one stream, their audiences' members compared, and the
// old rules' end state carried into the new rules to count the rule change's ops per
// destination. Never prints.
#include "runtime/host/rule_diff.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "runtime/engine/engine.h"
#include "runtime/io/input.h"

namespace seg::host {
namespace {

class DiscardSink : public rt::OpSink {
 public:
  void write(int32_t, std::string_view) override {}
};

// Counts each destination's ops by downstream audience (the op's `audience`).
class CountingSink : public rt::OpSink {
 public:
  explicit CountingSink(const ir::Bundle& b) : b_(b) {}
  void write(int32_t destination, std::string_view line) override {
    nlohmann::json op = nlohmann::json::parse(line);
    OpCounts& c = counts[b_.destinations[destination].name][op.at("audience").get<std::string>()];
    const std::string kind = op.at("op").get<std::string>();
    ++(kind == "add" ? c.add : kind == "remove" ? c.remove : c.update);
  }
  std::map<std::string, std::map<std::string, OpCounts>> counts;  // destination -> downstream -> ops

 private:
  const ir::Bundle& b_;
};

// Audience name -> sorted member keys after the input, under one rule set.
using Members = std::map<std::string, std::vector<std::string>>;

// `state`, when given: the engine's checkpoint at the end; `held`: per destination, the
// profiles it holds then (what a destination dropped from the rules keeps).
bool members_after(const LoadedRules& r, const RuleDiffOptions& o, Members& out, std::string& error,
                   std::string* state = nullptr, std::map<std::string, int64_t>* held = nullptr) {
  std::ifstream in(o.input, std::ios::binary);
  if (!in) {
    error = "cannot read " + o.input;
    return false;
  }
  DiscardSink sink;
  rt::Engine engine(*r.bundle, sink);
  JitTier tier(*r.bundle, o.backend, false, r.object, o.notify);
  tier.attach(engine.interp());
  rt::InputParser parser(*r.bundle, engine.interp().strings(), engine.interp().sets());
  rt::Record rec;
  for (std::string line; std::getline(in, line);) {
    rt::LineResult res = parser.parse(line, rec);
    if (res.kind == rt::LineKind::Applied || res.kind == rt::LineKind::Ignored) engine.process(rec);
  }
  engine.finish(o.until);
  const ir::Bundle& b = *r.bundle;
  for (size_t a = 0; a < b.audiences.size(); ++a) out[b.audiences[a].name];
  for (const rt::Profile& p : engine.profile_states())
    for (size_t a = 0; a < b.audiences.size(); ++a)
      if (p.bit(p.member, static_cast<int32_t>(a)))
        out[b.audiences[a].name].emplace_back(engine.interp().strings().get(p.id));
  for (auto& [name, keys] : out) std::sort(keys.begin(), keys.end());
  if (held)
    for (const ir::Destination& d : b.destinations) {
      int64_t& n = (*held)[d.name];
      for (const rt::Profile& p : engine.profile_states()) {
        bool holds = false;
        for (size_t j = 0; j < d.audiences.size(); ++j) holds = holds || p.sent[d.sent_base + j].sent;
        n += holds;
      }
    }
  if (state) engine.save(*state);
  return true;
}

// The old rules' state under the new rules: the ops of the rule change a deployment at
// the end of the input would make, per destination and downstream audience.
bool rule_change_ops(const LoadedRules& r, const RuleDiffOptions& o, const std::string& state, CountingSink& sink,
                     std::vector<std::string>& notes, std::string& error) {
  rt::Engine engine(*r.bundle, sink);
  JitTier tier(*r.bundle, o.backend, false, r.object, o.notify);
  tier.attach(engine.interp());
  if (!engine.load(state, error)) {
    error = "the old rules' state cannot be carried into the new rules: " + error;
    return false;
  }
  if (engine.rule_change_pending()) notes = engine.apply_rule_change().notes;
  return true;
}

}  // namespace

const char* change_name(AudienceChange c) {
  switch (c) {
    case AudienceChange::Changed: return "changed";
    case AudienceChange::Unchanged: return "unchanged";
    case AudienceChange::Added: return "added";
    case AudienceChange::Removed: return "removed";
  }
  return "?";
}

RuleDiff diff_rules(const LoadedRules& old_rules, const LoadedRules& new_rules, const RuleDiffOptions& o) {
  RuleDiff out;
  out.destinations = diff_destinations(*old_rules.bundle, *new_rules.bundle);
  if (o.input.empty()) {
    out.ok = true;
    return out;
  }
  Members before, after;
  std::string state;
  std::map<std::string, int64_t> held;
  if (!members_after(old_rules, o, before, out.error, &state, &held) || !members_after(new_rules, o, after, out.error))
    return out;
  CountingSink sink(*new_rules.bundle);
  if (!rule_change_ops(new_rules, o, state, sink, out.notes, out.error)) return out;
  for (DestinationDiff& d : out.destinations) {
    d.measured = true;
    if (auto c = sink.counts.find(d.destination); c != sink.counts.end()) d.ops = c->second;
    if (new_rules.bundle->destination(d.destination) < 0) d.left_held = held[d.destination];
  }
  out.measured = true;
  std::set<std::string> names;
  for (const auto& [n, _] : before) names.insert(n);
  for (const auto& [n, _] : after) names.insert(n);
  static const std::vector<std::string> none;
  for (const std::string& n : names) {
    AudienceDiff row;
    row.audience = n;
    auto b = before.find(n), a = after.find(n);
    const auto& old_keys = b == before.end() ? none : b->second;
    const auto& new_keys = a == after.end() ? none : a->second;
    row.before = old_keys.size();
    row.after = new_keys.size();
    std::set_difference(new_keys.begin(), new_keys.end(), old_keys.begin(), old_keys.end(),
                        std::back_inserter(row.enter));
    std::set_difference(old_keys.begin(), old_keys.end(), new_keys.begin(), new_keys.end(),
                        std::back_inserter(row.leave));
    row.change = b == before.end()                        ? AudienceChange::Added
                 : a == after.end()                       ? AudienceChange::Removed
                 : row.enter.empty() && row.leave.empty() ? AudienceChange::Unchanged
                                                          : AudienceChange::Changed;
    out.audiences.push_back(std::move(row));
  }
  out.ok = true;
  return out;
}

}  // namespace seg::host
