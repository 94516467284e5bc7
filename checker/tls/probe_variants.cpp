// Builders for the probe variants: pinned versions, SNI choices, modern and legacy cipher sets, a large ClientHello.
#include "tls/probe_variants.h"

#include "tls/large_hello.h"

namespace tlsdoctor::tls {
namespace {

// Modern: forward-secret AEAD only, as current browsers and Mozilla's "intermediate" profile
// offer; X25519 then the NIST curves every TLS 1.3 stack has.
constexpr const char* kModernCipherList = "ECDHE+AESGCM:ECDHE+CHACHA20";
constexpr const char* kModernCiphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kModernGroups = "X25519:P-256:P-384";
// Legacy: what pre-2015 servers speak and modern clients are dropping — RSA key exchange (no
// forward secrecy), finite-field DHE, CBC with SHA-1, 3DES — over NIST curves and RFC 7919
// finite-field groups, without X25519. TLS 1.2 at most: TLS 1.3 has none of these.
constexpr const char* kLegacyCipherList = "kRSA:kEDH:ECDHE+SHA1:3DES:!aNULL:!eNULL";
constexpr const char* kLegacyGroups = "P-256:P-384:P-521:ffdhe2048:ffdhe3072";

}  // namespace

ProbeSpec pinned_version(const ProbeSpec& base, TlsVersion version) {
  ProbeSpec spec = base;
  spec.hello.min_version = version;
  spec.hello.max_version = version;
  // OpenSSL 3 offers TLS 1.0 and 1.1 up to security level 2 but then refuses the server's
  // MD5+SHA-1 (or SHA-1) handshake signature ("legacy sigalg disallowed"), and from level 3 on
  // it does not offer them at all; so "does the server still speak TLS 1.0?" can only be
  // answered at level 0.
  if (version < TlsVersion::Tls1_2) spec.hello.security_level = 0;
  spec.label = "tls" + std::string(short_name(version));
  return spec;
}

std::vector<ProbeSpec> all_version_variants(const ProbeSpec& base) {
  std::vector<ProbeSpec> out;
  for (const TlsVersion version : kMeasuredTlsVersions) out.push_back(pinned_version(base, version));
  return out;
}

ProbeSpec without_sni(const ProbeSpec& base) {
  ProbeSpec spec = base;
  spec.sni_mode = SniMode::None;
  spec.sni_name.clear();
  spec.label = "no-sni";
  return spec;
}

ProbeSpec with_sni(const ProbeSpec& base, const std::string& name) {
  ProbeSpec spec = base;
  spec.sni_mode = SniMode::Name;
  spec.sni_name = name;
  spec.label = "sni:" + name;
  return spec;
}

ProbeSpec modern_ciphers(const ProbeSpec& base) {
  ProbeSpec spec = base;
  spec.hello.cipher_list = kModernCipherList;
  spec.hello.ciphersuites = kModernCiphersuites;
  spec.hello.groups = kModernGroups;
  spec.hello.min_version = TlsVersion::Tls1_2;
  spec.label = "modern-ciphers";
  return spec;
}

ProbeSpec legacy_ciphers(const ProbeSpec& base) {
  ProbeSpec spec = base;
  spec.hello.cipher_list = kLegacyCipherList;
  spec.hello.groups = kLegacyGroups;
  spec.hello.max_version = TlsVersion::Tls1_2;
  spec.label = "legacy-ciphers";
  return spec;
}

ProbeSpec large_hello(const ProbeSpec& base) {
  ProbeSpec spec = base;
  spec.hello.pad_to = kLargeHelloBytes;
  // A hybrid post-quantum key share is the real reason hellos grow past one segment; where this
  // OpenSSL has one the probe offers it, and the padding tops up whatever is still missing.
  if (auto hybrid = hybrid_groups_list()) spec.hello.groups = *hybrid;
  spec.label = "large-hello";
  return spec;
}

}  // namespace tlsdoctor::tls
