// The cold paths of the binary codec (codec.h): the error messages, with byte offsets.
#include "compiler/binary/codec.h"

namespace seg::binary {
namespace {

// "1 byte", "12 bytes".
std::string bytes_of(uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

}  // namespace

void Writer::too_long(size_t n, bool string) {
  if (!error_.empty()) return;
  error_ = (string ? "a string of " + bytes_of(n) : "a list of " + std::to_string(n) + " items") +
           " at byte " + std::to_string(out_.size()) + " does not fit a u32 " +
           (string ? "length" : "count");
}

bool Reader::fail(std::string_view what) {
  stop(std::string(what.empty() ? "invalid data" : what) + " at byte " + std::to_string(offset()));
  return false;
}

bool Reader::expect_end() {
  if (ok() && !at_end())
    stop("trailing data at byte " + std::to_string(offset()) + ": " + bytes_of(remaining()) +
         " after the end");
  return ok();
}

void Reader::short_fixed(const char* what) {
  stop("truncated at byte " + std::to_string(offset()) + ": " + what + " with " +
       bytes_of(remaining()) + " left");
}

void Reader::short_bytes(size_t at, size_t n) {
  stop("truncated at byte " + std::to_string(base_ + at) + ": " + bytes_of(n) + " with " +
       std::to_string(remaining()) + " left");
}

void Reader::long_string(size_t at, uint64_t n) {
  stop("truncated at byte " + std::to_string(base_ + at) + ": a string of " + bytes_of(n) +
       " with " + std::to_string(remaining()) + " left");
}

void Reader::too_many(size_t at, uint64_t n, size_t min_each) {
  stop("truncated at byte " + std::to_string(base_ + at) + ": " + std::to_string(n) +
       " items of at least " + bytes_of(min_each) + " with " + std::to_string(remaining()) +
       " left");
}

void Reader::stop(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  in_ = in_.substr(0, pos_);  // nothing left: every later read fails and returns zero
}

}  // namespace seg::binary
