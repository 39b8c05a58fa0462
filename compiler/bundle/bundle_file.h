#pragma once
// The .segb file (issue 5, RUNTIME.md §5; format in docs/bundles.md): a manifest, the
// serialised IR, the sources and, optionally, object code compiled for the build host,
// in sections after a magic number and a format version, closed by a SHA-256 of every
// byte before it. Reading checks the digest and the version before anything else and
// bounds every section, so a corrupt, truncated, tampered or future file is an error.
// Lengths are u64, written and read with compiler/binary/codec.h.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seg::bundle {

inline constexpr uint32_t kFormatVersion = 1;

struct SourceText {
  std::string path;
  std::string text;
};

struct BundleFile {
  std::string manifest;  // JSON (docs/bundles.md)
  std::string ir;        // compiler/ir/serialize.h
  std::vector<SourceText> sources;
  std::string object;    // relocatable object for the build host; empty when none
};

std::string write(const BundleFile& f);
// False with `error` set (one sentence, no trailing period) when `bytes` is not a
// readable bundle of a supported format version.
bool read(std::string_view bytes, BundleFile& out, std::string& error);

}  // namespace seg::bundle
