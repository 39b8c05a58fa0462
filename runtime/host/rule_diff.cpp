// `seg diff`: two rule sets over one stream, their audiences' members compared. Never
// prints.
#include "runtime/host/rule_diff.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "runtime/engine/engine.h"
#include "runtime/io/input.h"

namespace seg::host {
namespace {

class DiscardSink : public rt::OpSink {
 public:
  void write(int32_t, std::string_view) override {}
};

// Audience name -> sorted member keys after the input, under one rule set.
using Members = std::map<std::string, std::vector<std::string>>;

bool members_after(const LoadedRules& r, const RuleDiffOptions& o, Members& out, std::string& error) {
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
  Members before, after;
  if (!members_after(old_rules, o, before, out.error) || !members_after(new_rules, o, after, out.error)) return out;
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
