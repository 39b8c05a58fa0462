// Loading rules: a .segb bundle (read, verified, its object code checked against this
// host) or sources (compiled by the driver). Never prints.
#include "runtime/host/load_rules.h"

#include <fstream>

#include "compiler/bundle/bundle_file.h"
#include "compiler/bundle/manifest.h"
#include "compiler/ir/serialize.h"
#include "runtime/host/signing.h"
#include "runtime/jit/jit.h"

namespace seg::host {

bool read_whole_file(const std::string& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return false;
  bytes.resize(static_cast<size_t>(in.tellg()));
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(in);
}

bool is_bundle_path(const std::vector<std::string>& paths) {
  return paths.size() == 1 && paths[0].size() > 5 && paths[0].ends_with(".segb");
}

bool open_bundle(const std::string& path, OpenedBundle& out, std::string& error, const TrustedKeys* trusted) {
  std::string bytes;
  if (!read_whole_file(path, bytes)) {
    error = "cannot read bundle " + path;
    return false;
  }
  out.bytes = bytes.size();
  if (!bundle::read(bytes, out.file, error)) {
    error = path + ": " + error;
    return false;
  }
  if (trusted) {
    error = check_signature(path, out.file, *trusted);
    if (!error.empty()) {
      out.untrusted = true;
      return false;
    }
  }
  out.manifest = nlohmann::json::parse(out.file.manifest, nullptr, false);
  if (out.manifest.is_discarded() || !out.manifest.is_object()) {
    error = path + ": the bundle's manifest is not a JSON object";
    return false;
  }
  out.ir = ir::deserialize(out.file.ir, error);
  if (!out.ir) {
    error = path + ": " + error;
    return false;
  }
  jit::Target t = jit::host_target();
  out.object_mismatch = bundle::object_mismatch(out.manifest, {t.llvm, t.triple, t.cpu, t.features});
  return true;
}

namespace {

LoadedRules load_bundle(const std::string& path, const TrustedKeys* trusted) {
  LoadedRules out;
  OpenedBundle opened;
  if (!open_bundle(path, opened, out.error, trusted)) {
    out.status = opened.untrusted ? LoadStatus::Untrusted : LoadStatus::BadBundle;
    return out;
  }
  if (trusted)
    out.notes.push_back("note: " + path + ": signed by trusted key id " +
                        bundle::key_id(opened.file.signature->public_key));
  const std::string& why = opened.object_mismatch;
  if (why.empty()) out.object = std::move(opened.file.object);
  else if (!opened.file.object.empty())
    out.notes.push_back("note: " + path + ": compiling the IR, not using its object code: " + why);
  out.bundle = std::move(opened.ir);
  out.status = LoadStatus::Ok;
  return out;
}

}  // namespace

LoadedRules load_rules(const std::vector<std::string>& paths, const std::string& trusted_keys) {
  TrustedKeys trusted;
  if (!trusted_keys.empty()) {
    LoadedRules out;
    if (!load_trusted_keys(trusted_keys, trusted, out.error)) {
      out.status = LoadStatus::BadTrustedKeys;
      return out;
    }
    if (!is_bundle_path(paths)) {
      std::string what = paths.size() == 1 ? paths[0] : std::to_string(paths.size()) + " paths";
      out.error = what + ": rule sources are not signed, and --trusted-keys " + trusted_keys +
                  " runs only signed bundles (seg build --sign KEY -o NAME.segb)";
      out.status = LoadStatus::Untrusted;
      return out;
    }
  }
  if (is_bundle_path(paths)) return load_bundle(paths[0], trusted_keys.empty() ? nullptr : &trusted);
  LoadedRules out;
  std::vector<std::string> files = expand_paths(paths, out.missing);
  if (!out.missing.empty()) {
    out.status = LoadStatus::MissingPaths;
    return out;
  }
  if (files.empty()) {
    out.status = LoadStatus::NoRuleFiles;
    return out;
  }
  out.compilation = compile(files);
  if (out.compilation->diags.has_errors()) {
    out.status = LoadStatus::RuleErrors;
    return out;
  }
  out.bundle = build_bundle(*out.compilation);
  return out;
}

}  // namespace seg::host
