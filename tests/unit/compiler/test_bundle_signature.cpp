// Signed bundles (compiler/bundle/signature.h, bundle_file.h): Ed25519 keys round-trip
// through PEM, a signature verifies only for its key and message, a signed bundle reads
// back with a signature that matches and stops matching when any signed byte changes;
// the signature section is bounded like every other (a truncated, over-long or hostile
// one, or a section after it, is refused with its byte offset); trusted-keys texts.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "compiler/binary/codec.h"
#include "compiler/bundle/bundle_file.h"
#include "compiler/bundle/signature.h"
#include "stdlib/builtins/builtins.h"

namespace bundle = seg::bundle;

namespace {

bundle::SigningKey new_key(std::string* public_pem = nullptr) {
  std::string priv, pub, error;
  REQUIRE(bundle::generate_key_pair(priv, pub, error));
  bundle::SigningKey key;
  REQUIRE_MESSAGE(bundle::read_private_key(priv, key, error), error);
  if (public_pem) *public_pem = pub;
  return key;
}

bundle::BundleFile sample(const std::string& manifest = "{\"name\":\"a\"}") {
  bundle::BundleFile f;
  f.manifest = manifest;
  f.ir = "SEGIR-bytes";
  f.sources = {{"a.seg", "segment a = true"}};
  f.object = "object-bytes";
  return f;
}

std::string raw_sha256(std::string_view bytes) {
  std::string hex = seg::builtins::sha256_hex(bytes), raw;
  for (size_t i = 0; i < hex.size(); i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return raw;
}

// A bundle made of these sections (kind, body), closed by a correct digest, so that
// only the sections themselves can be wrong. `body_at`: where each body starts.
std::string craft(const std::vector<std::pair<uint32_t, std::string>>& sections, std::vector<size_t>* body_at = nullptr) {
  seg::binary::Writer w;
  w.bytes({"SEGBNDL\0", 8});
  w.u32(bundle::kFormatVersion);
  w.u32(static_cast<uint32_t>(sections.size()));
  for (const auto& [kind, body] : sections) {
    w.u32(kind);
    w.u64(body.size());
    if (body_at) body_at->push_back(w.size());
    w.bytes(body);
  }
  w.bytes(raw_sha256(w.data()));
  return w.take();
}

std::string sources_body() {
  seg::binary::Writer s;
  s.count32(0);
  return s.take();
}

std::string signature_body(uint32_t algorithm, size_t key_bytes, size_t signature_bytes) {
  seg::binary::Writer s;
  s.u32(algorithm);
  s.bytes(std::string(key_bytes, 'k'));
  s.bytes(std::string(signature_bytes, 's'));
  return s.take();
}

// read() of a crafted bundle whose last section is a signature body: the error.
std::string read_error(const std::string& sig_body, size_t& body_at) {
  std::vector<size_t> at;
  std::string bytes = craft({{1, "{}"}, {2, "ir"}, {3, sources_body()}, {5, sig_body}}, &at);
  body_at = at.back();
  bundle::BundleFile f;
  std::string error;
  CHECK_FALSE(bundle::read(bytes, f, error));
  return error;
}

}  // namespace

TEST_CASE("an Ed25519 key pair signs and verifies; a key id is the SHA-256 prefix of the raw key") {
  bundle::SigningKey key = new_key();
  CHECK(key.seed.size() == 32);
  CHECK(key.public_key.size() == bundle::kPublicKeyBytes);
  std::string sig, error;
  REQUIRE(bundle::sign(key, "message", sig, error));
  CHECK(sig.size() == bundle::kSignatureBytes);
  CHECK(bundle::verify(key.public_key, "message", sig));
  CHECK_FALSE(bundle::verify(key.public_key, "messagf", sig));
  CHECK_FALSE(bundle::verify(new_key().public_key, "message", sig));
  std::string bent = sig;
  bent[10] ^= 1;
  CHECK_FALSE(bundle::verify(key.public_key, "message", bent));
  CHECK_FALSE(bundle::verify(key.public_key, "message", sig.substr(0, 63)));
  CHECK(bundle::key_id(key.public_key) == seg::builtins::sha256_hex(key.public_key).substr(0, 16));
  CHECK(bundle::key_id(key.public_key) != bundle::key_id(new_key().public_key));
}

TEST_CASE("a signed bundle reads back with a signature over every byte before it") {
  bundle::SigningKey key = new_key();
  bundle::BundleFile f = sample();
  std::string error;
  std::string bytes = bundle::write(f, key, error);
  REQUIRE_MESSAGE(!bytes.empty(), error);
  bundle::BundleFile back;
  REQUIRE_MESSAGE(bundle::read(bytes, back, error), error);
  CHECK(back.manifest == f.manifest);
  CHECK(back.ir == f.ir);
  CHECK(back.object == f.object);
  REQUIRE(back.signature.has_value());
  CHECK(back.signature->algorithm == bundle::kSignatureEd25519);
  CHECK(back.signature->public_key == key.public_key);
  CHECK(bundle::verify(back.signature->public_key, back.signed_message, back.signature->value));
  // The signature section is 12 + 100 bytes before the 32-byte digest; it signs the rest.
  size_t covered = bytes.size() - 32 - 12 - 100;
  CHECK(back.signed_message == bundle::signed_message(std::string_view(bytes).substr(0, covered)));

  // Unsigned: as before (no signature section, nothing to verify).
  std::string plain = bundle::write(f);
  bundle::BundleFile unsigned_back;
  REQUIRE(bundle::read(plain, unsigned_back, error));
  CHECK_FALSE(unsigned_back.signature.has_value());
  CHECK(plain.size() == bytes.size() - 112);
  CHECK(plain.substr(16, covered - 16) == bytes.substr(16, covered - 16));  // same sections, one fewer counted
}

TEST_CASE("a byte changed anywhere under the signature, digest recomputed, no longer matches") {
  bundle::SigningKey key = new_key();
  std::string error;
  std::string bytes = bundle::write(sample(), key, error);
  size_t covered = bytes.size() - 32 - 112;
  // Every byte of the signed part (the header, the section count, the lengths, the
  // bodies): still a readable bundle or a refused one, never a matching signature.
  for (size_t i = 0; i < covered; ++i) {
    std::string bent = bytes.substr(0, bytes.size() - 32);
    bent[i] = static_cast<char>(bent[i] ^ 0x01);
    bent += raw_sha256(bent);
    bundle::BundleFile back;
    if (!bundle::read(bent, back, error)) continue;
    REQUIRE(back.signature.has_value());
    CHECK_MESSAGE(!bundle::verify(back.signature->public_key, back.signed_message, back.signature->value),
                  "byte ", i);
  }
  // The manifest of one signed bundle over the contents of another: no match either.
  bundle::BundleFile other = sample("{\"name\":\"b\"}");
  bundle::BundleFile a, b;
  REQUIRE(bundle::read(bytes, a, error));
  REQUIRE(bundle::read(bundle::write(other, key, error), b, error));
  CHECK_FALSE(bundle::verify(key.public_key, b.signed_message, a.signature->value));
}

TEST_CASE("a truncated, over-long or hostile signature section is refused with its byte offset") {
  size_t at = 0;
  std::string e = read_error(signature_body(1, 32, 14), at);
  CHECK(e == "bundle's signature section is malformed: truncated at byte " + std::to_string(at + 36) +
                 ": 64 bytes with 14 left");
  e = read_error(signature_body(1, 32, 65), at);
  CHECK(e == "bundle's signature section is malformed: trailing data at byte " + std::to_string(at + 100) +
             ": 1 byte after the end");
  e = read_error(signature_body(7, 32, 64), at);
  CHECK(e == "bundle's signature section is malformed: unknown signature algorithm 7 (this seg knows 1, Ed25519) "
             "at byte " + std::to_string(at + 4));
  e = read_error(std::string("\x01\x00", 2), at);
  CHECK(e == "bundle's signature section is malformed: truncated at byte " + std::to_string(at) +
             ": a u32 with 2 bytes left");
  e = read_error("", at);
  CHECK(e.starts_with("bundle's signature section is malformed: truncated at byte " + std::to_string(at)));

  // A section after the signature would not be signed.
  std::vector<size_t> body;
  std::string bytes = craft({{1, "{}"}, {2, "ir"}, {5, signature_body(1, 32, 64)}, {3, sources_body()}}, &body);
  bundle::BundleFile f;
  std::string error;
  CHECK_FALSE(bundle::read(bytes, f, error));
  CHECK(error == "bundle is malformed: section 3 at byte " + std::to_string(body[2] + 100) +
                     " follows the signature section, which must be the last");
  // Two signatures: a repeated section.
  bytes = craft({{1, "{}"}, {2, "ir"}, {3, sources_body()}, {5, signature_body(1, 32, 64)},
                 {5, signature_body(1, 32, 64)}});
  CHECK_FALSE(bundle::read(bytes, f, error));
  CHECK(error == "bundle has an unknown or repeated section 5");
  // A signature section length of 2^64 - 1.
  seg::binary::Writer w;
  w.bytes({"SEGBNDL\0", 8});
  w.u32(bundle::kFormatVersion);
  w.u32(1);
  w.u32(5);
  w.u64(UINT64_MAX);
  w.bytes(raw_sha256(w.data()));
  CHECK_FALSE(bundle::read(w.data(), f, error));
  CHECK(error.starts_with("bundle is malformed: truncated at byte 20: a string of 18446744073709551615 bytes"));
  // A well-formed section with a key nobody holds reads; verifying it fails.
  bytes = craft({{1, "{}"}, {2, "ir"}, {3, sources_body()}, {5, signature_body(1, 32, 64)}});
  REQUIRE(bundle::read(bytes, f, error));
  CHECK_FALSE(bundle::verify(f.signature->public_key, f.signed_message, f.signature->value));
}

TEST_CASE("private and trusted-keys PEM texts") {
  std::string pub_a, pub_b;
  bundle::SigningKey a = new_key(&pub_a), b = new_key(&pub_b);
  std::vector<std::string> keys;
  std::string error;
  REQUIRE(bundle::read_public_keys("# ops team, 2026\n" + pub_a + "\n# rotation\n" + pub_b + pub_a, keys, error));
  REQUIRE(keys.size() == 2);  // the repeat once
  CHECK(keys[0] == a.public_key);
  CHECK(keys[1] == b.public_key);

  keys.clear();
  CHECK_FALSE(bundle::read_public_keys("nothing here\n", keys, error));
  CHECK(error.starts_with("it holds no public key"));
  std::string priv, pub;
  REQUIRE(bundle::generate_key_pair(priv, pub, error));
  CHECK_FALSE(bundle::read_public_keys(pub_a + priv, keys, error));
  CHECK(error == "block 2 (line 4) is a private key: a trusted-keys file holds public keys only");
  CHECK_FALSE(bundle::read_public_keys(pub_a.substr(0, pub_a.size() - 10), keys, error));
  CHECK(error == "block 1 (line 1) has no END PUBLIC KEY line");
  std::string bent = pub_a;
  bent[30] = bent[30] == 'A' ? 'B' : 'A';  // inside the base64 of the key's header
  CHECK_FALSE(bundle::read_public_keys(bent, keys, error));
  CHECK(error.starts_with("block 1 (line 1) is not"));
  const char* p256 =
      "-----BEGIN PUBLIC KEY-----\n"
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEcORHqCuH1BhS/GYEJsDi6CpQSaun\n"
      "zKAKtcy22t9dSHnjx7rfKPpXkod0roccTZOHhEh4fvTqvi7cYdeRb60Tdg==\n"
      "-----END PUBLIC KEY-----\n";
  CHECK_FALSE(bundle::read_public_keys(pub_a + p256, keys, error));
  CHECK(error == "block 2 (line 4) is not an Ed25519 key");

  bundle::SigningKey back;
  REQUIRE(bundle::read_private_key(priv, back, error));
  CHECK_FALSE(bundle::read_private_key(pub, back, error));
  CHECK(error.starts_with("it is a public key"));
  CHECK_FALSE(bundle::read_private_key("", back, error));
  CHECK(error.starts_with("it holds no PEM private key"));
}
