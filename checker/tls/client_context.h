// The OpenSSL client (SSL_CTX + SSL) one probe handshakes with, built from its ProbeSpec.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "tls/large_hello.h"
#include "tls/openssl_handles.h"
#include "tls/probe_spec.h"

namespace tlsdoctor::tls {

struct ClientContext {
  // Declared first so that it is destroyed last: the SSL_CTX's extension callback points at it.
  std::unique_ptr<HelloPadding> padding;
  SslCtxPtr ctx;
  SslPtr ssl;  // not yet given a socket
};

// A client under the system OpenSSL configuration (as every program on this machine gets it)
// with the spec's versions, ciphers, groups, ALPN, SNI, OCSP request, security level and
// padding. It verifies nothing (SSL_VERIFY_NONE): the chain is always recorded and verified
// afterwards against the spec's anchors. Errors name the setting OpenSSL refused.
tl::expected<ClientContext, std::string> make_client_context(const ProbeSpec& spec);

// ALPN's wire form: each protocol prefixed by its length; an error for an empty or >255-byte name.
tl::expected<std::string, std::string> alpn_wire_format(const std::vector<std::string>& protocols);

}  // namespace tlsdoctor::tls
