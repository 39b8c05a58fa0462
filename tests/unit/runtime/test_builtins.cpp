// Vectors for the shared built-ins. Expected hashes were computed with independent tools
// (`sha256sum`, `xxhsum -H64`), and the op ids come from the shared conformance files.
#include <doctest/doctest.h>

#include "stdlib/builtins/builtins.h"

using namespace seg::builtins;
using std::nullopt;

TEST_CASE("email: trim, lower-case, shape") {
  CHECK(normalize_email("  Ann@Example.COM ") == "ann@example.com");
  CHECK(normalize_email("\tann@example.com\r\n") == "ann@example.com");
  CHECK(normalize_email("a@b@example.com") == nullopt);
  CHECK(normalize_email("@example.com") == nullopt);
  CHECK(normalize_email("ann@") == nullopt);
  CHECK(normalize_email("ann") == nullopt);
  CHECK(normalize_email("ann smith@example.com") == nullopt);
  CHECK(normalize_email("   ") == nullopt);
  CHECK(normalize_email("") == nullopt);
  // Dots are kept outside the Google rule, even at Gmail.
  CHECK(normalize_email("j.o.h.n.doe@gmail.com") == "j.o.h.n.doe@gmail.com");
}

TEST_CASE("email: the Gmail rule") {
  auto g = [](std::string_view s) { return normalize_email(s, SEG_EMAIL_GOOGLE); };
  CHECK(g("j.o.h.n.doe@gmail.com") == "johndoe@gmail.com");
  CHECK(g(" J.Doe+Promo@GMail.com") == "jdoe+promo@gmail.com");  // +tag kept
  CHECK(g("j.doe+a.b@gmail.com") == "jdoe+ab@gmail.com");        // every dot of the local part
  CHECK(g("j.doe@googlemail.com") == "jdoe@googlemail.com");     // domain not rewritten
  CHECK(g("j.doe@example.com") == "j.doe@example.com");
  CHECK(g("j.doe@mail.gmail.com") == "j.doe@mail.gmail.com");
  CHECK(g("...@gmail.com") == nullopt);  // nothing left of the local part
}

TEST_CASE("email: C ABI reports the needed length when the buffer is short") {
  char buf[4];
  CHECK(seg_email_normalize("ann@example.com", 15, SEG_EMAIL_PLAIN, buf, sizeof buf) == 15);
}

TEST_CASE("phone: E.164 and digits") {
  CHECK(normalize_phone("+1 (415) 555-0123", nullptr) == "+14155550123");
  CHECK(normalize_phone("+1 (415) 555-0123", nullptr, SEG_PHONE_DIGITS) == "14155550123");
  CHECK(normalize_phone("415-555-0123", "US") == "+14155550123");
  CHECK(normalize_phone("415-555-0123", "us") == "+14155550123");
  CHECK(normalize_phone("415-555-0123", nullptr) == nullopt);
  CHECK(normalize_phone("415-555-0123", "") == nullopt);
  CHECK(normalize_phone("+1 123", "US") == nullopt);
  CHECK(normalize_phone("07911 123456", "GB") == "+447911123456");
  CHECK(normalize_phone("07911 123456", "GB", SEG_PHONE_DIGITS) == "447911123456");
  CHECK(normalize_phone("+39 06 1234 5678", nullptr, SEG_PHONE_DIGITS) == "390612345678");
  CHECK(normalize_phone("not a phone", "US") == nullopt);
  CHECK(normalize_phone("", "US") == nullopt);
}

TEST_CASE("phone: the North American fast path agrees with libphonenumber's parse") {
  // Shapes the fast path takes...
  CHECK(normalize_phone("+1 415.555.0123", nullptr) == "+14155550123");
  CHECK(normalize_phone("+1 (415) 555 0123", nullptr) == "+14155550123");
  CHECK(normalize_phone("  (415) 555-0123 ", "US") == "+14155550123");
  CHECK(normalize_phone("(416) 555-0123", "CA") == "+14165550123");
  CHECK(normalize_phone("(415) 555-0123", "CA", SEG_PHONE_DIGITS) == "14155550123");
  // ...and the ones it leaves to the full parse give the same answers as before.
  CHECK(normalize_phone("1 415 555 0123", "US") == "+14155550123");   // national prefix
  CHECK(normalize_phone("+1 415 555 0123 ext. 7", nullptr) == "+14155550123");
  CHECK(normalize_phone("+1 115 555 0123", nullptr) == normalize_phone("+11155550123", "ZZ"));
  CHECK(normalize_phone("(415) 555-0123", "GB") != "+14155550123");  // not a NANP region
  CHECK(normalize_phone("+1 415 555 01234", nullptr) == nullopt);      // 11 national digits
}

TEST_CASE("sha256: lower-case hex, digests pass through") {
  const char* ann = "71d4f55f72fa128dfb468a1a3901507c804b74316488744d769d7f4b16696476";
  CHECK(sha256_hex("ann@example.com") == ann);
  CHECK(key_sha256("ann@example.com") == ann);
  CHECK(key_sha256("71D4F55F72FA128DFB468A1A3901507C804B74316488744D769D7F4B16696476") == ann);
  CHECK(key_sha256(ann) == ann);
  CHECK(sha256_hex(ann) != ann);  // the raw function always hashes
  // 63 hex digits, or a non-hex letter, are hashed like any value.
  CHECK(key_sha256(std::string_view(ann, 63)) != std::string_view(ann, 63));
  CHECK(!seg_is_sha256_hex("g1d4f55f72fa128dfb468a1a3901507c804b74316488744d769d7f4b16696476",
                           64));
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("conformance: cart_abandoner c01 keys for meta_audience") {
  // " Ann@Example.com " and "+1 201-555-0101" give the email_sha256 and phone_sha256 of
  // expected/meta_abandoners.ndjson.
  auto email = normalize_email(" Ann@Example.com ");
  auto phone = normalize_phone("+1 201-555-0101", "US", SEG_PHONE_DIGITS);
  REQUIRE(email);
  REQUIRE(phone);
  CHECK(key_sha256(*email) == "71d4f55f72fa128dfb468a1a3901507c804b74316488744d769d7f4b16696476");
  CHECK(key_sha256(*phone) == "16eb658ec8fbb534ed4e7129e8f0d22935aa961eca9d8167b3a59c00f1227a3b");
}

TEST_CASE("xxh64 and holdout buckets") {
  CHECK(seg_xxh64("", 0) == 0xef46db3751d8e999ULL);
  CHECK(seg_xxh64("cart_abandoners:c01", 19) == 0xc8874d5d4dec7333ULL);
  const seg_str parts[] = {{"a", 1}, {"", 0}, {"b", 1}};
  CHECK(seg_xxh64_joined(parts, 3) == 0x05779144c7c49056ULL);
  // Long input takes the heap path of the join and must hash the same bytes.
  std::string long_id(600, 'x');
  const seg_str long_parts[] = {view("s"), view(long_id)};
  std::string joined = "s\x1f" + long_id;
  CHECK(seg_xxh64_joined(long_parts, 2) == seg_xxh64(joined.data(), joined.size()));

  CHECK(holdout_bucket("cart_abandoners", "c01") == 4659);
  CHECK(holdout_bucket("cart_abandoners", "c02") == 8269);
  CHECK(holdout_bucket("cart_abandoners", "c11") == 969);
  CHECK(holdout_bucket("cart_abandoners", "c16") == 588);
  CHECK(holdout_bucket("vip", "u1") == 5537);
  CHECK(holdout_bucket("", "") == 1481);

  CHECK(seg_in_holdout(969, 10));   // 10% is buckets 0..999
  CHECK(seg_in_holdout(999, 10));
  CHECK(!seg_in_holdout(1000, 10));
  CHECK(!seg_in_holdout(4659, 10));
  CHECK(seg_in_holdout(109, 1.1));
  CHECK(!seg_in_holdout(110, 1.1));  // 1.1 * 100 rounds above 110 in binary
  CHECK(seg_in_holdout(12, 0.125));  // bucket < 12.5
  CHECK(!seg_in_holdout(13, 0.125));
  CHECK(!seg_in_holdout(0, 0));
  CHECK(seg_in_holdout(9999, 100));
}

TEST_CASE("op_id reproduces the conformance files") {
  // cart_abandoner/expected/meta_abandoners.ndjson
  CHECK(op_id("meta_abandoners", "cart_abandoners", "c01", "add", 1772359200000, 0) ==
        "3fc5798834152086");
  CHECK(op_id("meta_abandoners", "cart_abandoners", "c02", "add", 1772360100000, 0) ==
        "dca0de756f5fb7a4");
  CHECK(op_id("meta_abandoners", "cart_abandoners", "c02", "remove", 1772366400000, 1) ==
        "0bbac459d72694cd");
}

TEST_CASE("string functions") {
  CHECK(lower("AbC-Ä") == "abc-Ä");  // ASCII only
  CHECK(upper("abc-é") == "ABC-é");
  CHECK(trim(" \t x y \n") == "x y");
  CHECK(trim("   ").empty());
  CHECK(seg_str_starts_with(view("checkout"), view("check")));
  CHECK(!seg_str_starts_with(view("check"), view("checkout")));
  CHECK(seg_str_ends_with(view("checkout"), view("out")));
  CHECK(seg_str_ends_with(view("x"), view("")));
  CHECK(seg_str_contains(view("checkout"), view("cko")));
  CHECK(!seg_str_contains(view("checkout"), view("z")));
  CHECK(seg_str_len("", 0) == 0);
  CHECK(seg_str_len("héllo", 6) == 5);
  CHECK(seg_str_len("日本", 6) == 2);
  CHECK(seg_str_len("😀", 4) == 1);
}
