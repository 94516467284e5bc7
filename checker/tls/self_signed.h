// A throwaway key and self-signed certificate for in-process servers (the loopback measurement).
#pragma once

#include <string>

#include <tl/expected.hpp>

#include "core/error.h"
#include "tls/openssl_handles.h"

namespace tlsdoctor::tls {

struct ServerIdentity {
  EvpPkeyPtr key;
  X509Ptr certificate;
};

// The curve of a throwaway identity. P-256 (128-bit security) passes OpenSSL security levels
// up to 3 and its arithmetic costs a small fraction of P-384's (OpenSSL 3.0 has optimised code
// for P-256 only): keygen, self-signing and each handshake's signature and verification. P-384
// (192-bit) passes every level up to 4.
enum class SelfSignedKey { P256, P384 };

// A fresh ECDSA key on that curve and a certificate for it signed by itself (SHA-256 for P-256,
// SHA-384 for P-384), valid from an hour ago for a day.
tl::expected<ServerIdentity, Error> make_self_signed(const std::string& common_name, SelfSignedKey key);

}  // namespace tlsdoctor::tls
