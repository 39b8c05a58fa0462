// Reading a .segb bundle into what it holds (seg inspect). Never prints.
#include "runtime/host/inspect_bundle.h"

#include "compiler/bundle/bundle_file.h"
#include "compiler/bundle/manifest.h"
#include "compiler/ir/serialize.h"
#include "runtime/host/load_rules.h"
#include "runtime/jit/jit.h"

namespace seg::host {

BundleInfo inspect_bundle(const std::string& path) {
  BundleInfo out;
  std::string bytes;
  if (!read_whole_file(path, bytes)) {
    out.error = "cannot read bundle " + path;
    return out;
  }
  bundle::BundleFile f;
  std::string error;
  if (!bundle::read(bytes, f, error)) {
    out.error = path + ": " + error;
    return out;
  }
  nlohmann::json m = nlohmann::json::parse(f.manifest, nullptr, false);
  if (m.is_discarded() || !m.is_object() || !ir::deserialize(f.ir, error)) {
    out.error = path + ": " + (error.empty() ? "the manifest is not JSON" : error);
    return out;
  }
  jit::Target t = jit::host_target();
  out.object_unusable = bundle::object_mismatch(m, {t.llvm, t.triple, t.cpu, t.features});
  out.manifest = std::move(m);
  out.bytes = bytes.size();
  out.ok = true;
  return out;
}

}  // namespace seg::host
