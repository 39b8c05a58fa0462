#pragma once
// Standard-library built-ins shared by the interpreter and the JIT (LANGUAGE.md §5, §7;
// RUNTIME.md §4). The C ABI below is what generated code calls, so its signatures hold
// only C types. Inputs are (pointer, length) pairs and need no NUL; a null pointer is
// fine when the length is 0. Nothing here throws or allocates on the caller's behalf.
//
// Output convention for normalisers: the result is written to out[0..cap) without a NUL
// and its length returned; 0 means the value is unusable (it counts as a missing key).
// If the result is longer than cap, nothing is written and the needed length is returned,
// so size buffers with the bounds below and this never happens.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  SEG_PHONE_MAX = 16,
  SEG_SHA256_HEX_LEN = 64,
  SEG_OP_ID_LEN = 16,
  SEG_BUCKETS = 10000,
  SEG_TIME_MAX = 40
};

typedef struct seg_str {
  const char* data;
  size_t len;
} seg_str;

// ---- match-key normalisation (LANGUAGE.md §7) ----
typedef enum seg_email_rule {
  SEG_EMAIL_PLAIN = 0,   // trim, lower-case, validate
  SEG_EMAIL_GOOGLE = 1,  // plus: remove every dot of the local part at gmail/googlemail
} seg_email_rule;

// Result is never longer than the input, so cap = len always suffices.
size_t seg_email_normalize(const char* s, size_t len, seg_email_rule rule, char* out,
                           size_t cap);

typedef enum seg_phone_format {
  SEG_PHONE_E164 = 0,    // "+14155550123"
  SEG_PHONE_DIGITS = 1,  // "14155550123": Meta's digits, country code, no '+'
} seg_phone_format;

// region: NUL-terminated ISO 3166 code ("US", case-insensitive), or NULL/"" for none,
// in which case numbers without '+' are unusable. Result fits SEG_PHONE_MAX bytes.
size_t seg_phone_normalize(const char* s, size_t len, const char* region,
                           seg_phone_format format, char* out, size_t cap);

// ---- hashing ----
// Always hashes: out gets SEG_SHA256_HEX_LEN lower-case hex digits. Returns 0 on failure.
int seg_sha256_hex(const char* s, size_t len, char out[SEG_SHA256_HEX_LEN]);
// For match keys: a value that already is 64 hex digits (either case) is passed through
// lower-cased instead of being hashed twice. Returns 0 on failure.
int seg_key_sha256(const char* s, size_t len, char out[SEG_SHA256_HEX_LEN]);
int seg_is_sha256_hex(const char* s, size_t len);

uint64_t seg_xxh64(const char* s, size_t len);  // seed 0
// A fast hash for tables (XXH3); not part of any output, so free to change.
uint64_t seg_hash_bytes(const char* s, size_t len);
// xxh64 over the parts joined by the byte 0x1f.
uint64_t seg_xxh64_joined(const seg_str* parts, size_t count);

// Holdout (LANGUAGE.md §5): bucket = xxh64(salt + ":" + id) mod 10000.
uint32_t seg_holdout_bucket(const char* salt, size_t salt_len, const char* id, size_t id_len);
// bucket < percent * 100. Integral comparison so that e.g. 1.1% is buckets 0..109 exactly,
// whatever the binary rounding of 1.1 * 100.
int seg_in_holdout(uint32_t bucket, double percent);

// op_id (RUNTIME.md §4): 16 lower-case hex digits of xxh64 over destination, segment,
// profile, op, ts in ms, seq (decimal) joined by 0x1f.
void seg_op_id(seg_str destination, seg_str segment, seg_str profile, seg_str op, int64_t ts_ms,
               uint64_t seq, char out[SEG_OP_ID_LEN]);
// The 16 hex digits of an op_id's hash (the runtime joins the parts itself, from
// per-audience prefixes, and hashes them with seg_xxh64).
void seg_op_id_hex(uint64_t h, char out[SEG_OP_ID_LEN]);

// ---- time (RUNTIME.md §3) ----
// Parses an RFC 3339 timestamp into ms since the epoch (UTC), truncating below the ms.
// strict: a date-time with an offset (input records); otherwise a bare date (midnight UTC)
// and a missing offset (UTC) are accepted too (rule literals). Returns 0 and sets *error
// (a static string) when the text is not a timestamp.
int seg_parse_time(const char* s, size_t len, int strict, int64_t* out, const char** error);
// `YYYY-MM-DDTHH:MM:SSZ`, with `.sss` only when the milliseconds are not zero.
size_t seg_format_time(int64_t ms, char out[SEG_TIME_MAX]);
// A duration as the language writes it: `1d12h`, `30s`; below a second in `ms`.
size_t seg_format_duration(int64_t ms, char out[SEG_TIME_MAX]);

// ---- string functions ----
// lower/upper map ASCII letters only; other bytes (all of UTF-8 beyond ASCII) are copied.
// out must hold len bytes.
void seg_str_lower(const char* s, size_t len, char* out);
void seg_str_upper(const char* s, size_t len, char* out);
// ASCII whitespace (space, \t \n \v \f \r) at both ends; returns a view into s.
seg_str seg_str_trim(const char* s, size_t len);
int seg_str_starts_with(seg_str s, seg_str prefix);
int seg_str_ends_with(seg_str s, seg_str suffix);
int seg_str_contains(seg_str s, seg_str needle);
// Code points of valid UTF-8 (counts bytes that are not continuation bytes).
size_t seg_str_len(const char* s, size_t len);

#ifdef __cplusplus
}  // extern "C"

#include <optional>
#include <string>
#include <string_view>

// Thin C++ helpers for the interpreter and tests.
namespace seg::builtins {

inline seg_str view(std::string_view s) { return {s.data(), s.size()}; }

inline std::optional<std::string> normalize_email(std::string_view s,
                                                  seg_email_rule rule = SEG_EMAIL_PLAIN) {
  std::string out(s.size(), '\0');
  size_t n = seg_email_normalize(s.data(), s.size(), rule, out.data(), out.size());
  if (n == 0) return std::nullopt;
  out.resize(n);
  return out;
}

inline std::optional<std::string> normalize_phone(std::string_view s, const char* region,
                                                  seg_phone_format format = SEG_PHONE_E164) {
  char buf[SEG_PHONE_MAX];
  size_t n = seg_phone_normalize(s.data(), s.size(), region, format, buf, sizeof buf);
  if (n == 0 || n > sizeof buf) return std::nullopt;
  return std::string(buf, n);
}

inline std::string sha256_hex(std::string_view s) {
  std::string out(SEG_SHA256_HEX_LEN, '\0');
  return seg_sha256_hex(s.data(), s.size(), out.data()) ? out : std::string();
}

inline std::string key_sha256(std::string_view s) {
  std::string out(SEG_SHA256_HEX_LEN, '\0');
  return seg_key_sha256(s.data(), s.size(), out.data()) ? out : std::string();
}

inline uint32_t holdout_bucket(std::string_view salt, std::string_view id) {
  return seg_holdout_bucket(salt.data(), salt.size(), id.data(), id.size());
}

inline std::string op_id(std::string_view destination, std::string_view segment,
                         std::string_view profile, std::string_view op, int64_t ts_ms,
                         uint64_t seq) {
  std::string out(SEG_OP_ID_LEN, '\0');
  seg_op_id(view(destination), view(segment), view(profile), view(op), ts_ms, seq, out.data());
  return out;
}

inline std::string format_time(int64_t ms) {
  char buf[SEG_TIME_MAX];
  return std::string(buf, seg_format_time(ms, buf));
}

inline std::string format_duration(int64_t ms) {
  char buf[SEG_TIME_MAX];
  return std::string(buf, seg_format_duration(ms, buf));
}

inline std::optional<int64_t> parse_time(std::string_view s, bool strict, const char** error) {
  int64_t ms = 0;
  if (!seg_parse_time(s.data(), s.size(), strict ? 1 : 0, &ms, error)) return std::nullopt;
  return ms;
}

inline std::string lower(std::string_view s) {
  std::string out(s.size(), '\0');
  seg_str_lower(s.data(), s.size(), out.data());
  return out;
}

inline std::string upper(std::string_view s) {
  std::string out(s.size(), '\0');
  seg_str_upper(s.data(), s.size(), out.data());
  return out;
}

inline std::string_view trim(std::string_view s) {
  seg_str t = seg_str_trim(s.data(), s.size());
  return {t.data, t.len};
}

}  // namespace seg::builtins
#endif
