// SHA-256 through OpenSSL's EVP interface, lower-case hex.
#include "stdlib/builtins/builtins.h"

#include <openssl/evp.h>

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

extern "C" {

int seg_is_sha256_hex(const char* s, size_t len) {
  if (len != SEG_SHA256_HEX_LEN) return 0;
  for (size_t i = 0; i < len; ++i)
    if (hex_value(s[i]) < 0) return 0;
  return 1;
}

int seg_sha256_hex(const char* s, size_t len, char out[SEG_SHA256_HEX_LEN]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (!EVP_Digest(len ? s : "", len, md, &md_len, EVP_sha256(), nullptr) || md_len != 32)
    return 0;
  static constexpr char digits[] = "0123456789abcdef";
  for (unsigned i = 0; i < md_len; ++i) {
    out[2 * i] = digits[md[i] >> 4];
    out[2 * i + 1] = digits[md[i] & 0xF];
  }
  return 1;
}

int seg_key_sha256(const char* s, size_t len, char out[SEG_SHA256_HEX_LEN]) {
  if (!seg_is_sha256_hex(s, len)) return seg_sha256_hex(s, len, out);
  seg_str_lower(s, len, out);  // already a digest: do not hash it twice
  return 1;
}

}  // extern "C"
