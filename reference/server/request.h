// One HTTP request to the reference as the router sees it (with what TLS showed), and its response.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reference/protocol/messages.h"

namespace tlsdoctor::reference {

// What the TLS layer saw of this connection.
struct TlsFacts {
  std::vector<std::uint8_t> client_hello;  // the raw ClientHello handshake message, as received
  std::optional<std::string> sni;
  std::string version;                    // "TLSv1.3"
  std::string cipher;                     // IANA name
  std::string group;                      // "" when the key exchange had none
  std::string alpn;                       // selected protocol, "" when none
  std::vector<std::string> chain_sha256;  // what the server sent, leaf first
  std::string spki_sha256;
};

struct Request {
  std::string method;
  std::string target;                                        // "/v1/echo?nonce=..."
  std::vector<std::pair<std::string, std::string>> headers;  // in order, names as sent
  std::string body;
  PeerAddress peer;  // the client (from PROXY v2 when behind HAProxy)
  TlsFacts tls;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (signature, Retry-After)
  std::string error_code;  // the error answer's code ("rate_limited"), "" for success: for metrics and logs
};

}  // namespace tlsdoctor::reference
