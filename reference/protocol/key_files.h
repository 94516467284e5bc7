// The signing key pair on disk (keygen's output) and the pinned public keys a checker is given.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "core/error.h"
#include "reference/protocol/signing.h"

namespace tlsdoctor::reference {

inline constexpr std::string_view kPrivateKeyFileName = "signing.key";
inline constexpr std::string_view kPublicKeyFileName = "signing.pub";
// A key file larger than this is not one of ours (a PEM Ed25519 key is 119 bytes).
inline constexpr std::uintmax_t kMaxKeyFileBytes = 64 * 1024;

// Writes DIR/signing.key (PKCS#8 PEM, mode 0600) and DIR/signing.pub ("ed25519:..." and a
// newline), creating DIR if needed. Refuses to overwrite an existing key (a lost signing key
// cannot be recovered, and every checker pinned to it would stop trusting the reference).
// Each file is written to a temporary name and renamed, so a crash leaves no half key.
tl::expected<PublicKey, Error> write_key_pair(const std::filesystem::path& dir, const SigningKey& key);

tl::expected<SigningKey, Error> load_signing_key(const std::filesystem::path& path);

// --reference-key's argument: the path of a .pub file (several keys, one per line, allowed)
// or the key text itself ("ed25519:...", several separated by commas).
tl::expected<KeySet, Error> load_key_set(std::string_view argument);

}  // namespace tlsdoctor::reference
