// The echo answer: the received ClientHello raw and fingerprinted, the request's headers, and what was served.
#include "reference/server/echo_answer.h"

#include "tls/client_hello.h"
#include "tls/fingerprint.h"

namespace tlsdoctor::reference {

EchoAnswer make_echo_answer(Envelope envelope, const Request& request) {
  EchoAnswer echo;
  echo.envelope = std::move(envelope);
  auto& received = echo.received;
  received.client_hello = request.tls.client_hello;
  received.sni = request.tls.sni;
  if (auto hello = tls::parse_client_hello(request.tls.client_hello)) {
    received.ja3 = tls::ja3_string(*hello);
    received.ja3_hash = tls::ja3_hash(*hello);
    received.ja4 = tls::ja4(*hello);
    received.alpn = hello->alpn;
    if (!received.sni) received.sni = hello->sni;
  }
  received.method = request.method;
  received.target = request.target;
  received.headers = request.headers;
  received.peer = request.peer;
  auto& served = echo.served;
  served.chain_sha256 = request.tls.chain_sha256;
  served.spki_sha256 = request.tls.spki_sha256;
  served.version = request.tls.version;
  served.cipher = request.tls.cipher;
  served.group = request.tls.group;
  served.alpn = request.tls.alpn;
  return echo;
}

}  // namespace tlsdoctor::reference
