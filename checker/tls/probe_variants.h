// Probe variants derived from one base spec: pinned versions, SNI choices, cipher sets, a large ClientHello.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tls/probe_spec.h"
#include "tls/tls_version.h"

namespace tlsdoctor::tls {

// A ClientHello at least this large spans two TCP segments at a 1500-byte MTU (1460 bytes of
// payload), as post-quantum hybrid key shares make Chrome's and Firefox's (~1.8 KB).
inline constexpr std::size_t kLargeHelloBytes = 1600;

// The base pinned to exactly `version` (min = max), labelled "tls1.2" etc. TLS 1.0 and 1.1 get
// security level 0: OpenSSL 3 will not even offer them at level 1 or above.
ProbeSpec pinned_version(const ProbeSpec& base, TlsVersion version);
// One per version in kMeasuredTlsVersions, oldest first.
std::vector<ProbeSpec> all_version_variants(const ProbeSpec& base);
// SNI off ("no-sni") and another name ("sni:<name>").
ProbeSpec without_sni(const ProbeSpec& base);
ProbeSpec with_sni(const ProbeSpec& base, const std::string& name);
// Modern (ECDHE with AEAD; X25519, P-256) and legacy (RSA key exchange, CBC, finite-field DH)
// cipher and group sets, labelled "modern-ciphers" / "legacy-ciphers".
ProbeSpec modern_ciphers(const ProbeSpec& base);
ProbeSpec legacy_ciphers(const ProbeSpec& base);
// A ClientHello of at least kLargeHelloBytes ("large-hello"): a hybrid post-quantum key share
// when this OpenSSL offers one, else padding.
ProbeSpec large_hello(const ProbeSpec& base);

}  // namespace tlsdoctor::tls
