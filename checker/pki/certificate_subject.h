// The subject name of a DER certificate, found by walking its outer structure without decoding it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tlsdoctor::pki {

// Nested DER lengths beyond this are refused: a certificate's fields are far smaller, and
// the walk never needs lengths of more than four bytes.
inline constexpr std::size_t kMaxDerLengthBytes = 4;

// The encoded subject Name (its whole SEQUENCE, tag and length included) of `certificate`,
// after checking the outline every X.509 certificate has: a SEQUENCE of the to-be-signed
// SEQUENCE, the signature algorithm SEQUENCE and the signature BIT STRING, and inside the
// first, an optional [0] version, the serial INTEGER and five SEQUENCEs (signature algorithm,
// issuer, validity, subject, public key). Bytes after the certificate are allowed, as d2i_X509
// allows them. Nothing when the outline does not hold; a certificate that passes can still
// fail a full decode (a field's content is not looked at).
std::optional<std::span<const std::uint8_t>> certificate_subject_der(std::span<const std::uint8_t> certificate);

}  // namespace tlsdoctor::pki
