// This machine's side of an echo against the reference's: the same chain, the same ClientHello, or not.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "reference/protocol/messages.h"
#include "refclient/reference_client.h"

namespace tlsdoctor::refclient {

struct EchoComparison {
  bool chain_matches = false;         // the certificates received are the ones the reference sent
  bool client_hello_matches = false;  // the reference received the exact bytes sent
  std::vector<std::string> chain_seen_sha256;
  std::vector<std::string> chain_served_sha256;
  std::string seen_leaf_issuer;  // the issuer of the leaf this machine received (names an interceptor)
  std::string ja3_sent, ja3_received;
  std::string ja4_sent, ja4_received;
  std::string sni_sent;           // what the hello this machine wrote carried
  std::string sni_received;       // what reached the reference
  // Request header names the reference received that this client never sends (Via,
  // X-Forwarded-For, a product's own): added by something that read the request in clear.
  std::vector<std::string> headers_added;
};

// The headers the checker's libcurl requests carry; any other one arrived from the path.
inline constexpr std::array<std::string_view, 5> kHeadersSent{"host", "user-agent", "accept", "content-type",
                                                              "content-length"};

// Compares what `exchange` recorded with what `echo` (a verified answer to it) says.
EchoComparison compare_echo(const ReferenceExchange& exchange, const reference::EchoAnswer& echo);

}  // namespace tlsdoctor::refclient
