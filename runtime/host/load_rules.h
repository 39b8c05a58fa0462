#pragma once
// Loading the rules a runtime verb was given: a compiled `.segb` bundle (its IR, and its
// object code when it can run on this host) or `.seg` sources compiled and lowered.
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

LoadedRules load_rules(const std::vector<std::string>& paths);

// A .segb read, verified (digest, version), its manifest parsed and its IR decoded, and
// whether its object code may run here: the one reader `seg run` and `seg inspect` share.
struct OpenedBundle {
  bundle::BundleFile file;
  nlohmann::json manifest;
  std::unique_ptr<ir::Bundle> ir;
  size_t bytes = 0;
  std::string object_mismatch;  // why the object code cannot run here; "" when it can
};
bool open_bundle(const std::string& path, OpenedBundle& out, std::string& error);

// The whole file in `bytes`; false when it cannot be read.
bool read_whole_file(const std::string& path, std::string& bytes);

}  // namespace seg::host
