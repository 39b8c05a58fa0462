// Signed bundles on the host: key files, the trusted-keys check, key pairs for
// `seg keygen` (signing.h). Never prints.
#include "runtime/host/signing.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/host/load_rules.h"

namespace seg::host {
namespace {

// `text` written to a new file with `mode` (open with O_EXCL unless `force`; an existing
// file replaced keeps no looser mode than asked).
bool write_new_file(const std::string& path, const std::string& text, mode_t mode, bool force, std::string& error) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL);
  int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0) {
    error = errno == EEXIST ? path + " exists already (seg keygen --force replaces it)"
                            : "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  bool ok = ::fchmod(fd, mode) == 0;
  for (size_t done = 0; ok && done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  int saved = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) error = "cannot write " + path + ": " + std::strerror(saved);
  return ok;
}

std::string key_list(const TrustedKeys& trusted) {
  std::string ids;
  for (const std::string& k : trusted.keys) ids += (ids.empty() ? "" : ", ") + bundle::key_id(k);
  return ids;
}

}  // namespace

bool load_trusted_keys(const std::string& path, TrustedKeys& out, std::string& error) {
  std::string text;
  if (!read_whole_file(path, text)) {
    error = "cannot read trusted keys " + path;
    return false;
  }
  out.path = path;
  out.keys.clear();
  if (!bundle::read_public_keys(text, out.keys, error)) {
    error = "trusted keys " + path + ": " + error;
    return false;
  }
  return true;
}

bool load_signing_key(const std::string& path, bundle::SigningKey& out, std::string& error) {
  std::string text;
  if (!read_whole_file(path, text)) {
    error = "cannot read signing key " + path;
    return false;
  }
  if (!bundle::read_private_key(text, out, error)) {
    error = "signing key " + path + ": " + error;
    return false;
  }
  return true;
}

std::string check_signature(const std::string& path, const bundle::BundleFile& f, const TrustedKeys& trusted) {
  if (!f.signature)
    return path + ": the bundle is not signed, and --trusted-keys " + trusted.path +
           " accepts only bundles signed by one of its keys (seg build --sign KEY)";
  const bundle::Signature& s = *f.signature;
  std::string id = bundle::key_id(s.public_key);
  if (std::find(trusted.keys.begin(), trusted.keys.end(), s.public_key) == trusted.keys.end())
    return path + ": the bundle is signed by key id " + id + ", which is not in trusted keys " + trusted.path +
           " (key ids " + key_list(trusted) + ")";
  if (!bundle::verify(s.public_key, f.signed_message, s.value))
    return path + ": the bundle's signature does not match its contents (key id " + id +
           "): it was changed after it was signed";
  return "";
}

SignatureInfo describe_signature(const bundle::BundleFile& f) {
  SignatureInfo out;
  if (!f.signature) return out;
  out.is_signed = true;
  out.key_id = bundle::key_id(f.signature->public_key);
  out.matches = bundle::verify(f.signature->public_key, f.signed_message, f.signature->value);
  return out;
}

bool write_key_pair(const std::string& prefix, bool force, KeyPairFiles& out, std::string& error) {
  std::string private_pem, public_pem;
  if (!bundle::generate_key_pair(private_pem, public_pem, error)) return false;
  bundle::SigningKey key;
  if (!bundle::read_private_key(private_pem, key, error)) return false;
  out.private_path = prefix + ".key";
  out.public_path = prefix + ".pub";
  out.key_id = bundle::key_id(key.public_key);
  // The public file first: a failure leaves no private key behind without its pair.
  if (!force) {
    struct stat st {};
    if (::stat(out.private_path.c_str(), &st) == 0) {
      error = out.private_path + " exists already (seg keygen --force replaces it)";
      return false;
    }
  }
  return write_new_file(out.public_path, public_pem, 0644, force, error) &&
         write_new_file(out.private_path, private_pem, 0600, force, error);
}

}  // namespace seg::host
