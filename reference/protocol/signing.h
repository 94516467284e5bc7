// Ed25519 signing of answers over their exact bytes, public keys in text form, and verification against pinned keys.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"
#include "pki/openssl_handles.h"

namespace tlsdoctor::reference {

inline constexpr std::size_t kPublicKeyBytes = 32;  // RFC 8032
inline constexpr std::size_t kSignatureBytes = 64;
// Public keys are written "ed25519:" + base64 of the 32 raw bytes: one line, easy to paste into
// a policy file or an MDM profile.
inline constexpr std::string_view kPublicKeyPrefix = "ed25519:";
// A checker pins a handful of keys (the current one and the next, during a rotation).
inline constexpr std::size_t kMaxPinnedKeys = 16;

struct PublicKey {
  std::array<std::uint8_t, kPublicKeyBytes> raw{};
  std::string id;  // key_id(raw)
};

// The first 8 bytes of SHA-256 over the raw key, in lowercase hex: short enough for a header,
// long enough that two keys of one operator never collide by accident.
std::string key_id(std::span<const std::uint8_t, kPublicKeyBytes> raw);

// "ed25519:BASE64".
std::string public_key_text(const PublicKey& key);
tl::expected<PublicKey, Error> parse_public_key(std::string_view text);

// Several keys, one per line (blank lines and '#' comments skipped) or separated by commas.
struct KeySet {
  std::vector<PublicKey> keys;
  const PublicKey* find(std::string_view id) const;
};
tl::expected<KeySet, Error> parse_key_set(std::string_view text, std::string_view source);

class SigningKey {
 public:
  static tl::expected<SigningKey, Error> generate();
  // A PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----") holding an Ed25519 key.
  static tl::expected<SigningKey, Error> from_pem(std::string_view pem, std::string_view source);
  std::string private_pem() const;
  const PublicKey& public_key() const { return public_; }
  // Ed25519 over exactly `message`.
  tl::expected<std::array<std::uint8_t, kSignatureBytes>, Error> sign(std::span<const std::uint8_t> message) const;
  tl::expected<std::array<std::uint8_t, kSignatureBytes>, Error> sign(std::string_view message) const;

 private:
  SigningKey(pki::EvpPkeyPtr key, PublicKey public_key) : key_(std::move(key)), public_(std::move(public_key)) {}
  pki::EvpPkeyPtr key_;
  PublicKey public_;
};

// Why a signature was not accepted. Stable strings: unsigned, unknown_key, malformed, mismatch.
enum class SignatureProblem { Unsigned, UnknownKey, Malformed, Mismatch };
std::string_view to_string(SignatureProblem problem);

struct SignatureFailure {
  SignatureProblem problem;
  std::string detail;
};

// Checks `signature_base64` (the signature header) over `body` with the key `key_id` names
// among `keys`. Only a valid signature by a pinned key passes.
tl::expected<void, SignatureFailure> verify_signature(std::string_view body, std::optional<std::string_view> key_id,
                                                      std::optional<std::string_view> signature_base64,
                                                      const KeySet& keys);

}  // namespace tlsdoctor::reference
