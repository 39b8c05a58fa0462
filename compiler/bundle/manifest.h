#pragma once
// A bundle's manifest (docs/bundles.md): what `seg inspect` shows and what the loader
// compares with the running host before it uses the object code.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/bundle/bundle_file.h"
#include "compiler/ir/ir.h"

namespace seg::bundle {

inline constexpr const char* kCompilerVersion = "seg 0.1.0";

struct Host {  // where object code was (or would be) compiled
  std::string llvm, triple, cpu, features;
};

// name: the bundle's name (the output file's stem). object_opt: -1 when no object code.
nlohmann::json make_manifest(const ir::Bundle& b, const std::string& name, const std::vector<SourceText>& sources,
                             const Host& host, int object_opt, size_t object_bytes);

// Why the object code in a bundle built on `built` cannot run here, or "" when it can.
std::string object_mismatch(const nlohmann::json& manifest, const Host& here);

}  // namespace seg::bundle
