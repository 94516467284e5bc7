// An X.509 certificate reduced to the fields tlsdoctor judges: names, validity, key, fingerprints.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"
#include "pki/openssl_handles.h"

namespace tlsdoctor::pki {

// Certificates larger than this are refused unparsed: real roots are 0.5-2.5 KB, and a
// megabyte "certificate" is either not one or an attempt to make the parser work hard.
inline constexpr std::size_t kMaxCertificateBytes = 64u * 1024u;
// subjectAltName entries kept per certificate: public certificates carry at most a few hundred
// (CAs cap at 100-250); a peer sending thousands gets the first ones listed and the count.
inline constexpr std::size_t kMaxRecordedAltNames = 256;

enum class KeyType { Rsa, Ec, Ed25519, Ed448, Dsa, Unknown };
std::string_view to_string(KeyType type);

struct Certificate {
  std::string subject;  // one line, RFC 2253 ("CN=ISRG Root X1,O=Internet Security Research Group,C=US")
  std::string subject_cn;
  std::string subject_o;
  std::string issuer;
  std::string issuer_cn;
  std::string issuer_o;
  std::string serial;  // lowercase hex
  // Seconds, not system_clock's nanoseconds: roots valid until 9999-12-31 overflow the latter.
  // Compare with std::chrono::floor<std::chrono::seconds>(system_clock::now()).
  std::chrono::sys_seconds not_before{};
  std::chrono::sys_seconds not_after{};
  KeyType key_type = KeyType::Unknown;
  int key_bits = 0;
  std::string key_curve;            // EC only: "prime256v1", "secp384r1"
  std::string signature_algorithm;  // "sha256WithRSAEncryption"
  bool is_ca = false;
  // subjectAltName entries, at most kMaxRecordedAltNames of them; alt_names_total counts all.
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;  // "192.0.2.1", "2001:db8::1"
  std::size_t alt_names_total = 0;
  bool self_signed = false;  // issued by itself: subject equals issuer, key identifiers agree
  // Fingerprints: lowercase hex, no separators (the catalogs in checker/data use the same form).
  std::string sha256;       // of the DER certificate
  std::string spki_sha256;  // of the DER SubjectPublicKeyInfo

  // The name a person knows it by: CN, else O, else the whole subject.
  std::string display_name() const;
};

// Parses one DER certificate (trailing bytes, such as OpenSSL's trust settings after a
// "TRUSTED CERTIFICATE", are ignored and left out of the fingerprint).
tl::expected<Certificate, Error> parse_certificate(std::span<const std::uint8_t> der);

// The OpenSSL object behind a DER certificate, for callers that go on to verify chains. It is
// shared with every other caller that parsed the same bytes (decode_certificate): read-only.
tl::expected<X509Ptr, Error> parse_x509(std::span<const std::uint8_t> der);

// The judged fields of an already parsed certificate.
Certificate describe(X509* cert);

// SHA-256 of `bytes` as lowercase hex.
std::string sha256_hex(std::span<const std::uint8_t> bytes);

// SHA-256 of the certificate's DER SubjectPublicKeyInfo as lowercase hex ("" if it cannot be encoded).
std::string spki_fingerprint(X509* cert);

// A fingerprint as written anywhere ("96:BC:EC:..." from `openssl x509 -fingerprint`, or plain
// hex) in this module's form: 64 lowercase hex digits. Empty when it is not a SHA-256.
std::string normalize_fingerprint(std::string_view text);

}  // namespace tlsdoctor::pki
