// The OpenSSL client (SSL_CTX + SSL) one probe handshakes with, built from its ProbeSpec.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
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

// SSL_CTXs shared by the probes of one batch that configure them alike (versions, ciphers,
// groups, security level). Under OpenSSL 3.0 each new SSL_CTX fetches every cipher, digest and
// group from the provider under a process-wide lock (~0.25 ms each, and concurrent probes queue
// for it); SSLs made from one SSL_CTX are independent (a client SSL_CTX keeps no session cache,
// so nothing carries over from one probe to the next). A padded ClientHello keeps an SSL_CTX
// of its own: its padding is sized for its probe. Safe to use from several threads.
class ClientContextCache {
 public:
  // The shared SSL_CTX for `hello`, built on first use; past kMaxCachedClientContexts distinct
  // settings a new one is built each time without being kept.
  tl::expected<SslCtxPtr, std::string> get(const ClientHelloSpec& hello);

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, SslCtxPtr>> contexts_;
};

// A batch of probes uses a handful of distinct settings (the variants); this bounds the cache.
inline constexpr std::size_t kMaxCachedClientContexts = 32;

// A client under the system OpenSSL configuration (as every program on this machine gets it)
// with the spec's versions, ciphers, groups, ALPN, SNI, OCSP request, security level and
// padding. It verifies nothing (SSL_VERIFY_NONE): the chain is always recorded and verified
// afterwards against the spec's anchors. Errors name the setting OpenSSL refused.
// With a `cache`, an unpadded client's SSL_CTX comes from it.
tl::expected<ClientContext, std::string> make_client_context(const ProbeSpec& spec,
                                                             ClientContextCache* cache = nullptr);

// ALPN's wire form: each protocol prefixed by its length; an error for an empty or >255-byte name.
tl::expected<std::string, std::string> alpn_wire_format(const std::vector<std::string>& protocols);

}  // namespace tlsdoctor::tls
