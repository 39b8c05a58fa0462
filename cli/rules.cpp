#include "cli/rules.h"

#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "compiler/bundle/bundle_file.h"
#include "compiler/bundle/manifest.h"
#include "compiler/ir/serialize.h"
#include "compiler/lower/lower.h"
#include "runtime/jit/jit.h"
#include "runtime/builtins/builtins.h"

namespace seg::cli {

bool read_whole_file(const std::string& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return false;
  bytes.resize(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(in);
}

namespace {

LoadedRules load_bundle(const std::string& path, int& exit_code) {
  LoadedRules out;
  exit_code = kExitRuntime;
  std::string bytes;
  if (!read_whole_file(path, bytes)) {
    std::cerr << "error: cannot read bundle " << path << "\n";
    return out;
  }
  bundle::BundleFile f;
  std::string error;
  if (!bundle::read(bytes, f, error)) {
    std::cerr << "error: " << path << ": " << error << "\n";
    return out;
  }
  nlohmann::json manifest = nlohmann::json::parse(f.manifest, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object()) {
    std::cerr << "error: " << path << ": the bundle's manifest is not a JSON object\n";
    return out;
  }
  auto b = ir::deserialize(f.ir, error);
  if (!b) {
    std::cerr << "error: " << path << ": " << error << "\n";
    return out;
  }
  jit::Target t = jit::host_target();
  std::string why = bundle::object_mismatch(manifest, {t.llvm, t.triple, t.cpu, t.features});
  if (why.empty()) out.object = std::move(f.object);
  else if (!f.object.empty()) std::cerr << "note: " << path << ": compiling the IR, not using its object code: " << why << "\n";
  out.bundle = std::move(b);
  exit_code = kExitOk;
  return out;
}

}  // namespace

LoadedRules load_rules(const std::vector<std::string>& paths, const DiagOptions& diag, int& exit_code) {
  if (paths.size() == 1 && paths[0].size() > 5 && paths[0].ends_with(".segb")) return load_bundle(paths[0], exit_code);
  LoadedRules out;
  std::vector<std::string> files;
  if (!collect_files(paths, files)) {
    exit_code = kExitUsage;
    return out;
  }
  out.compilation = compile(files);
  if (out.compilation->diags.has_errors()) {
    DiagOptions human = diag;
    human.format = "human";
    emit_diagnostics(out.compilation->sources, out.compilation->diags.sorted(), human);
    exit_code = kExitFailed;
    return out;
  }
  out.bundle = lower(*out.compilation);
  exit_code = kExitOk;
  return out;
}

bool parse_cli_time(const std::string& text, const char* flag, int64_t& out) {
  const char* why = nullptr;
  auto ms = builtins::parse_time(text, false, &why);
  if (!ms) {
    std::cerr << "error: " << flag << " `" << text << "` is not a timestamp: " << why << "\n";
    return false;
  }
  out = *ms;
  return true;
}

}  // namespace seg::cli
