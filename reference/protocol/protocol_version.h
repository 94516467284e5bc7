// The protocol's name and version, its HTTP header names and the size limits both sides enforce.
#pragma once

#include <cstddef>
#include <string_view>

namespace tlsdoctor::reference {

// Carried in every answer's "protocol" field; a client refuses answers of another version.
inline constexpr std::string_view kProtocolVersion = "tlsdoctor.ref/1";

// The answer's signature (base64 of 64 Ed25519 bytes over the exact body) and the id of the
// key that made it (see key_id in signing.h).
inline constexpr std::string_view kSignatureHeader = "Tlsdoctor-Signature";
inline constexpr std::string_view kKeyIdHeader = "Tlsdoctor-Key-Id";

// The largest answer a client reads: an observe answer carries a few probes with their chains
// in base64 (a 16-certificate chain of 2 KiB certificates is ~45 KiB per probe, five probes).
inline constexpr std::size_t kMaxAnswerBytes = 1024 * 1024;
// The largest request body the server reads (an observe request is a host, a port and a name).
inline constexpr std::size_t kMaxRequestBodyBytes = 4096;

// A client nonce: 16 to 64 characters of [A-Za-z0-9_-] (the checker sends 32 hex digits).
inline constexpr std::size_t kMinNonceLength = 16;
inline constexpr std::size_t kMaxNonceLength = 64;

// The reference's optional plain-HTTP listener answers this path with exactly this body and
// status 200. Anything else (a redirect, a login page, another body) means something on the
// path answered in its place: a captive portal.
inline constexpr std::string_view kCaptivePortalPath = "/v1/captive";
inline constexpr std::string_view kCaptivePortalBody = "tlsdoctor-reference captive-portal check: the path is open\n";

}  // namespace tlsdoctor::reference
