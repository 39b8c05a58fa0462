#pragma once
// Ed25519 for signed bundles (RUNTIME.md §5, docs/bundles.md "Signed bundles"): key pairs,
// PEM key files, the key id, signing and verifying, through OpenSSL's EVP interface.
// Keys are held raw (32-byte seed, 32-byte public key), so no OpenSSL type leaves this
// file. Key files are PEM: a private key as PKCS#8 ("BEGIN PRIVATE KEY"), a public key as
// SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"); a trusted-keys file is one or more public
// key blocks, with any text between them ignored (comments, names).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seg::bundle {

inline constexpr uint32_t kSignatureEd25519 = 1;  // the algorithm number in the signature section
inline constexpr size_t kPublicKeyBytes = 32;
inline constexpr size_t kSignatureBytes = 64;

struct SigningKey {
  std::string seed;        // the raw 32-byte Ed25519 private key
  std::string public_key;  // the raw 32-byte public key
};

// A key's id: the first 16 hex digits of the SHA-256 of its raw 32-byte public key.
std::string key_id(std::string_view raw_public_key);

// A new key pair as PEM texts (PKCS#8 private key, SubjectPublicKeyInfo public key).
bool generate_key_pair(std::string& private_pem, std::string& public_pem, std::string& error);

// A PEM private key (an Ed25519 PKCS#8 block). False with `error` set (one sentence, no
// trailing period) when `pem` holds none or another kind of key.
bool read_private_key(std::string_view pem, SigningKey& out, std::string& error);

// Every public key of a trusted-keys text (PEM "PUBLIC KEY" blocks, text between them
// ignored), as raw 32-byte keys without repeats. False with `error` set when there is no
// key, a block does not parse, a key is not Ed25519 or a private key is in the file.
bool read_public_keys(std::string_view pem, std::vector<std::string>& out, std::string& error);

// What a bundle's signature signs: a fixed context string, then the SHA-256 of `covered`
// (the bundle's bytes from its magic number to the start of its signature section).
std::string signed_message(std::string_view covered);

// The 64-byte signature of `message`; false with `error` set when OpenSSL fails.
bool sign(const SigningKey& key, std::string_view message, std::string& signature, std::string& error);

// Whether `signature` is `raw_public_key`'s signature of `message`.
bool verify(std::string_view raw_public_key, std::string_view message, std::string_view signature);

}  // namespace seg::bundle
