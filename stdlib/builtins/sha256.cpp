// SHA-256 through OpenSSL's EVP interface (one fetched algorithm, a context per thread),
// lower-case hex.
#include "stdlib/builtins/builtins.h"

#include <openssl/evp.h>

#include <memory>

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
  // The algorithm fetched once and a context per thread, reused: EVP_Digest fetches and
  // allocates on every call, which costs more than hashing an e-mail address.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (!sha256 || !ctx || !EVP_DigestInit_ex2(ctx.get(), sha256, nullptr) ||
      !EVP_DigestUpdate(ctx.get(), len ? s : "", len) || !EVP_DigestFinal_ex(ctx.get(), md, &md_len) ||
      md_len != 32)
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
