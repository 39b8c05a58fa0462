// `seg explain RULES --input F --profile ID [--at T] [--audience A]`: runs the stream up
// to T (default: its end) with the interpreter — from `--state DIR` (a `seg run --state`
// folder, read-only) or `--checkpoint FILE` when given, then shows every audience of that profile,
// in or out, with the value of each sub-condition (worked out by
// runtime/host/explain_profile.h; printed here).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/host_options.h"
#include "cli/usage.h"
#include "runtime/host/explain_profile.h"
#include "runtime/service/state_snapshot.h"
#include "stdlib/builtins/builtins.h"

namespace seg::cli {
namespace {

void print_node(const rt::ExplainNode& n, const std::string& indent, const std::string& label = "") {
  std::cout << fmt::format("{}{}{}  = {}\n", indent, label, n.text, n.value);
  for (const auto& c : n.children) print_node(c, indent + std::string(label.empty() ? 4 : label.size() + 2, ' '));
}

nlohmann::ordered_json node_json(const rt::ExplainNode& n) {
  nlohmann::ordered_json j = {{"text", n.text}, {"value", n.value}, {"children", nlohmann::ordered_json::array()}};
  for (const auto& c : n.children) j["children"].push_back(node_json(c));
  return j;
}

// `--format json`: the same facts as the human report, for scripts and editors.
nlohmann::ordered_json explained_json(const std::string& profile, const host::ProfileExplained& x) {
  nlohmann::ordered_json j;
  j["profile"] = profile;
  j["at"] = builtins::format_time(x.now);
  j["exists"] = x.exists;
  j["audiences"] = nlohmann::ordered_json::array();
  for (const host::AudienceExplained& a : x.audiences) {
    nlohmann::ordered_json o = {{"name", a.name}, {"in", a.in}, {"holdout", a.holdout}};
    if (a.kind == ir::AudienceKind::Segment) {
      o["kind"] = "segment";
      o["when"] = node_json(a.when);
      o["excludes"] = nlohmann::ordered_json::array();
      for (const host::ExcludeExplained& e : a.excludes) o["excludes"].push_back({{"audience", e.audience}, {"member", e.member}});
      if (a.ttl && a.in)
        o["ttl"] = {{"entered", builtins::format_time(a.ttl_entered)}, {"leaves", builtins::format_time(a.ttl_leaves)}};
      else if (a.ttl)
        o["ttl"] = {{"blocked", a.ttl_blocked}};
    } else {
      o["kind"] = "tier";
      o["from"] = a.from ? nlohmann::ordered_json(*a.from) : nlohmann::ordered_json();
      o["from_member"] = a.from_member;
      o["arm"] = a.arm ? node_json(*a.arm) : nlohmann::ordered_json();  // null: the else arm
    }
    j["audiences"].push_back(std::move(o));
  }
  j["next_change"] = x.next_change != rt::kNever ? nlohmann::ordered_json(builtins::format_time(x.next_change))
                                                 : nlohmann::ordered_json();
  return j;
}

}  // namespace

Runner add_explain(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    std::string input, profile, at, audience, format = "human", state, checkpoint;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "explain",
      "Why a profile is in or out of each audience\n"
      "  example: seg explain examples/retention --input events.ndjson --profile u000271 --audience cart_abandoners");
  add_file_options(sub, o->paths, o->diag, false, /*bundles=*/true);
  sub->add_option("--input", o->input,
                  "NDJSON input file (with --state: read on from the state's position; with --checkpoint: the "
                  "records after it)");
  auto* state = sub->add_option("--state", o->state,
                                "Start from the last commit of a `seg run --state` folder (opened read-only)");
  sub->add_option("--checkpoint", o->checkpoint, "Start from a `seg run --checkpoint` file")->excludes(state);
  sub->add_option("--profile", o->profile, "The profile key (userId or anonymousId)")->required();
  sub->add_option("--at", o->at, "Explain at this instant (default: the end of the input, or the state's watermark)");
  sub->add_option("--audience", o->audience, "Only this audience");
  sub->add_option("--format", o->format, "human, or json (the same facts as one JSON object)")
      ->check(CLI::IsMember({"human", "json"}));
  return [o]() {
    int code = 0;
    LoadedRules r = load_rules(o->paths, o->diag, code);
    if (!r.bundle) return code;
    const ir::Bundle& b = *r.bundle;
    std::optional<int64_t> at;
    if (!o->at.empty()) {
      int64_t t = 0;
      if (!parse_cli_time(o->at, "--at", t)) return kExitUsage;
      at = t;
    }
    if (o->input.empty() && o->state.empty() && o->checkpoint.empty()) {
      std::cerr << kErrorPrefix << "give --input, --state or --checkpoint: there is nothing to explain from\n";
      return kExitUsage;
    }
    std::optional<host::ExplainStart> start;
    std::string error;
    if (!o->state.empty()) {
      rt::StateSnapshot snap;
      if (!rt::read_state_snapshot(o->state, snap, error)) {
        std::cerr << kErrorPrefix << error << "\n";
        return kExitRuntime;
      }
      start = host::ExplainStart{std::move(snap.checkpoint), "state " + o->state, snap.input_offset};
    } else if (!o->checkpoint.empty()) {
      start.emplace();
      if (!host::read_checkpoint_file(o->checkpoint, *start, error)) {
        std::cerr << kErrorPrefix << error << "\n";
        return kExitRuntime;
      }
    }
    host::ProfileExplained x =
        host::explain_profile(b, o->input, o->profile, at, o->audience, start ? &*start : nullptr);
    if (!x.rule_change.empty())
      std::cerr << "note: " << start->origin << " was written by other rules (bundle " << x.rule_change
                << "): explained after carrying it over, as a resumed `seg run` does\n";
    if (x.status != host::ExplainStatus::Ok) {
      std::cerr << kErrorPrefix << x.error << "\n";
      if (x.status == host::ExplainStatus::NoSuchProfile) {
        if (!x.nearest.empty()) {
          std::string list;
          for (const std::string& k : x.nearest) list += (list.empty() ? "`" : ", `") + k + "`";
          std::cerr << "  = help: the nearest ids in the " << (start ? "state" : "input") << ": " << list << "\n";
        }
        return kExitFailed;
      }
      bool usage = x.status == host::ExplainStatus::NoSuchAudience || x.status == host::ExplainStatus::AtBeforeState;
      return usage ? kExitUsage : kExitRuntime;
    }
    if (o->format == "json") {
      std::cout << explained_json(o->profile, x).dump(2) << "\n";
      return kExitOk;
    }
    if (!x.exists) {
      std::cout << fmt::format("profile {} does not exist at {}: no record of it was applied, so it is in no audience\n",
                               o->profile, builtins::format_time(x.now));
      return kExitOk;
    }
    std::cout << fmt::format("profile {} at {}\n", o->profile, builtins::format_time(x.now));
    for (const host::AudienceExplained& a : x.audiences) {
      std::cout << fmt::format("\n{} {}{}\n", a.in ? "IN " : "OUT", a.name, a.holdout ? "  (holdout)" : "");
      if (a.kind == ir::AudienceKind::Segment) {
        print_node(a.when, "    ", "when ");
        for (const host::ExcludeExplained& e : a.excludes)
          std::cout << fmt::format("    exclude {}  = {}\n", e.audience, e.member ? "member (excluded)" : "not a member");
        if (a.ttl) {
          if (a.in)
            std::cout << fmt::format("    ttl: entered {}, leaves at {}\n", builtins::format_time(a.ttl_entered),
                                     builtins::format_time(a.ttl_leaves));
          else if (a.ttl_blocked)
            std::cout << "    ttl: ran out; re-entry waits until `when` is false at some instant\n";
        }
      } else {
        if (a.from) std::cout << fmt::format("    from {}  = {}\n", *a.from, a.from_member ? "member" : "not a member");
        if (a.arm) print_node(*a.arm, "    ", "arm ");
        else std::cout << "    arm else\n";
      }
    }
    if (x.next_change != rt::kNever)
      std::cout << fmt::format("\nnext possible change: {}\n", builtins::format_time(x.next_change));
    return kExitOk;
  };
}

}  // namespace seg::cli
