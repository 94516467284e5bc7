// Certificates decoded once per process and shared: OpenSSL 3.0 pays dearly for every public key it decodes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <tl/expected.hpp>

#include "core/error.h"
#include "pki/openssl_handles.h"

namespace tlsdoctor::pki {

// Decoding one certificate costs OpenSSL 3.0 about 1.8 million instructions, 1.5 million of them
// in building a decoder for its public key (callgrind of a full run, 2026-12-07; ~0.14 ms of
// wall time each for the 144 roots of Debian's bundle). A run needs the system roots for the
// trust store check and for every verification against the system store, so decoded
// certificates are kept for the process:
// at most kMaxSharedCertificates of them and kMaxSharedDecodedBytes of DER in all, none larger
// than kMaxSharedCertificateBytes (a 144-root distribution bundle is ~200 KB; a long-lived
// reference server stops adding once either budget is spent, and decodes afresh what it cannot
// keep). Bytes that do not decode are not kept.
inline constexpr std::size_t kMaxSharedCertificates = 2048;
inline constexpr std::size_t kMaxSharedDecodedBytes = 4u * 1024u * 1024u;
inline constexpr std::size_t kMaxSharedCertificateBytes = 16u * 1024u;

struct DecodedCertificate {
  X509Ptr cert;               // a reference of the caller's own; the object itself is shared
  std::size_t consumed = 0;   // bytes the certificate took; any after it were ignored
};

// d2i_X509 of `der` (at most kMaxCertificateBytes), through the process's cache: the same bytes
// give the same X509 object, decoded once even when several threads ask at the same moment. The
// object must be treated as read-only (OpenSSL's own lazy caches in it are thread-safe).
// Failures are not kept: the next caller with the same bytes decodes them again.
tl::expected<DecodedCertificate, Error> decode_certificate(std::span<const std::uint8_t> der);

}  // namespace tlsdoctor::pki
