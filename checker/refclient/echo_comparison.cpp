// Chain and ClientHello comparison between this machine and the reference, fingerprinted the same way on both sides.
#include "refclient/echo_comparison.h"

#include <algorithm>
#include <cctype>

#include "pki/certificate.h"
#include "tls/client_hello.h"
#include "tls/fingerprint.h"

namespace tlsdoctor::refclient {

EchoComparison compare_echo(const ReferenceExchange& exchange, const reference::EchoAnswer& echo) {
  EchoComparison out;
  for (const auto& der : exchange.peer_chain) out.chain_seen_sha256.push_back(pki::sha256_hex(der));
  out.chain_served_sha256 = echo.served.chain_sha256;
  out.chain_matches = !out.chain_seen_sha256.empty() && out.chain_seen_sha256 == out.chain_served_sha256;
  if (!exchange.peer_chain.empty()) {
    if (auto leaf = pki::parse_certificate(exchange.peer_chain.front())) out.seen_leaf_issuer = leaf->issuer;
  }
  out.client_hello_matches = !exchange.client_hello_sent.empty() && exchange.client_hello_sent == echo.received.client_hello;
  if (auto sent = tls::parse_client_hello(exchange.client_hello_sent)) {
    out.ja3_sent = tls::ja3_string(*sent);
    out.ja4_sent = tls::ja4(*sent);
    out.sni_sent = sent->sni.value_or("");
  }
  out.ja3_received = echo.received.ja3;
  out.ja4_received = echo.received.ja4;
  out.sni_received = echo.received.sni.value_or("");
  for (const auto& [name, value] : echo.received.headers) {
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::find(kHeadersSent.begin(), kHeadersSent.end(), lower) == kHeadersSent.end()) out.headers_added.push_back(name);
  }
  return out;
}

}  // namespace tlsdoctor::refclient
