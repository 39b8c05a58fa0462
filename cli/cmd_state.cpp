// `seg state inspect DIR [--format human|json]`: what a durable state (`seg run --state`)
// holds — profiles, record bytes, strings, bytes on disk, the bundle that wrote it, the
// watermark, the input position and each output file's committed size — without
// changing it (opened read-only, so it also works beside a running process's copy).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/usage.h"
#include "runtime/store/durable_state.h"

namespace seg::cli {

Runner add_state(CLI::App& app) {
  struct Opts {
    std::string dir, format = "human";
  };
  auto o = std::make_shared<Opts>();
  CLI::App* state = app.add_subcommand(
      "state",
      "Look into a durable state (seg run --state DIR)\n"
      "  example: seg state inspect /var/lib/seg/state --format json");
  state->require_subcommand(1);
  CLI::App* inspect = state->add_subcommand(
      "inspect",
      "What a state holds: profiles, bytes, watermark, positions\n"
      "  example: seg state inspect /var/lib/seg/state --format json");
  inspect->add_option("DIR", o->dir, "The state folder")->required();
  inspect->add_option("--format", o->format, "human or json")->check(CLI::IsMember({"human", "json"}));
  return [o]() {
    std::string error;
    auto store = rt::DurableState::open(o->dir, true, error);
    if (!store) {
      std::cerr << kErrorPrefix << error << "\n";
      return kExitRuntime;
    }
    rt::StateInfo info = store->inspect(o->dir);
    nlohmann::ordered_json run = info.committed ? nlohmann::ordered_json::parse(info.run, nullptr, false)
                                                : nlohmann::ordered_json::object();
    if (run.is_discarded()) run = nlohmann::ordered_json::object();
    nlohmann::ordered_json j;
    j["state"] = o->dir;
    j["format"] = info.format;
    j["committed"] = info.committed;
    j["bundle"] = info.revision;
    j["profiles"] = info.profiles;
    j["record_bytes"] = info.record_bytes;
    j["bytes_per_profile"] = info.profiles ? info.record_bytes / info.profiles : 0;
    j["strings"] = info.strings;
    j["sets"] = info.sets;
    j["disk_bytes"] = info.disk_bytes;
    j["watermark"] = run.value("watermark", "");
    j["input"] = run.contains("input") ? run["input"] : nlohmann::ordered_json::object();
    j["files"] = run.contains("files") ? run["files"] : nlohmann::ordered_json::object();
    if (o->format == "json") {
      std::cout << j.dump(2) << "\n";
      return kExitOk;
    }
    std::cout << fmt::format("state {} (format {})\n", o->dir, info.format);
    if (!info.committed) {
      std::cout << "  nothing committed yet\n";
      return kExitOk;
    }
    std::cout << fmt::format("  bundle     {}\n  watermark  {}\n", info.revision, j["watermark"].get<std::string>());
    std::cout << fmt::format("  profiles   {} ({} record bytes, {} per profile)\n", info.profiles, info.record_bytes,
                             j["bytes_per_profile"].get<int64_t>());
    std::cout << fmt::format("  strings    {}   sets {}\n  on disk    {} bytes\n", info.strings, info.sets, info.disk_bytes);
    if (run.contains("input"))
      std::cout << fmt::format("  input      {} lines, byte {}\n", run["input"]["lines"].get<int64_t>(),
                               run["input"]["offset"].get<int64_t>());
    for (const auto& [path, size] : j["files"].items()) std::cout << fmt::format("  file       {} ({} bytes)\n", path, size.get<int64_t>());
    return kExitOk;
  };
}

}  // namespace seg::cli
