// xxh64-based built-ins: holdout buckets (LANGUAGE.md §5) and op ids (RUNTIME.md §4).
#include "stdlib/builtins/builtins.h"

#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace {

// Joins into a stack buffer (a heap one only for long inputs) and hashes once. The
// streaming XXH64_state_t is opaque unless XXH_STATIC_LINKING_ONLY, whose layout is not
// promised across library versions, so it is avoided with a shared libxxhash.
uint64_t hash_joined(const seg_str* parts, size_t count, char sep) {
  size_t total = count ? count - 1 : 0;
  for (size_t i = 0; i < count; ++i) total += parts[i].len;
  char small[512];
  std::string big;
  char* buf = small;
  if (total > sizeof small) {
    big.resize(total);
    buf = big.data();
  }
  char* o = buf;
  for (size_t i = 0; i < count; ++i) {
    if (i) *o++ = sep;
    if (parts[i].len) o = std::copy(parts[i].data, parts[i].data + parts[i].len, o);
  }
  return XXH64(buf, total, 0);
}

}  // namespace

extern "C" {

uint64_t seg_xxh64(const char* s, size_t len) { return XXH64(len ? s : "", len, 0); }

uint64_t seg_xxh64_joined(const seg_str* parts, size_t count) {
  return hash_joined(parts, count, '\x1f');
}

uint32_t seg_holdout_bucket(const char* salt, size_t salt_len, const char* id, size_t id_len) {
  const seg_str parts[] = {{salt, salt_len}, {id, id_len}};
  return static_cast<uint32_t>(hash_joined(parts, 2, ':') % SEG_BUCKETS);
}

int seg_in_holdout(uint32_t bucket, double percent) {
  if (!(percent > 0)) return 0;
  // bucket < x  <=>  bucket < ceil(x) for integral buckets; rounding x to 1e-6 first
  // stops 1.1 * 100 = 110.00000000000001 from letting bucket 110 in.
  double x = std::round(percent * 100 * 1e6) / 1e6;
  return bucket < std::ceil(x);
}

void seg_op_id(seg_str destination, seg_str segment, seg_str profile, seg_str op, int64_t ts_ms,
               uint64_t seq, char out[SEG_OP_ID_LEN]) {
  char ts_buf[24], seq_buf[24];
  auto ts_end = std::to_chars(ts_buf, ts_buf + sizeof ts_buf, ts_ms).ptr;
  auto seq_end = std::to_chars(seq_buf, seq_buf + sizeof seq_buf, seq).ptr;
  const seg_str parts[] = {destination,
                           segment,
                           profile,
                           op,
                           {ts_buf, static_cast<size_t>(ts_end - ts_buf)},
                           {seq_buf, static_cast<size_t>(seq_end - seq_buf)}};
  seg_op_id_hex(hash_joined(parts, 6, '\x1f'), out);
}

void seg_op_id_hex(uint64_t h, char out[SEG_OP_ID_LEN]) {
  static constexpr char digits[] = "0123456789abcdef";
  for (int i = SEG_OP_ID_LEN - 1; i >= 0; --i, h >>= 4) out[i] = digits[h & 0xF];
}

}  // extern "C"

extern "C" uint64_t seg_hash_bytes(const char* s, size_t len) { return XXH3_64bits(s, len); }
