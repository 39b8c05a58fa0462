// Reading a .segb bundle into what it holds (seg inspect). Never prints.
#include "runtime/host/inspect_bundle.h"

#include "runtime/host/load_rules.h"

namespace seg::host {

BundleInfo inspect_bundle(const std::string& path, const std::string& trusted_keys) {
  BundleInfo out;
  TrustedKeys trusted;
  if (!trusted_keys.empty() && !load_trusted_keys(trusted_keys, trusted, out.error)) {
    out.bad_trusted_keys = true;
    return out;
  }
  OpenedBundle opened;
  if (!open_bundle(path, opened, out.error, trusted_keys.empty() ? nullptr : &trusted)) {
    out.untrusted = opened.untrusted;
    return out;
  }
  out.object_unusable = std::move(opened.object_mismatch);
  out.manifest = std::move(opened.manifest);
  out.bytes = opened.bytes;
  out.signature = describe_signature(opened.file);
  out.ok = true;
  return out;
}

}  // namespace seg::host
