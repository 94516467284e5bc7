// The reference's TLS side: a server context that accepts TLS 1.0-1.3 and captures each raw ClientHello.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <openssl/crypto.h>
#include <tl/expected.hpp>

#include "core/error.h"
#include "reference/server/request.h"
#include "tls/openssl_handles.h"

namespace tlsdoctor::reference {

// The certificate chain (leaf first) and private key the reference serves, as PEM text.
struct ServerIdentity {
  std::string chain_pem;
  std::string key_pem;
};

// An OpenSSL library context of one's own (see OwnLibrary).
using LibraryContextPtr = std::unique_ptr<OSSL_LIB_CTX, tls::OpenSslDeleter<OSSL_LIB_CTX, OSSL_LIB_CTX_free>>;

// What is fixed for every connection: the context and the served chain's fingerprints.
struct ServerTls {
  LibraryContextPtr library;  // null: OpenSSL's default; declared first, so freed last
  tls::SslCtxPtr context;
  std::vector<std::string> chain_sha256;
  std::string spki_sha256;
};

// TLS 1.0 to 1.3 at security level 0 (on purpose: the reference measures clients, including
// old ones), ALPN http/1.1 when offered, and a message callback that keeps the first
// ClientHello of each connection (see ClientHelloCapture). Errors name the bad PEM.
//
// OwnLibrary::Yes makes the context, key and certificates in a new OpenSSL library context:
// one per server thread, so that threads handshaking at once do not share OpenSSL's
// algorithm and property caches and their locks (sharing one, two threads spent about 8% more
// CPU per handshake: bench/reference_https.sh, docs/ARCHITECTURE.md).
enum class OwnLibrary { No, Yes };
tl::expected<ServerTls, Error> make_server_tls(const ServerIdentity& identity, OwnLibrary own_library = OwnLibrary::No);

// Per-connection storage the message callback fills; attach before the handshake, keep alive
// until it ends.
struct ClientHelloCapture {
  std::vector<std::uint8_t> bytes;  // the first ClientHello message (at most kMaxClientHelloBytes)
  bool truncated = false;
};
void attach_capture(SSL* ssl, ClientHelloCapture* capture);

// The negotiated parameters of a finished handshake, with the captured ClientHello.
TlsFacts tls_facts(SSL* ssl, const ServerTls& server, ClientHelloCapture& capture);

}  // namespace tlsdoctor::reference
