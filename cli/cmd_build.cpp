// `seg build FILES… -o NAME.segb`: compiles rule files into one bundle file (manifest,
// serialised IR, sources, object code for this host; docs/bundles.md), and
// `seg inspect B.segb [--format json]`: what a bundle holds, without running it.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/host_options.h"
#include "cli/commands.h"
#include "compiler/bundle/bundle_file.h"
#include "compiler/bundle/manifest.h"
#include "compiler/ir/serialize.h"
#include "runtime/service/run.h"
#include "runtime/jit/jit.h"

namespace seg::cli {
Runner add_build(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    std::string output;
    int jit_opt = 2;
    bool no_object = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand("build", "Compile rule files into a bundle (.segb) for production");
  add_file_options(sub, o->paths, o->diag, false);
  sub->add_option("-o,--output", o->output, "Bundle file to write (NAME.segb)")->required();
  sub->add_option("--jit-opt", o->jit_opt, "Optimisation level of the object code: 0 or 2 (default 2)")
      ->check(CLI::IsMember({0, 2}));
  sub->add_flag("--no-object", o->no_object, "Leave out object code (the IR is compiled when the bundle is run)");
  return [o]() {
    int code = 0;
    LoadedRules r = load_rules(o->paths, o->diag, code);
    if (!r.bundle) return code;
    if (!r.compilation) {
      std::cerr << "error: seg build takes .seg files, not a bundle\n";
      return kExitUsage;
    }
    bundle::BundleFile f;
    for (const auto& pf : r.compilation->files) {
      const SourceFile& src = r.compilation->sources.file(pf.file->id);
      f.sources.push_back({src.path(), std::string(src.text())});
    }
    f.ir = ir::serialize(*r.bundle);
    jit::Target t = jit::host_target();
    int object_opt = -1;
    if (!o->no_object) {
      jit::Options opt;
      opt.opt_level = o->jit_opt;
      opt.bulk = true;
      std::string error;
      if (jit::compile_object(*r.bundle, opt, f.object, error)) {
        object_opt = o->jit_opt;
      } else {
        std::cerr << "warning: no object code in the bundle (" << error << "); it will be compiled when run\n";
        f.object.clear();
      }
    }
    std::string name = std::filesystem::path(o->output).stem().string();
    f.manifest = bundle::make_manifest(*r.bundle, name, f.sources, {t.llvm, t.triple, t.cpu, t.features}, object_opt,
                                       f.object.size())
                     .dump(2);
    std::string error;
    if (!rt::write_file(o->output, bundle::write(f), error)) {
      std::cerr << "error: " << error << "\n";
      return kExitRuntime;
    }
    std::cout << fmt::format("built {}: revision {}, {} audiences, {} destinations, {}\n", o->output,
                             r.bundle->revision, r.bundle->audiences.size(), r.bundle->destinations.size(),
                             object_opt < 0 ? std::string("no object code")
                                            : fmt::format("object code {} bytes (-O{}, {} {})", f.object.size(),
                                                          object_opt, t.triple, t.cpu));
    return kExitOk;
  };
}

Runner add_inspect(CLI::App& app) {
  struct Opts {
    std::string path;
    std::string format = "human";
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand("inspect", "Show what a bundle (.segb) holds");
  sub->add_option("bundle", o->path, "Bundle file")->required();
  sub->add_option("--format", o->format, "human or json")->check(CLI::IsMember({"human", "json"}));
  return [o]() {
    std::string bytes;
    if (!read_whole_file(o->path, bytes)) {
      std::cerr << "error: cannot read bundle " << o->path << "\n";
      return kExitRuntime;
    }
    bundle::BundleFile f;
    std::string error;
    if (!bundle::read(bytes, f, error)) {
      std::cerr << "error: " << o->path << ": " << error << "\n";
      return kExitRuntime;
    }
    nlohmann::json m = nlohmann::json::parse(f.manifest, nullptr, false);
    if (m.is_discarded() || !m.is_object() || !ir::deserialize(f.ir, error)) {
      std::cerr << "error: " << o->path << ": " << (error.empty() ? "the manifest is not JSON" : error) << "\n";
      return kExitRuntime;
    }
    jit::Target t = jit::host_target();
    std::string why = bundle::object_mismatch(m, {t.llvm, t.triple, t.cpu, t.features});
    if (o->format == "json") {
      m["bytes"] = bytes.size();
      m["object_usable_here"] = why.empty();
      if (!why.empty()) m["object_unusable_because"] = why;
      std::cout << m.dump(2) << "\n";
      return kExitOk;
    }
    auto str = [](const nlohmann::json& j, const char* k) {
      return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string("?");
    };
    std::cout << fmt::format("bundle    {} ({} bytes, format {})\n", str(m, "name"), bytes.size(),
                             m.value("format", 0));
    std::cout << fmt::format("revision  {}\ncompiler  {}, LLVM {}\n", str(m, "revision"), str(m, "compiler"),
                             str(m, "llvm"));
    if (m.contains("target") && m["target"].is_object())
      std::cout << fmt::format("target    {} {}\n", str(m["target"], "triple"), str(m["target"], "cpu"));
    if (m["object"].is_object())
      std::cout << fmt::format("object    {} bytes at -O{}: {}\n", m["object"].value("bytes", 0),
                               m["object"].value("opt", 0), why.empty() ? "runs here as is" : "not usable here: " + why);
    else
      std::cout << "object    none (the IR is compiled when run)\n";
    std::cout << "files\n";
    for (const auto& file : m.value("files", nlohmann::json::array()))
      std::cout << fmt::format("  {}  sha256 {}\n", str(file, "path"), str(file, "sha256").substr(0, 16));
    std::cout << "audiences\n";
    for (const auto& a : m.value("audiences", nlohmann::json::array()))
      std::cout << fmt::format("  {} ({})\n", str(a, "name"), str(a, "kind"));
    std::cout << "destinations\n";
    for (const auto& d : m.value("destinations", nlohmann::json::array())) {
      std::string auds;
      for (const auto& a : d.value("audiences", nlohmann::json::array()))
        auds += (auds.empty() ? "" : ", ") + (a.is_string() ? a.get<std::string>() : std::string("?"));
      std::cout << fmt::format("  {} ({}) -> \"{}\": {}\n", str(d, "name"), str(d, "type"), str(d, "downstream"), auds);
    }
    return kExitOk;
  };
}

}  // namespace seg::cli
