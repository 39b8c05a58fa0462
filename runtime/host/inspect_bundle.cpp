// Reading a .segb bundle into what it holds (seg inspect). Never prints.
#include "runtime/host/inspect_bundle.h"

#include "runtime/host/load_rules.h"

namespace seg::host {

BundleInfo inspect_bundle(const std::string& path) {
  BundleInfo out;
  OpenedBundle opened;
  if (!open_bundle(path, opened, out.error)) return out;
  out.object_unusable = std::move(opened.object_mismatch);
  out.manifest = std::move(opened.manifest);
  out.bytes = opened.bytes;
  out.ok = true;
  return out;
}

}  // namespace seg::host
