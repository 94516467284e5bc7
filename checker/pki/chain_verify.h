// Verifies a peer chain against a given set of anchors at a given time for a given name, keeping every error.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <openssl/types.h>
#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor::pki {

struct ChainError {
  int code = 0;         // X509_V_ERR_*
  int depth = 0;        // position in the built chain, 0 = leaf
  std::string message;  // X509_verify_cert_error_string(code)
  bool at_ca = false;   // the certificate at `depth` is a CA (basicConstraints CA:TRUE)
};

// A real chain has a handful of problems at most (two or three per certificate). A hostile
// chain of hundreds of expired certificates would otherwise list the same complaint hundreds of
// times; past this many, verification still runs to the end but no more errors are kept.
inline constexpr std::size_t kMaxChainErrors = 32;

struct ChainVerification {
  bool ok = false;
  std::vector<ChainError> errors;  // every error the verify callback saw, in order (at most kMaxChainErrors)
  std::size_t built_length = 0;    // length of the chain OpenSSL built (anchor included when found)
  std::vector<std::string> built_spki_sha256;  // that chain's keys (spki_fingerprint), leaf first
};

// Where anchors come from.
struct AnchorSource {
  enum class Kind { SystemDefault, File, Der };
  Kind kind = Kind::SystemDefault;
  std::string file;
  std::vector<std::vector<std::uint8_t>> der;
};

// Everything but the chain: anchors, time, name and level.
struct VerifySettings {
  AnchorSource anchors;
  std::chrono::system_clock::time_point at = std::chrono::system_clock::now();
  std::string host;  // DNS name or IP literal; empty: no name check
  int security_level = 1;  // OpenSSL auth level: key sizes and signature hashes below it fail
  // An anchor that is not a root ends the chain (X509_V_FLAG_PARTIAL_CHAIN): to prove that a
  // chain is signed by a pinned intermediate or key, whatever lies above it.
  bool partial_chain = false;
};

struct VerifyRequest : VerifySettings {
  std::vector<std::vector<std::uint8_t>> chain;  // as the peer sent it, leaf first
};

// Errors (as values): an anchor file that cannot be read, a chain certificate that does not
// parse. Verification failures are not errors: they are in ChainVerification::errors.
tl::expected<ChainVerification, Error> verify_chain(const VerifyRequest& request);

// The same for certificates already parsed (the TLS library's own objects for a peer chain,
// leaf first), so that nothing is decoded twice: under OpenSSL 3.0 decoding a certificate's key
// costs more than the verification itself.
tl::expected<ChainVerification, Error> verify_chain(std::span<X509* const> chain, const VerifySettings& settings);

}  // namespace tlsdoctor::pki
