// keygen's files (signing.key 0600, signing.pub) and reading the keys back, each error naming the file.
#include "reference/protocol/key_files.h"

#include <system_error>

#include "core/atomic_file.h"
#include "core/bounded_file.h"

namespace tlsdoctor::reference {
namespace {

tl::expected<std::string, Error> read_small_file(const std::filesystem::path& path) {
  return read_bounded_file(path, kMaxKeyFileBytes, "a key file");
}

}  // namespace

tl::expected<PublicKey, Error> write_key_pair(const std::filesystem::path& dir, const SigningKey& key) {
  const auto private_path = dir / kPrivateKeyFileName;
  const auto public_path = dir / kPublicKeyFileName;
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return tl::unexpected(Error{dir.string(), "cannot create the directory: " + error.message()});
  for (const auto& path : {private_path, public_path}) {
    if (std::filesystem::exists(path, error)) {
      return tl::unexpected(
          Error{path.string(), "already exists; a signing key is never overwritten (move it away first)"});
    }
  }
  const std::string pem = key.private_pem();
  if (pem.empty()) return tl::unexpected(Error{private_path.string(), "the key could not be encoded"});
  // The private key first: a public key without its private half would be useless to pin.
  if (auto written = write_file_atomically(private_path.string(), pem, 0600); !written) {
    return tl::unexpected(written.error());
  }
  if (auto written = write_file_atomically(public_path.string(), public_key_text(key.public_key()) + "\n"); !written) {
    std::filesystem::remove(private_path, error);  // no half pair left behind
    return tl::unexpected(written.error());
  }
  return key.public_key();
}

tl::expected<SigningKey, Error> load_signing_key(const std::filesystem::path& path) {
  auto text = read_small_file(path);
  if (!text) return tl::unexpected(text.error());
  return SigningKey::from_pem(*text, path.string());
}

tl::expected<KeySet, Error> load_key_set(std::string_view argument) {
  if (argument.starts_with(kPublicKeyPrefix) || argument.find(',') != std::string_view::npos) {
    return parse_key_set(argument, "--reference-key");
  }
  const std::filesystem::path path{std::string(argument)};
  auto text = read_small_file(path);
  if (!text) return tl::unexpected(text.error());
  return parse_key_set(*text, path.string());
}

}  // namespace tlsdoctor::reference
