// Certificates described in advance (root_details.csv, embedded): known roots need no decoding.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"
#include "pki/certificate.h"

namespace tlsdoctor::pki {

// The columns of root_details.csv, in the order checker/data/describe_roots.cpp writes them:
// every field of Certificate but the subjectAltName ones (the table holds no certificate with
// any). Dates are whole seconds since the epoch, flags 0 or 1, key_type as to_string(KeyType).
inline constexpr std::array<std::string_view, 17> kRootDetailsColumns = {
    "sha256",    "spki_sha256", "subject",  "subject_cn", "subject_o",           "issuer",
    "issuer_cn", "issuer_o",    "serial",   "not_before", "not_after",           "key_type",
    "key_bits",  "key_curve",   "signature_algorithm",    "is_ca",               "self_signed"};

// A certificate's fields as a root_details.csv row, in kRootDetailsColumns order, unquoted.
std::vector<std::string> root_details_row(const Certificate& cert);

// Reads root_details.csv text: every field checked (fingerprints, numbers, 0/1, key type); the
// first bad row is an Error naming `input` and its line.
tl::expected<std::vector<Certificate>, Error> load_root_details(std::string_view csv, std::string input);

// The embedded table, sorted by sha256, loaded on first use once per process (thread-safe), or
// the error that kept it from loading (which a correct build never has).
const tl::expected<std::vector<Certificate>, Error>& known_certificates();

// The embedded description of the certificate whose exact DER has this SHA-256 (lowercase hex,
// as sha256_hex gives), or nullptr: unknown, or the table did not load.
const Certificate* known_certificate(std::string_view sha256_hex);

}  // namespace tlsdoctor::pki
