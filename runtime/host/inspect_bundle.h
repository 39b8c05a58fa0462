#pragma once
// `seg inspect`'s work: what a `.segb` bundle holds, without running it: the file read
// and verified (digest, format version), its manifest and IR checked to decode, and
// whether its object code may run on this host. Returned as data; the caller prints.
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace seg::host {

struct BundleInfo {
  bool ok = false;
  std::string error;         // when !ok: what is wrong, with the path
  nlohmann::json manifest;   // the bundle's manifest (a JSON object; docs/bundles.md)
  size_t bytes = 0;          // the file's size
  std::string object_unusable;  // why its object code cannot run here (also "the bundle has no
                                // object code"); "" when it runs here as is
};

BundleInfo inspect_bundle(const std::string& path);

}  // namespace seg::host
