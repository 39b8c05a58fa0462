// The bounded binary reader and writer (compiler/binary/codec.h) that the IR, the bundle
// file and the checkpoint share: values round-trip in little-endian bytes; a truncated
// input, at any byte, or a hostile length or count is an error with its byte offset,
// never a crash or a read past the end; after an error every read returns zero.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "compiler/binary/codec.h"
#include "compiler/ir/serialize.h"

using seg::binary::Reader;
using seg::binary::Writer;

namespace {

// A small record with every kind of field, as a format would write it.
std::string record() {
  Writer w;
  w.bytes("MAGC");
  w.u8(0xAB);
  w.u32(0xDEADBEEF);
  w.i32(-7);
  w.u64(std::numeric_limits<uint64_t>::max());
  w.i64(std::numeric_limits<int64_t>::min());
  w.f64(-2.5);
  w.str32("hello");
  w.str64("");
  w.count64(3);
  for (int32_t x : {1, -2, 3}) w.i32(x);
  w.str64("world");
  return w.take();
}

struct Record {
  std::string magic;
  uint8_t a = 0;
  uint32_t b = 0;
  int32_t c = 0;
  uint64_t d = 0;
  int64_t e = 0;
  double f = 0;
  std::string g, h, j;
  std::vector<int32_t> items;
};

Record read_record(Reader& r) {
  Record x;
  x.magic = r.bytes(4);
  x.a = r.u8();
  x.b = r.u32();
  x.c = r.i32();
  x.d = r.u64();
  x.e = r.i64();
  x.f = r.f64();
  x.g = r.str32();
  x.h = r.str64();
  x.items.resize(r.count64(4));
  for (int32_t& i : x.items) i = r.i32();
  x.j = r.str64();
  return x;
}

}  // namespace

TEST_CASE("every kind of field round-trips") {
  std::string bytes = record();
  Reader r(bytes);
  Record x = read_record(r);
  REQUIRE(r.ok());
  CHECK(r.error().empty());
  CHECK(r.at_end());
  CHECK(r.expect_end());
  CHECK(x.magic == "MAGC");
  CHECK(x.a == 0xAB);
  CHECK(x.b == 0xDEADBEEF);
  CHECK(x.c == -7);
  CHECK(x.d == std::numeric_limits<uint64_t>::max());
  CHECK(x.e == std::numeric_limits<int64_t>::min());
  CHECK(x.f == -2.5);
  CHECK(x.g == "hello");
  CHECK(x.h.empty());
  CHECK(x.items == std::vector<int32_t>{1, -2, 3});
  CHECK(x.j == "world");
  CHECK(bytes.size() == 4 + 1 + 4 + 4 + 8 + 8 + 8 + (4 + 5) + 8 + 8 + 3 * 4 + (8 + 5));
}

TEST_CASE("integers are little-endian and fixed-width; doubles are their IEEE-754 bits") {
  Writer w;
  w.u32(0x01020304);
  w.u64(0x0102030405060708);
  w.i32(-1);
  w.str32("ab");
  w.str64("c");
  CHECK(w.data() == std::string("\x04\x03\x02\x01"
                                "\x08\x07\x06\x05\x04\x03\x02\x01"
                                "\xff\xff\xff\xff"
                                "\x02\x00\x00\x00"
                                "ab"
                                "\x01\x00\x00\x00\x00\x00\x00\x00"
                                "c",
                                4 + 8 + 4 + 4 + 2 + 8 + 1));
  Writer d;
  for (double v : {0.0, -0.0, std::numeric_limits<double>::infinity(), std::nan(""), 1e-310})
    d.f64(v);
  std::string bytes = d.take();
  CHECK(d.size() == 0);  // take() empties the writer
  Reader r(bytes);
  CHECK(std::bit_cast<uint64_t>(r.f64()) == std::bit_cast<uint64_t>(0.0));
  CHECK(std::bit_cast<uint64_t>(r.f64()) == std::bit_cast<uint64_t>(-0.0));
  CHECK(r.f64() == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(r.f64()));
  CHECK(r.f64() == 1e-310);
  CHECK(r.expect_end());
}

TEST_CASE("a writer handed a buffer writes into it from the start") {
  std::string buffer = "old bytes that must go";
  buffer.reserve(1000);
  Writer w(std::move(buffer));
  w.u8(1);
  std::string out = w.take();
  CHECK(out == std::string("\x01", 1));
  CHECK(out.capacity() >= 1000);
}

TEST_CASE("every truncation of a record is an error with its offset, never a crash") {
  std::string bytes = record();
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::string cut = bytes.substr(0, n);  // its own buffer: a read past it is a sanitizer error
    Reader r(cut);
    read_record(r);
    INFO("cut at ", n, ": ", r.error());
    CHECK_FALSE(r.ok());
    CHECK(r.error().rfind("truncated at byte ", 0) == 0);
    CHECK(r.remaining() == 0);
    CHECK(r.offset() <= n);
    // Later reads return zero values and keep the first error.
    std::string first = r.error();
    CHECK(r.u64() == 0);
    CHECK(r.str64().empty());
    CHECK(r.count32(1) == 0);
    CHECK(r.bytes(1).empty());
    CHECK_FALSE(r.fail("later"));
    CHECK_FALSE(r.expect_end());
    CHECK(r.error() == first);
  }
}

TEST_CASE("messages name the byte offset and what did not fit") {
  Writer w;
  w.u32(7);
  w.u32(9999999);  // a string length with 12 bytes behind it
  w.bytes("twelve bytes");
  std::string bytes = w.take();
  Reader r(bytes);
  CHECK(r.u32() == 7);
  CHECK(r.str32().empty());
  CHECK(r.error() == "truncated at byte 4: a string of 9999999 bytes with 12 left");

  std::string three = "abc";
  Reader f(three);
  CHECK(f.u32() == 0);
  CHECK(f.error() == "truncated at byte 0: a u32 with 3 bytes left");

  Reader b(three, 100);  // a section that starts at byte 100 of its file
  CHECK(b.u8() == 'a');
  CHECK(b.bytes(5).empty());
  CHECK(b.error() == "truncated at byte 101: 5 bytes with 2 left");

  Reader k(three);
  k.u8();
  CHECK_FALSE(k.fail("slot index 9 out of range"));
  CHECK(k.error() == "slot index 9 out of range at byte 1");
  CHECK(k.u8() == 0);  // nothing is left after a failure

  Reader t(three);
  t.u8();
  CHECK_FALSE(t.expect_end());
  CHECK(t.error() == "trailing data at byte 1: 2 bytes after the end");
}

TEST_CASE("hostile lengths and counts are errors, before anything is allocated") {
  Writer w;
  w.u64(std::numeric_limits<uint64_t>::max());
  w.bytes("0123456789");
  std::string bytes = w.take();
  {
    Reader r(bytes);
    CHECK(r.str64().empty());
    CHECK(r.error() == "truncated at byte 0: a string of 18446744073709551615 bytes with 10 left");
  }
  {
    Reader r(bytes);
    CHECK(r.count64(1) == 0);  // u64 max items of one byte
    CHECK(r.error() ==
          "truncated at byte 0: 18446744073709551615 items of at least 1 byte with 10 left");
  }
  {
    Reader r(bytes);
    CHECK(r.u32() == 0xFFFFFFFF);
    CHECK(r.count32(0) == 0);  // 0xFFFFFFFF items of (at least) one byte, 6 bytes left
    CHECK_FALSE(r.ok());
  }
  // One more than the input holds is an error; exactly what it holds is not.
  Writer c;
  c.count64(3);
  c.bytes(std::string(11, 'x'));
  std::string eleven = c.take();
  Reader over(eleven);
  CHECK(over.count64(4) == 0);
  CHECK(over.error() == "truncated at byte 0: 3 items of at least 4 bytes with 11 left");
  Reader fits(eleven);
  CHECK(fits.count64(3) == 3);
  CHECK(fits.ok());
  Writer s;
  s.str32(std::string(5, 'y'));
  std::string five = s.take();
  Reader short_string(std::string_view(five).substr(0, 8));
  CHECK(short_string.str32().empty());
  CHECK(short_string.error() == "truncated at byte 0: a string of 5 bytes with 4 left");
}

TEST_CASE("a count or length too large for a u32 prefix is a writer error") {
  Writer w;
  w.count32(size_t{1} << 32);
  CHECK_FALSE(w.ok());
  CHECK(w.error() == "a list of 4294967296 items at byte 0 does not fit a u32 count");
  Writer fine;
  fine.count32(UINT32_MAX);
  fine.count64(size_t{1} << 40);
  CHECK(fine.ok());
}

TEST_CASE("the IR reader reports truncation with the offset, at every cut") {
  seg::ir::Bundle b;
  b.revision = "r1";
  std::string bytes = seg::ir::serialize(b);
  std::string error;
  REQUIRE(seg::ir::deserialize(bytes, error));
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::string cut = bytes.substr(0, n);
    INFO("cut at ", n);
    CHECK_FALSE(seg::ir::deserialize(cut, error));
    CHECK(error.rfind("invalid bundle IR: truncated at byte ", 0) == 0);
  }
  CHECK_FALSE(seg::ir::deserialize(bytes + "x", error));
  CHECK(error == "invalid bundle IR: trailing data at byte " + std::to_string(bytes.size()) +
                     ": 1 byte after the end");
}
