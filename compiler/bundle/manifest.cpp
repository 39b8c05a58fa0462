#include "compiler/bundle/manifest.h"

#include "stdlib/builtins/builtins.h"

namespace seg::bundle {

nlohmann::json make_manifest(const ir::Bundle& b, const std::string& name, const std::vector<SourceText>& sources,
                             const Host& host, int object_opt, size_t object_bytes) {
  nlohmann::json m;
  m["format"] = kFormatVersion;
  m["name"] = name;
  m["revision"] = b.revision;
  m["compiler"] = kCompilerVersion;
  m["llvm"] = host.llvm;
  m["target"] = {{"triple", host.triple}, {"cpu", host.cpu}, {"features", host.features}};
  nlohmann::json files = nlohmann::json::array();
  for (const SourceText& s : sources) files.push_back({{"path", s.path}, {"sha256", builtins::sha256_hex(s.text)}});
  m["files"] = files;
  nlohmann::json audiences = nlohmann::json::array();
  for (const ir::Audience& a : b.audiences)
    audiences.push_back({{"name", a.name}, {"kind", a.kind == ir::AudienceKind::Segment ? "segment" : "tier"}});
  m["audiences"] = audiences;
  nlohmann::json dests = nlohmann::json::array();
  for (const ir::Destination& d : b.destinations) {
    nlohmann::json names = nlohmann::json::array();
    for (int32_t a : d.audiences) names.push_back(b.audiences[a].name);
    dests.push_back({{"name", d.name}, {"type", d.type}, {"downstream", d.downstream}, {"audiences", names}});
  }
  m["destinations"] = dests;
  if (object_opt >= 0) m["object"] = {{"opt", object_opt}, {"bytes", object_bytes}};
  else m["object"] = nullptr;
  return m;
}

std::string object_mismatch(const nlohmann::json& m, const Host& here) {
  auto text = [&](const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
  };
  if (!m.contains("object") || m["object"].is_null()) return "the bundle has no object code";
  if (text(m, "compiler") != kCompilerVersion) return "it was built by " + text(m, "compiler");
  if (text(m, "llvm") != here.llvm) return "it was compiled with LLVM " + text(m, "llvm") + ", this seg uses " + here.llvm;
  const nlohmann::json& t = m.contains("target") && m["target"].is_object() ? m["target"] : nlohmann::json::object();
  if (text(t, "triple") != here.triple) return "it was compiled for " + text(t, "triple") + ", this host is " + here.triple;
  if (text(t, "cpu") != here.cpu || text(t, "features") != here.features)
    return "it was compiled for CPU " + text(t, "cpu") + " with other features than this host's (" + here.cpu + ")";
  return "";
}

}  // namespace seg::bundle
