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

// A fresh ECDSA P-384 key and a certificate for it signed by itself with SHA-384, valid from
// an hour ago for a day. P-384 gives 192-bit security, so the certificate passes every
// OpenSSL security level up to 4 and never makes a policy look stricter than it is.
tl::expected<ServerIdentity, Error> make_self_signed_p384(const std::string& common_name);

}  // namespace tlsdoctor::tls
