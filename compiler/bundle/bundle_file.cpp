#include "compiler/bundle/bundle_file.h"

#include <cstring>

#include "stdlib/builtins/builtins.h"

namespace seg::bundle {
namespace {

constexpr char kMagic[8] = {'S', 'E', 'G', 'B', 'N', 'D', 'L', '\0'};
constexpr size_t kDigest = 32;
enum Section : uint32_t { kManifest = 1, kIr = 2, kSources = 3, kObject = 4 };

template <typename T>
void put(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

void put_str(std::string& out, std::string_view s) {
  put(out, static_cast<uint64_t>(s.size()));
  out.append(s);
}

// Bounds-checked reads over one span.
struct Cursor {
  std::string_view in;
  size_t pos = 0;
  bool ok = true;
  template <typename T>
  T get() {
    T v{};
    if (!ok || in.size() - pos < sizeof(T)) {
      ok = false;
      return v;
    }
    std::memcpy(&v, in.data() + pos, sizeof(T));
    pos += sizeof(T);
    return v;
  }
  std::string_view bytes(uint64_t n) {
    if (!ok || n > in.size() - pos) {
      ok = false;
      return {};
    }
    std::string_view s = in.substr(pos, n);
    pos += n;
    return s;
  }
  std::string_view str() { return bytes(get<uint64_t>()); }
};

std::string digest(std::string_view bytes) {
  std::string hex = builtins::sha256_hex(bytes);
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string raw(hex.size() / 2, '\0');
  for (size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  return raw;
}

}  // namespace

std::string write(const BundleFile& f) {
  std::string out(kMagic, sizeof kMagic);
  put(out, kFormatVersion);
  uint32_t sections = f.object.empty() ? 3 : 4;
  put(out, sections);
  auto section = [&](Section kind, const std::string& body) {
    put(out, static_cast<uint32_t>(kind));
    put_str(out, body);
  };
  section(kManifest, f.manifest);
  section(kIr, f.ir);
  std::string sources;
  put(sources, static_cast<uint32_t>(f.sources.size()));
  for (const SourceText& s : f.sources) {
    put_str(sources, s.path);
    put_str(sources, s.text);
  }
  section(kSources, sources);
  if (!f.object.empty()) section(kObject, f.object);
  out += digest(out);
  return out;
}

bool read(std::string_view bytes, BundleFile& out, std::string& error) {
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    error = "not a seg bundle (bad magic number)";
    return false;
  }
  if (bytes.size() < sizeof kMagic + 8 + kDigest) {
    error = "truncated bundle";
    return false;
  }
  // The version first: a future format may close with a different digest.
  Cursor head{bytes.substr(sizeof kMagic)};
  uint32_t version = head.get<uint32_t>();
  if (version != kFormatVersion) {
    error = "bundle format version " + std::to_string(version) + " is not supported (this seg reads version " +
            std::to_string(kFormatVersion) + "; rebuild the bundle with `seg build`)";
    return false;
  }
  std::string_view body = bytes.substr(0, bytes.size() - kDigest);
  if (digest(body) != bytes.substr(bytes.size() - kDigest)) {
    error = "bundle digest mismatch: the file is corrupt, truncated or was modified after `seg build`";
    return false;
  }
  Cursor c{body, sizeof kMagic + 4};
  uint32_t sections = c.get<uint32_t>();
  bool seen[5] = {};
  for (uint32_t i = 0; i < sections && c.ok; ++i) {
    uint32_t kind = c.get<uint32_t>();
    std::string_view data = c.str();
    if (!c.ok) break;
    if (kind < kManifest || kind > kObject || seen[kind]) {
      error = "bundle has an unknown or repeated section " + std::to_string(kind);
      return false;
    }
    seen[kind] = true;
    switch (kind) {
      case kManifest: out.manifest = std::string(data); break;
      case kIr: out.ir = std::string(data); break;
      case kObject: out.object = std::string(data); break;
      case kSources: {
        Cursor s{data};
        uint32_t n = s.get<uint32_t>();
        for (uint32_t k = 0; k < n && s.ok; ++k) {
          std::string_view path = s.str();
          std::string_view text = s.str();
          if (s.ok) out.sources.push_back({std::string(path), std::string(text)});
        }
        if (!s.ok || s.pos != data.size()) {
          error = "bundle's sources section is malformed";
          return false;
        }
        break;
      }
    }
  }
  if (!c.ok || c.pos != body.size() || !seen[kManifest] || !seen[kIr] || !seen[kSources]) {
    error = "bundle is malformed (missing or overlong sections)";
    return false;
  }
  return true;
}

}  // namespace seg::bundle
