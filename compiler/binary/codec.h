#pragma once
// The one bounded binary reader and writer behind seg's file formats: the serialised IR
// (compiler/ir/serialize.h), the .segb bundle file (compiler/bundle/bundle_file.h) and
// the engine's checkpoint (runtime/engine/checkpoint.cpp). See compiler/binary/README.md.
//
// Encoding: integers and doubles are little-endian and fixed-width (u8, i32, u32, u64,
// i64, f64 as the IEEE-754 bits); a string is a length prefix followed by its bytes; a
// list is a count prefix followed by its items. The prefix is u32 or u64, and each call
// names its width (str32/str64, count32/count64): a format picks the width, the codec
// never guesses it. The IR uses u32 prefixes; the bundle file and the checkpoint u64.
//
// Writer: appends to a string it owns; take() hands the bytes over. It cannot run out
// of room; the only error is a length or count too large for its prefix (a string of
// 4 GiB behind a u32 prefix), kept like the Reader's: ok() / error().
//
// Reader: reads a std::string_view it does not own (the views it returns point into it).
// It never reads past the end and never throws:
//  - every read is checked against what is left;
//  - every length prefix is checked against the bytes left after it, and every count
//    against what is left divided by the smallest size an item can take, so a hostile
//    prefix (u64 max, or just more than the input) is an error before anything is
//    allocated: callers may resize() a vector to count32()/count64() directly;
//  - the first failure is kept as a message with the byte offset where the failed item
//    starts ("truncated at byte 1234: a string of 9999999 bytes with 12 left");
//  - after a failure nothing is left: every later read returns a zero value (0, an empty
//    view, a count of 0) and the message is not replaced, so a format can read a whole
//    record and check ok() once, at the points where it matters (before using a value
//    as an index, before committing results, at the end).
// fail() records a format's own finding (a value out of range) the same way, so checks
// of meaning and checks of length come out as one error. expect_end() refuses trailing
// bytes. Offsets count from the start of the buffer, plus `base` for a Reader over a
// part of a larger file (a section), so messages name offsets in the file.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace seg::binary {

static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big,
              "seg's binary formats need a little- or big-endian host");

namespace detail {

// `v` in little-endian byte order (a no-op on little-endian hosts).
template <typename U>
constexpr U little_endian(U v) {
  if constexpr (std::endian::native == std::endian::big && sizeof(U) > 1) {
    U r = 0;
    for (size_t i = 0; i < sizeof(U); ++i, v >>= 8) r = static_cast<U>(r << 8 | (v & 0xff));
    return r;
  } else {
    return v;
  }
}

}  // namespace detail

class Writer {
 public:
  Writer() = default;
  // Writes into `buffer`'s storage, cleared first: a caller that writes again and again
  // (periodic checkpoints) hands its last buffer back and keeps the capacity.
  explicit Writer(std::string buffer) : out_(std::move(buffer)) { out_.clear(); }
  // Room for `n` bytes up front (a large output grown by doubling is copied many times).
  void reserve(size_t n) { out_.reserve(n); }

  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(uint32_t v) { put(v); }
  void i32(int32_t v) { put(static_cast<uint32_t>(v)); }
  void u64(uint64_t v) { put(v); }
  void i64(int64_t v) { put(static_cast<uint64_t>(v)); }
  void f64(double v) { put(std::bit_cast<uint64_t>(v)); }
  // Raw bytes, no prefix (a magic number, a digest, a section built by another Writer).
  void bytes(std::string_view s) { out_.append(s); }
  // A length prefix of the named width, then the bytes.
  void str32(std::string_view s) {
    prefix32(s.size(), true);
    out_.append(s);
  }
  void str64(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }
  // A count prefix of the named width; the caller writes the items.
  void count32(size_t n) { prefix32(n, false); }
  void count64(size_t n) { u64(n); }

  const std::string& data() const { return out_; }
  size_t size() const { return out_.size(); }
  // The bytes written; the Writer is empty afterwards.
  std::string take() { return std::exchange(out_, std::string()); }

  bool ok() const { return error_.empty(); }
  // The first error ("a string of 5000000000 bytes at byte 12 does not fit a u32
  // length"), or empty. The bytes are still written, with the prefix truncated.
  const std::string& error() const { return error_; }

 private:
  template <typename U>
  void put(U v) {
    v = detail::little_endian(v);
    char buf[sizeof v];
    std::memcpy(buf, &v, sizeof v);
    out_.append(buf, sizeof v);
  }
  void prefix32(size_t n, bool string) {
    if (n > UINT32_MAX) too_long(n, string);
    put(static_cast<uint32_t>(n));
  }
  void too_long(size_t n, bool string);

  std::string out_;
  std::string error_;
};

class Reader {
 public:
  // `base`: the offset of `in` in the file it came from, added to offsets in messages.
  explicit Reader(std::string_view in, size_t base = 0) : in_(in), base_(base) {}

  uint8_t u8() { return get<uint8_t>("a u8"); }
  uint32_t u32() { return get<uint32_t>("a u32"); }
  int32_t i32() { return static_cast<int32_t>(get<uint32_t>("an i32")); }
  uint64_t u64() { return get<uint64_t>("a u64"); }
  int64_t i64() { return static_cast<int64_t>(get<uint64_t>("an i64")); }
  double f64() { return std::bit_cast<double>(get<uint64_t>("an f64")); }
  // `n` raw bytes, as a view into the input (empty after a failure).
  std::string_view bytes(size_t n) {
    if (n > remaining()) {
      short_bytes(pos_, n);
      return {};
    }
    return take(n);
  }
  // A string behind a length prefix of the named width, as a view into the input.
  std::string_view str32() {
    size_t at = pos_;
    return string_body(at, u32());
  }
  std::string_view str64() {
    size_t at = pos_;
    return string_body(at, u64());
  }
  // A count behind a prefix of the named width, for items that take at least `min_each`
  // bytes each (at least 1 is assumed): 0 with an error when that many cannot fit in
  // what is left.
  size_t count32(size_t min_each) {
    size_t at = pos_;
    return bounded(at, u32(), min_each);
  }
  size_t count64(size_t min_each) {
    size_t at = pos_;
    return bounded(at, u64(), min_each);
  }

  // Records `what` (a format's own finding, e.g. "slot index 7 out of range") as the
  // error, with the offset reached, unless an error is already kept; nothing is left
  // afterwards. Returns false, so a check reads `if (bad) return r.fail("...");`.
  bool fail(std::string_view what);
  // Fails with "trailing data" unless every byte was read. Returns ok().
  bool expect_end();

  bool ok() const { return error_.empty(); }
  // The first error, or empty.
  const std::string& error() const { return error_; }
  // Where the next read starts, from the start of the file (`base` included).
  size_t offset() const { return base_ + pos_; }
  size_t remaining() const { return in_.size() - pos_; }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  template <typename U>
  U get(const char* what) {
    if (remaining() < sizeof(U)) {
      short_fixed(what);
      return 0;
    }
    U v;
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return detail::little_endian(v);
  }
  std::string_view take(size_t n) {
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view string_body(size_t at, uint64_t n) {
    if (n > remaining()) {
      long_string(at, n);
      return {};
    }
    return take(static_cast<size_t>(n));
  }
  size_t bounded(size_t at, uint64_t n, size_t min_each) {
    if (min_each == 0) min_each = 1;
    if (n > remaining() / min_each) {
      too_many(at, n, min_each);
      return 0;
    }
    return static_cast<size_t>(n);
  }
  // The cold paths: keep the first error, then leave nothing to read.
  void short_fixed(const char* what);
  void short_bytes(size_t at, size_t n);
  void long_string(size_t at, uint64_t n);
  void too_many(size_t at, uint64_t n, size_t min_each);
  void stop(std::string message);

  std::string_view in_;
  size_t base_ = 0;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace seg::binary
