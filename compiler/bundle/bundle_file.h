#pragma once
// The .segb file (issue 5, RUNTIME.md §5; format in docs/bundles.md): a manifest, the
// serialised IR, the sources and, optionally, object code compiled for the build host,
// in sections after a magic number and a format version, closed by a SHA-256 of every
// byte before it. Reading checks the digest and the version before anything else and
// bounds every section, so a corrupt, truncated, tampered or future file is an error.
// Lengths are u64, written and read with compiler/binary/codec.h. A signed bundle has
// one more section, last: an Ed25519 signature over every byte before it (signature.h);
// whether the signer is trusted is the host's question (runtime/host/signing.h).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seg::bundle {

inline constexpr uint32_t kFormatVersion = 1;

struct SourceText {
  std::string path;
  std::string text;
};

struct Signature {
  uint32_t algorithm = 0;  // kSignatureEd25519
  std::string public_key;  // the signer's raw 32-byte public key
  std::string value;       // the raw 64-byte signature of `BundleFile::signed_message`
};

struct SigningKey;  // signature.h

struct BundleFile {
  std::string manifest;  // JSON (docs/bundles.md)
  std::string ir;        // compiler/ir/serialize.h
  std::vector<SourceText> sources;
  std::string object;    // relocatable object for the build host; empty when none
  // read() of a signed bundle: its signature, and the message it must be the signature
  // of (signature.h signed_message() over the bytes before the signature section).
  // write() ignores both: it signs only when given a key.
  std::optional<Signature> signature;
  std::string signed_message;
};

std::string write(const BundleFile& f);
// The bundle signed with `key` (a last section, docs/bundles.md); empty with `error` set
// when signing fails.
std::string write(const BundleFile& f, const SigningKey& key, std::string& error);
// False with `error` set (one sentence, no trailing period) when `bytes` is not a
// readable bundle of a supported format version. A signature section is read and bounded
// (algorithm, key and signature sizes) but not verified.
bool read(std::string_view bytes, BundleFile& out, std::string& error);

}  // namespace seg::bundle
