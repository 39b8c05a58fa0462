#pragma once
// `seg diff`'s second half (issue 18): what changed in each destination between two rule
// sets, read from their IR alone, and what each change means for the next run
// (docs/rule-changes.md, "Destinations"). Destinations are matched by name, as a rule
// change matches them (runtime/state/migration.cpp). With an input, rule_diff.h adds the
// ops the rule change would send (DestinationOps).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace seg::host {

enum class DestChangeKind {
  Added,      // a destination only the new rules have
  Removed,    // only the old rules have it
  Type,       // `type`
  Name,       // downstream `name`
  Audiences,  // `audience` list
  MatchKeys,  // `match`
  Fields,     // `fields`
  Holdout,    // `include holdout`
  OnExit,     // `on exit`
};

// "added", "removed", "type", "name", "audience", "match", "fields", "include holdout",
// "on exit": the clause as it is written in rules.
const char* dest_change_name(DestChangeKind k);

struct DestChange {
  DestChangeKind kind;
  std::string before, after;                 // the clause's value as written ("" when absent)
  std::vector<std::string> added, removed;   // list clauses: entries only in new / only in old
  std::vector<std::string> changed;          // fields: same name, another attribute type
  std::string effect;                        // one sentence: what the next run does about it
};

// With --input: the ops the rule change would send to one downstream audience.
struct OpCounts {
  int64_t add = 0, remove = 0, update = 0;
};

struct DestinationDiff {
  std::string destination;
  std::string type;  // the new rules' type (the old one's when removed)
  std::vector<DestChange> changes;
  // With an input (rule_diff.h): downstream audience -> ops of the rule change, and for
  // a removed destination the members it holds and that nothing will remove.
  bool measured = false;
  std::map<std::string, OpCounts> ops;
  int64_t left_held = 0;
};

// Every destination of either rule set that changed, by name; unchanged ones are left out.
std::vector<DestinationDiff> diff_destinations(const ir::Bundle& old_rules, const ir::Bundle& new_rules);

}  // namespace seg::host
