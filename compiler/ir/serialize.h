#pragma once
// The binary form of a Bundle (issue 5): what `seg build` stores in a .segb file and
// `seg run B.segb` loads without the sources. Little-endian, versioned, with u32 length
// and count prefixes, written and read with compiler/binary/codec.h. Reading never
// trusts the bytes: every count is bounded by what is left, every enum and index is
// range-checked, and expression nodes are rebuilt through the checked factories
// (builder.h), so a corrupt or hostile input gives an error, never a crash.
#include <memory>
#include <string>
#include <string_view>

#include "compiler/ir/ir.h"

namespace seg::ir {

// 2: destinations' drift and labels, measures. Version 1 bundles still load (none of those).
inline constexpr uint32_t kIrFormatVersion = 2;

// Empty (which deserialize refuses) only when a string or list does not fit a u32 prefix.
std::string serialize(const Bundle& b);
// Null with `error` set when `bytes` is not a valid serialised bundle: "invalid bundle
// IR: " and what was wrong, with its byte offset in `bytes`.
std::unique_ptr<Bundle> deserialize(std::string_view bytes, std::string& error);

}  // namespace seg::ir
