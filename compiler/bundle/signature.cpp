// Ed25519 keys, signatures and PEM key files through OpenSSL's EVP interface (the
// contract is in signature.h). OpenSSL objects live only inside each function.
#include "compiler/bundle/signature.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <climits>
#include <memory>

namespace seg::bundle {
namespace {

using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

// Domain separation: a signature over a bundle is never a signature over anything else.
constexpr std::string_view kContext{"seg bundle signature v1\0", 24};

Bio memory_bio(std::string_view text) {
  if (text.size() > static_cast<size_t>(INT_MAX)) return Bio(nullptr, &BIO_free);  // no key file is 2 GiB
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free);
}

// OpenSSL's queue of errors, emptied: one failure must not leak into the next call.
bool failed(std::string& error, std::string message) {
  ERR_clear_error();
  error = std::move(message);
  return false;
}

// Never prompts for a passphrase: an encrypted key simply does not read.
int no_passphrase(char*, int, int, void*) { return -1; }

std::string raw_key(EVP_PKEY* pkey, bool private_part) {
  std::string out(32, '\0');
  size_t len = out.size();
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  int ok = private_part ? EVP_PKEY_get_raw_private_key(pkey, p, &len) : EVP_PKEY_get_raw_public_key(pkey, p, &len);
  if (ok != 1 || len != 32) return {};
  return out;
}

std::string pem_of(EVP_PKEY* pkey, bool private_part) {
  Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio) return {};
  int ok = private_part ? PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr)
                        : PEM_write_bio_PUBKEY(bio.get(), pkey);
  if (ok != 1) return {};
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

std::string sha256(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1 || len != 32) return {};
  return std::string(reinterpret_cast<char*>(md), len);
}

size_t line_of(std::string_view text, size_t pos) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

}  // namespace

std::string key_id(std::string_view raw_public_key) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string digest = sha256(raw_public_key), out;
  for (size_t i = 0; i < 8 && i < digest.size(); ++i) {
    auto b = static_cast<unsigned char>(digest[i]);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

bool generate_key_pair(std::string& private_pem, std::string& public_pem, std::string& error) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr),
                                                                   &EVP_PKEY_CTX_free);
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1)
    return failed(error, "OpenSSL could not generate an Ed25519 key");
  Pkey pkey(raw, &EVP_PKEY_free);
  private_pem = pem_of(pkey.get(), true);
  public_pem = pem_of(pkey.get(), false);
  if (private_pem.empty() || public_pem.empty()) return failed(error, "OpenSSL could not write the key as PEM");
  return true;
}

bool read_private_key(std::string_view pem, SigningKey& out, std::string& error) {
  Bio bio = memory_bio(pem);
  Pkey pkey(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr) : nullptr, &EVP_PKEY_free);
  if (!pkey) {
    if (pem.find("-----BEGIN PUBLIC KEY-----") != std::string_view::npos)
      return failed(error, "it is a public key: signing takes the private key (PREFIX.key of `seg keygen`)");
    if (pem.find("ENCRYPTED") != std::string_view::npos)
      return failed(error, "it is an encrypted private key: seg reads unencrypted PKCS#8 keys only");
    return failed(error, "it holds no PEM private key (a \"BEGIN PRIVATE KEY\" block, as `seg keygen` writes)");
  }
  if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) return failed(error, "it is not an Ed25519 key");
  out.seed = raw_key(pkey.get(), true);
  out.public_key = raw_key(pkey.get(), false);
  if (out.seed.empty() || out.public_key.empty()) return failed(error, "OpenSSL could not read the key's bytes");
  return true;
}

bool read_public_keys(std::string_view pem, std::vector<std::string>& out, std::string& error) {
  constexpr std::string_view kBegin = "-----BEGIN ", kDashes = "-----";
  size_t at = 0, block = 0;
  while ((at = pem.find(kBegin, at)) != std::string_view::npos) {
    ++block;
    std::string where = "block " + std::to_string(block) + " (line " + std::to_string(line_of(pem, at)) + ")";
    size_t label_at = at + kBegin.size();
    size_t label_end = pem.find(kDashes, label_at);
    std::string_view label = label_end == std::string_view::npos ? std::string_view()
                                                                 : pem.substr(label_at, label_end - label_at);
    if (label.find("PRIVATE KEY") != std::string_view::npos)
      return failed(error, where + " is a private key: a trusted-keys file holds public keys only");
    if (label != "PUBLIC KEY")
      return failed(error, where + " is a \"" + std::string(label) + "\" block, not a \"PUBLIC KEY\"");
    std::string end_line = "-----END PUBLIC KEY-----";
    size_t end = pem.find(end_line, label_end);
    if (end == std::string_view::npos) return failed(error, where + " has no END PUBLIC KEY line");
    end += end_line.size();
    Bio bio = memory_bio(pem.substr(at, end - at));
    Pkey pkey(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr) : nullptr, &EVP_PKEY_free);
    if (!pkey) return failed(error, where + " is not a readable public key");
    if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) return failed(error, where + " is not an Ed25519 key");
    std::string raw = raw_key(pkey.get(), false);
    if (raw.empty()) return failed(error, where + ": OpenSSL could not read the key's bytes");
    if (std::find(out.begin(), out.end(), raw) == out.end()) out.push_back(std::move(raw));
    at = end;
  }
  if (out.empty())
    return failed(error, "it holds no public key (PEM \"BEGIN PUBLIC KEY\" blocks, as `seg keygen` writes to PREFIX.pub)");
  return true;
}

std::string signed_message(std::string_view covered) {
  std::string m(kContext);
  m += sha256(covered);
  return m;
}

bool sign(const SigningKey& key, std::string_view message, std::string& signature, std::string& error) {
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                         reinterpret_cast<const unsigned char*>(key.seed.data()), key.seed.size()),
            &EVP_PKEY_free);
  MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  signature.assign(kSignatureBytes, '\0');
  size_t len = signature.size();
  if (!pkey || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != kSignatureBytes) {
    signature.clear();
    return failed(error, "OpenSSL could not sign with the Ed25519 key");
  }
  return true;
}

bool verify(std::string_view raw_public_key, std::string_view message, std::string_view signature) {
  if (raw_public_key.size() != kPublicKeyBytes || signature.size() != kSignatureBytes) return false;
  Pkey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                        reinterpret_cast<const unsigned char*>(raw_public_key.data()),
                                        raw_public_key.size()),
            &EVP_PKEY_free);
  MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  bool ok = pkey && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                             reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace seg::bundle
