// OpenSSL clients and servers talking through memory, for tests that need real hello messages without sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

namespace tlsdoctor::lab {

struct MemoryClientOptions {
  int min_version = 0;  // TLS1_2_VERSION, ...; 0: OpenSSL's default
  int max_version = 0;
  std::optional<std::string> sni;
  std::vector<std::string> alpn;  // offered in this order
  std::string groups;             // an OpenSSL groups list ("P-256:X448"); empty: the default
  std::string sigalgs;            // an OpenSSL sigalgs list; empty: the default
  std::string cipher_list;        // TLS 1.2 and below; empty: the default
  bool status_request = false;    // ask for an OCSP staple
};

struct MemoryHello {
  std::vector<std::uint8_t> records;  // what the client wrote: TLS records, headers included
  std::vector<std::uint8_t> message;  // the ClientHello as OpenSSL's message callback gave it
};

// The first flight of an OpenSSL client with these options (SSL_connect into a memory BIO).
tl::expected<MemoryHello, std::string> openssl_client_hello(const MemoryClientOptions& options);

struct MemoryServerOptions {
  int max_version = 0;
  std::string groups;                    // empty: the default
  std::vector<std::string> alpn_accept;  // the server picks the first of the client's it knows
};

// Runs a whole handshake between an OpenSSL client and server joined by a BIO pair and
// returns every ServerHello message the client received, in order (a HelloRetryRequest first).
tl::expected<std::vector<std::vector<std::uint8_t>>, std::string> openssl_server_hellos(
    const MemoryClientOptions& client, const MemoryServerOptions& server);

}  // namespace tlsdoctor::lab
