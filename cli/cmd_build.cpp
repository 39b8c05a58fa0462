// `seg build FILES… -o NAME.segb [--sign KEY]`: compiles rule files into one bundle file
// (manifest, serialised IR, sources, object code for this host, an Ed25519 signature;
// docs/bundles.md; assembled by runtime/host/make_bundle.h), and `seg inspect B.segb
// [--format json] [--trusted-keys FILE]`: what a bundle holds and who signed it, without
// running it (read by runtime/host/inspect_bundle.h). Options and printing.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/host_options.h"
#include "cli/commands.h"
#include "cli/usage.h"
#include "runtime/host/inspect_bundle.h"
#include "runtime/host/make_bundle.h"
#include "runtime/host/signing.h"
#include "runtime/service/run.h"

namespace seg::cli {
Runner add_build(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
    std::string output;
    std::string sign;
    int jit_opt = 2;
    bool no_object = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "build",
      "Compile rule files into a bundle (.segb) for production\n"
      "  example: seg build examples/retention -o retention.segb --sign ops.key");
  add_file_options(sub, o->paths, o->diag, false);
  sub->add_option("-o,--output", o->output, "Bundle file to write (NAME.segb)")->required();
  sub->add_option("--jit-opt", o->jit_opt, "Optimisation level of the object code: 0 or 2 (default 2)")
      ->check(CLI::IsMember({0, 2}));
  sub->add_flag("--no-object", o->no_object, "Leave out object code (the IR is compiled when the bundle is run)");
  sub->add_option("--sign", o->sign,
                  "Sign the bundle with this Ed25519 private key (PEM, PKCS#8; `seg keygen` writes one)")
      ->type_name("KEY");
  return [o]() {
    bundle::SigningKey key;
    std::string error;
    if (!o->sign.empty() && !host::load_signing_key(o->sign, key, error)) {
      std::cerr << kErrorPrefix << error << "\n";
      return kExitUsage;
    }
    int code = 0;
    LoadedRules r = load_rules(o->paths, o->diag, code);
    if (!r.bundle) return code;
    if (!r.compilation) {
      std::cerr << kErrorPrefix << "seg build takes .seg files, not a bundle\n";
      return kExitUsage;
    }
    host::MakeBundleOptions mo;
    mo.name = std::filesystem::path(o->output).stem().string();
    mo.jit_opt = o->jit_opt;
    mo.object = !o->no_object;
    if (!o->sign.empty()) mo.sign = &key;
    host::MadeBundle made = host::make_bundle(*r.compilation, *r.bundle, mo);
    for (const std::string& w : made.warnings) std::cerr << w << "\n";
    if (made.bytes.empty()) {
      std::cerr << kErrorPrefix << made.error << "\n";
      return kExitRuntime;
    }
    if (!rt::write_file(o->output, made.bytes, error)) {
      std::cerr << kErrorPrefix << error << "\n";
      return kExitRuntime;
    }
    const int object_opt = made.object_opt;
    const jit::Target& t = made.target;
    std::cout << fmt::format("built {}: revision {}, {} audiences, {} destinations, {}{}\n", o->output,
                             r.bundle->revision, r.bundle->audiences.size(), r.bundle->destinations.size(),
                             object_opt < 0 ? std::string("no object code")
                                            : fmt::format("object code {} bytes (-O{}, {} {})", made.file.object.size(),
                                                          object_opt, t.triple, t.cpu),
                             made.signer_key_id.empty() ? "" : ", signed by key id " + made.signer_key_id);
    return kExitOk;
  };
}

Runner add_inspect(CLI::App& app) {
  struct Opts {
    std::string path;
    std::string format = "human";
    std::string trusted_keys;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "inspect",
      "Show what a bundle (.segb) holds\n"
      "  example: seg inspect retention.segb --trusted-keys trusted.pem");
  sub->add_option("bundle", o->path, "Bundle file")->required();
  sub->add_option("--format", o->format, "human or json")->check(CLI::IsMember({"human", "json"}));
  sub->add_option("--trusted-keys", o->trusted_keys,
                  "Also check the signer against these public keys, as seg run does (exit 3 when refused)")
      ->type_name("FILE");
  return [o]() {
    host::BundleInfo info = host::inspect_bundle(o->path, o->trusted_keys);
    if (!info.ok) {
      std::cerr << kErrorPrefix << (info.untrusted ? "refused: " : "") << info.error << "\n";
      return info.bad_trusted_keys ? kExitUsage : kExitRuntime;
    }
    nlohmann::json& m = info.manifest;
    const std::string& why = info.object_unusable;
    const host::SignatureInfo& sig = info.signature;
    if (o->format == "json") {
      m["bytes"] = info.bytes;
      m["object_usable_here"] = why.empty();
      if (!why.empty()) m["object_unusable_because"] = why;
      if (sig.is_signed)
        m["signature"] = {{"algorithm", "ed25519"}, {"key_id", sig.key_id}, {"matches", sig.matches}};
      else
        m["signature"] = nullptr;
      if (!o->trusted_keys.empty()) m["trusted"] = true;
      std::cout << m.dump(2) << "\n";
      return kExitOk;
    }
    auto str = [](const nlohmann::json& j, const char* k) {
      return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string("?");
    };
    std::cout << fmt::format("bundle    {} ({} bytes, format {})\n", str(m, "name"), info.bytes,
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
    if (!sig.is_signed)
      std::cout << "signature none (unsigned)\n";
    else
      std::cout << fmt::format("signature key id {} (Ed25519): {}\n", sig.key_id,
                               !sig.matches              ? "DOES NOT MATCH the bundle's bytes"
                               : o->trusted_keys.empty() ? "matches the bundle's bytes"
                                                         : "matches, key trusted by " + o->trusted_keys);
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
