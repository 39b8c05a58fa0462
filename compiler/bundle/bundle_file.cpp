// The .segb bytes (bundle_file.h; format in docs/bundles.md): sections written and read
// through the bounded codec, the closing digest, and the optional signature section.
#include "compiler/bundle/bundle_file.h"

#include <utility>

#include "compiler/binary/codec.h"
#include "compiler/bundle/signature.h"
#include "stdlib/builtins/builtins.h"

namespace seg::bundle {
namespace {

constexpr char kMagic[8] = {'S', 'E', 'G', 'B', 'N', 'D', 'L', '\0'};
constexpr size_t kDigest = 32;
enum Section : uint32_t { kManifest = 1, kIr = 2, kSources = 3, kObject = 4, kSignature = 5 };

std::string digest(std::string_view bytes) {
  std::string hex = builtins::sha256_hex(bytes);
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string raw(hex.size() / 2, '\0');
  for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  return raw;
}

// Everything up to the digest, but a signature; `extra`: sections the caller appends.
binary::Writer write_sections(const BundleFile& f, uint32_t extra, bool& ok) {
  binary::Writer w;
  w.bytes({kMagic, sizeof kMagic});
  w.u32(kFormatVersion);
  w.u32((f.object.empty() ? 3 : 4) + extra);
  auto section = [&](Section kind, std::string_view body) {
    w.u32(kind);
    w.str64(body);
  };
  section(kManifest, f.manifest);
  section(kIr, f.ir);
  binary::Writer sources;
  sources.count32(f.sources.size());
  for (const SourceText& s : f.sources) {
    sources.str64(s.path);
    sources.str64(s.text);
  }
  ok = sources.ok();  // 4 billion files: no bundle (read refuses it)
  section(kSources, sources.data());
  if (!f.object.empty()) section(kObject, f.object);
  return w;
}

// The signature section's body: algorithm, public key, signature (fixed sizes).
bool read_signature(std::string_view data, size_t base, Signature& out, std::string& error) {
  binary::Reader s(data, base);
  out.algorithm = s.u32();
  if (s.ok() && out.algorithm != kSignatureEd25519)
    s.fail("unknown signature algorithm " + std::to_string(out.algorithm) + " (this seg knows 1, Ed25519)");
  out.public_key = std::string(s.bytes(kPublicKeyBytes));
  out.value = std::string(s.bytes(kSignatureBytes));
  if (!s.expect_end()) {
    error = "bundle's signature section is malformed: " + s.error();
    return false;
  }
  return true;
}

}  // namespace

std::string write(const BundleFile& f) {
  bool ok = true;
  binary::Writer w = write_sections(f, 0, ok);
  if (!ok) return {};
  w.bytes(digest(w.data()));
  return w.take();
}

std::string write(const BundleFile& f, const SigningKey& key, std::string& error) {
  bool ok = true;
  binary::Writer w = write_sections(f, 1, ok);
  if (!ok) {
    error = "too many source files for one bundle";
    return {};
  }
  std::string value;
  if (!sign(key, signed_message(w.data()), value, error)) return {};
  binary::Writer body;
  body.u32(kSignatureEd25519);
  body.bytes(key.public_key);
  body.bytes(value);
  w.u32(kSignature);
  w.str64(body.data());
  w.bytes(digest(w.data()));
  return w.take();
}

bool read(std::string_view bytes, BundleFile& out, std::string& error) {
  if (!bytes.starts_with(std::string_view(kMagic, sizeof kMagic))) {
    error = "not a seg bundle (bad magic number)";
    return false;
  }
  if (bytes.size() < sizeof kMagic + 8 + kDigest) {
    error = "truncated bundle";
    return false;
  }
  // The version first: a future format may close with a different digest.
  std::string_view body = bytes.substr(0, bytes.size() - kDigest);
  binary::Reader r(body);
  r.bytes(sizeof kMagic);
  uint32_t version = r.u32();
  if (version != kFormatVersion) {
    error = "bundle format version " + std::to_string(version) + " is not supported (this seg reads version " +
            std::to_string(kFormatVersion) + "; rebuild the bundle with `seg build`)";
    return false;
  }
  if (digest(body) != bytes.substr(body.size())) {
    error = "bundle digest mismatch: the file is corrupt, truncated or was modified after `seg build`";
    return false;
  }
  uint32_t sections = r.u32();
  bool seen[6] = {};
  for (uint32_t i = 0; i < sections && r.ok(); ++i) {
    size_t section_at = r.offset();
    uint32_t kind = r.u32();
    std::string_view data = r.str64();
    if (!r.ok()) break;
    if (kind < kManifest || kind > kSignature || seen[kind]) {
      error = "bundle has an unknown or repeated section " + std::to_string(kind);
      return false;
    }
    if (seen[kSignature]) {  // what follows a signature would not be signed
      error = "bundle is malformed: section " + std::to_string(kind) + " at byte " + std::to_string(section_at) +
              " follows the signature section, which must be the last";
      return false;
    }
    seen[kind] = true;
    switch (kind) {
      case kSignature: {
        Signature sig;
        if (!read_signature(data, r.offset() - data.size(), sig, error)) return false;
        out.signature = std::move(sig);
        out.signed_message = signed_message(bytes.substr(0, section_at));
        break;
      }
      case kManifest: out.manifest = std::string(data); break;
      case kIr: out.ir = std::string(data); break;
      case kObject: out.object = std::string(data); break;
      case kSources: {
        binary::Reader s(data, r.offset() - data.size());
        size_t n = s.count32(16);  // a path and a text: two u64 lengths at least
        out.sources.reserve(n);
        for (size_t k = 0; k < n && s.ok(); ++k) {
          std::string_view path = s.str64();
          std::string_view text = s.str64();
          if (s.ok()) out.sources.push_back({std::string(path), std::string(text)});
        }
        if (!s.expect_end()) {
          error = "bundle's sources section is malformed: " + s.error();
          return false;
        }
        break;
      }
    }
  }
  if (!r.expect_end()) {
    error = "bundle is malformed: " + r.error();
    return false;
  }
  static constexpr std::pair<Section, const char*> kRequired[] = {
      {kManifest, "manifest"}, {kIr, "IR"}, {kSources, "sources"}};
  for (auto [kind, name] : kRequired)
    if (!seen[kind]) {
      error = std::string("bundle is malformed: it has no ") + name + " section";
      return false;
    }
  return true;
}

}  // namespace seg::bundle
