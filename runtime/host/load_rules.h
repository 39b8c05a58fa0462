#pragma once
// Loading the rules a runtime verb was given: a compiled `.segb` bundle (its IR, and its
// object code when it can run on this host) or `.seg` sources compiled and lowered; with
// trusted keys, only a bundle signed by one of them (signing.h).
// Status, diagnostics and notes come back as data; the caller prints and picks exit codes.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/bundle/bundle_file.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/ir.h"

namespace seg::host {

enum class LoadStatus {
  Ok,
  MissingPaths,  // some paths do not exist (`missing`)
  NoRuleFiles,   // the paths hold no .seg file
  RuleErrors,    // the sources did not check (`compilation->diags`)
  BadBundle,     // a .segb that cannot be read, verified or decoded (`error`)
  BadTrustedKeys,  // the trusted-keys file cannot be read or holds no usable key (`error`)
  Untrusted,     // with trusted keys: sources, or a bundle unsigned, signed by another
                 // key or whose signature does not match (`error`)
};

struct LoadedRules {
  LoadStatus status = LoadStatus::Ok;
  std::unique_ptr<Compilation> compilation;  // null for a .segb bundle
  std::unique_ptr<ir::Bundle> bundle;        // null unless status is Ok
  // From a .segb bundle: its object code when it can run on this host (else empty, with
  // a note that the IR is compiled instead).
  std::string object;
  std::vector<std::string> missing;
  std::string error;               // BadBundle: what is wrong, with the path
  std::vector<std::string> notes;  // "note: …" lines for the user

  bool ok() const { return status == LoadStatus::Ok; }
};

// A single path ending in `.segb` is a compiled bundle; anything else is sources
// (directories searched for *.seg).
bool is_bundle_path(const std::vector<std::string>& paths);

// trusted_keys: a trusted-keys file (signing.h), read at every call, so a running
// process picks up a rotated file on its next swap; "" accepts any rules.
LoadedRules load_rules(const std::vector<std::string>& paths, const std::string& trusted_keys = "");

// A .segb read, verified (digest, version), its manifest parsed and its IR decoded, and
// whether its object code may run here: the one reader `seg run` and `seg inspect` share.
// With `trusted`, the signature is checked right after the digest, before the manifest or
// IR is decoded; a refusal sets `untrusted`.
struct TrustedKeys;
struct OpenedBundle {
  bundle::BundleFile file;
  nlohmann::json manifest;
  std::unique_ptr<ir::Bundle> ir;
  size_t bytes = 0;
  std::string object_mismatch;  // why the object code cannot run here; "" when it can
  bool untrusted = false;       // refused by the trusted-keys check
};
bool open_bundle(const std::string& path, OpenedBundle& out, std::string& error,
                 const TrustedKeys* trusted = nullptr);

// The whole file in `bytes`; false when it cannot be read.
bool read_whole_file(const std::string& path, std::string& bytes);

}  // namespace seg::host
