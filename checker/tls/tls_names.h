// IANA names of TLS code points (cipher suites, groups, signature schemes, extensions) for people to read.
#pragma once

#include <cstdint>
#include <string>

namespace tlsdoctor::tls {

// Each returns the IANA registry name, or "0x1234" for a value without one; GREASE values
// are named "GREASE".
std::string cipher_suite_name(std::uint16_t id);        // "TLS_AES_128_GCM_SHA256"
std::string group_name(std::uint16_t id);               // "x25519", "secp256r1"
std::string signature_scheme_name(std::uint16_t id);    // "ecdsa_secp256r1_sha256"
std::string extension_name(std::uint16_t id);           // "server_name"
std::string version_name(std::uint16_t id);             // "TLS 1.3", "TLS 1.2", ..., "0x7f1c"

}  // namespace tlsdoctor::tls
