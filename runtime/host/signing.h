#pragma once
// Signed bundles on the host's side (RUNTIME.md §5, docs/bundles.md "Signed bundles"):
// key files read for `seg build --sign`, key pairs written for `seg keygen`, the
// trusted-keys file of `seg run --trusted-keys`, and the check that a bundle is signed by
// one of those keys with a signature that matches its bytes. The crypto itself is
// compiler/bundle/signature.h. Status and messages come back as data; nothing prints.
#include <string>
#include <vector>

#include "compiler/bundle/bundle_file.h"
#include "compiler/bundle/signature.h"

namespace seg::host {

struct TrustedKeys {
  std::string path;               // the file they came from (for messages)
  std::vector<std::string> keys;  // raw 32-byte Ed25519 public keys, no repeats
};

// A trusted-keys file: one or more PEM public keys (concatenated `seg keygen` .pub files;
// text between the blocks is ignored). False with `error` set (with the path).
bool load_trusted_keys(const std::string& path, TrustedKeys& out, std::string& error);

// A PEM private key file for `seg build --sign`. False with `error` set (with the path).
bool load_signing_key(const std::string& path, bundle::SigningKey& out, std::string& error);

// Why the bundle read from `path` may not run under `trusted` (one sentence starting
// with the path: unsigned, signed by a key not in the file, or a signature that does not
// match its bytes), or "" when it may.
std::string check_signature(const std::string& path, const bundle::BundleFile& f, const TrustedKeys& trusted);

// What `seg inspect` shows of a bundle's signature.
struct SignatureInfo {
  bool is_signed = false;
  std::string key_id;    // the signer's key id (bundle::key_id)
  bool matches = false;  // the signature is the signer's over the bundle's bytes
};
SignatureInfo describe_signature(const bundle::BundleFile& f);

// `seg keygen -o PREFIX`: PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub
// (SubjectPublicKeyInfo PEM). Refuses to replace existing files unless `force`.
struct KeyPairFiles {
  std::string private_path, public_path, key_id;
};
bool write_key_pair(const std::string& prefix, bool force, KeyPairFiles& out, std::string& error);

}  // namespace seg::host
