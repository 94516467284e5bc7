// PEM framing by hand (base64 from core): platform has no OpenSSL, yet must hand DER bytes on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace tlsdoctor::platform {

// One "-----BEGIN X-----" ... "-----END X-----" block, decoded or not.
struct PemBlock {
  std::size_t index = 0;          // position among all blocks of the text, counting from 0
  std::string label;              // "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CRL", ...
  std::vector<std::uint8_t> der;  // the decoded bytes; empty when `error` is set
  std::string error;              // why the block could not be decoded ("" when it was)
};

// Splits `text` into its PEM blocks, in order, stopping after `max_blocks`. A block with bad
// base64, a missing END line or a mismatched label is kept with `error` set, so that callers
// can name it and still read the blocks after it. Text outside blocks is ignored (bundles
// carry comments and `openssl x509 -text` dumps between certificates).
std::vector<PemBlock> split_pem(std::string_view text, std::size_t max_blocks);

// True when `bytes` has no PEM armour and starts like a DER SEQUENCE; some anchor directories
// (p11-kit's /etc/pki/ca-trust/source/anchors) accept raw DER files.
bool looks_like_der(std::string_view bytes);

// Labels that carry an X.509 certificate (OpenSSL also accepts the legacy "X509 CERTIFICATE"
// and its own "TRUSTED CERTIFICATE", which is a certificate followed by trust settings).
bool is_certificate_label(std::string_view label);

}  // namespace tlsdoctor::platform
