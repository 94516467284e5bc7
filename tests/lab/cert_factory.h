// The lab's certificate factory: roots, intermediates and leaves made at test time (OpenSSL 3).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <tl/expected.hpp>

#include "pki/openssl_handles.h"

namespace tlsdoctor::lab {

using pki::EvpPkeyPtr;
using pki::X509Ptr;

enum class KeyAlgorithm { Rsa, EcdsaP256, EcdsaP384 };

struct KeySpec {
  // P-256 by default: generating it takes microseconds, an RSA-2048 key tens of milliseconds.
  KeyAlgorithm algorithm = KeyAlgorithm::EcdsaP256;
  int rsa_bits = 2048;  // RSA only; anything OpenSSL accepts (512 and up), weak sizes included

  static KeySpec rsa(int bits) { return KeySpec{KeyAlgorithm::Rsa, bits}; }
  static KeySpec p256() { return KeySpec{KeyAlgorithm::EcdsaP256, 0}; }
  static KeySpec p384() { return KeySpec{KeyAlgorithm::EcdsaP384, 0}; }
};

struct CertSpec {
  std::string common_name;
  std::string organization;              // left out of the subject when empty
  std::vector<std::string> dns_names;    // subjectAltName DNS entries
  std::vector<std::string> ip_addresses; // subjectAltName IP entries ("127.0.0.1", "::1")
  // Any window, including one that has ended (expired) or not begun (not yet valid).
  std::chrono::system_clock::time_point not_before = std::chrono::system_clock::now() - std::chrono::hours(1);
  std::chrono::system_clock::time_point not_after = std::chrono::system_clock::now() + std::chrono::hours(24 * 365);
  bool is_ca = false;                    // make_root and make_intermediate set it themselves
  std::optional<int> path_length;        // CA only: basicConstraints pathlen
  std::vector<std::string> extended_key_usage;  // OpenSSL names: "serverAuth", "clientAuth"
  KeySpec key;
  std::string digest = "SHA256";         // signature hash
  std::optional<std::uint64_t> serial;   // random when unset
};

// A certificate with its private key.
struct Credential {
  X509Ptr cert;
  EvpPkeyPtr key;

  std::vector<std::uint8_t> cert_der() const;
  std::string cert_pem() const;
  std::vector<std::uint8_t> key_der() const;  // PKCS#8
  std::string key_pem() const;                // PKCS#8, unencrypted
  Credential clone() const;                   // shares the OpenSSL objects (reference counted)
};

// Every failure is a message saying which step failed and what OpenSSL said.
using LabError = std::string;

tl::expected<EvpPkeyPtr, LabError> generate_key(const KeySpec& spec);

// A self-signed CA certificate (basicConstraints CA:TRUE, keyCertSign).
tl::expected<Credential, LabError> make_root(const CertSpec& spec);
// A CA certificate signed by `issuer`.
tl::expected<Credential, LabError> make_intermediate(const CertSpec& spec, const Credential& issuer);
// An end-entity certificate signed by `issuer`; with no SAN given, the CN becomes a DNS SAN and
// with no extended key usage given, serverAuth is used.
tl::expected<Credential, LabError> make_leaf(const CertSpec& spec, const Credential& issuer);
// The general form: self-signed when `issuer` is null; spec.is_ca decides the kind.
tl::expected<Credential, LabError> issue(const CertSpec& spec, const Credential* issuer);

// The certificates as consecutive PEM blocks, in the order given.
std::string pem_bundle(const std::vector<const Credential*>& certificates);
// The whole file, or "" when it cannot be read (for logs and bundles a test assembles).
std::string read_text_file(const std::filesystem::path& path);
// Writes `content` to `path`, creating parent directories.
tl::expected<void, LabError> write_file(const std::filesystem::path& path, const std::string& content);
tl::expected<void, LabError> write_pem_bundle(const std::filesystem::path& path,
                                              const std::vector<const Credential*>& certificates);

}  // namespace tlsdoctor::lab
