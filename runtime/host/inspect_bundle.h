#pragma once
// `seg inspect`'s work: what a `.segb` bundle holds, without running it: the file read
// and verified (digest, format version), its manifest and IR checked to decode, whether
// its object code may run on this host, and who signed it (checked against the signer's
// own key; whether that key is trusted is `seg run --trusted-keys`' question). Returned
// as data; the caller prints.
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime/host/signing.h"

namespace seg::host {

struct BundleInfo {
  bool ok = false;
  std::string error;         // when !ok: what is wrong, with the path
  bool untrusted = false;    // when !ok: refused by the trusted keys
  bool bad_trusted_keys = false;  // when !ok: the trusted-keys file itself is wrong
  nlohmann::json manifest;   // the bundle's manifest (a JSON object; docs/bundles.md)
  size_t bytes = 0;          // the file's size
  std::string object_unusable;  // why its object code cannot run here (also "the bundle has no
                                // object code"); "" when it runs here as is
  SignatureInfo signature;      // unsigned, or the signer's key id and whether it matches
};

// trusted_keys: a trusted-keys file (signing.h) the signer must be in, as for seg run;
// "" to only describe the signature.
BundleInfo inspect_bundle(const std::string& path, const std::string& trusted_keys = "");

}  // namespace seg::host
