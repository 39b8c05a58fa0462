// `seg keygen -o PREFIX [--force]`: a new Ed25519 key pair for signed bundles
// (docs/bundles.md "Signed bundles"): PREFIX.key, the private key for `seg build --sign`
// (PKCS#8 PEM, mode 0600), and PREFIX.pub, the public key for `--trusted-keys`
// (written by runtime/host/signing.h). Options and printing.
#include <iostream>

#include "cli/commands.h"
#include "cli/usage.h"
#include "runtime/host/signing.h"

namespace seg::cli {

Runner add_keygen(CLI::App& app) {
  struct Opts {
    std::string prefix;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "keygen",
      "Make an Ed25519 key pair for signing bundles: PREFIX.key (private) and PREFIX.pub (public)\n"
      "  example: seg keygen -o ops");
  sub->add_option("-o,--output", o->prefix, "Path prefix of the two files (PREFIX.key, PREFIX.pub)")
      ->required()
      ->type_name("PREFIX");
  sub->add_flag("--force", o->force, "Replace existing key files");
  return [o]() {
    host::KeyPairFiles files;
    std::string error;
    if (!host::write_key_pair(o->prefix, o->force, files, error)) {
      std::cerr << kErrorPrefix << error << "\n";
      return kExitRuntime;
    }
    std::cout << "wrote " << files.private_path << " (private: seg build --sign; keep it secret) and "
              << files.public_path << " (public: seg run --trusted-keys), key id " << files.key_id << "\n";
    return kExitOk;
  };
}

}  // namespace seg::cli
