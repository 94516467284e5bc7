// The echo answer: the received ClientHello raw and fingerprinted, the request's headers, and what was served.
#include "reference/server/echo_answer.h"

#include <optional>
#include <string>

#include "core/utf8.h"
#include "tls/client_hello.h"
#include "tls/fingerprint.h"

namespace tlsdoctor::reference {
namespace {

// Text from the wire goes into JSON as valid UTF-8, byte for byte where it already is one: a
// middlebox that adds a Latin-1 header must be shown, not turn the answer into an error.
std::optional<std::string> wire_text(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return escape_invalid_utf8(*text);
}

}  // namespace

EchoAnswer make_echo_answer(Envelope envelope, const Request& request) {
  EchoAnswer echo;
  echo.envelope = std::move(envelope);
  auto& received = echo.received;
  received.client_hello = request.tls.client_hello;
  received.sni = wire_text(request.tls.sni);
  if (auto hello = tls::parse_client_hello(request.tls.client_hello)) {
    received.ja3 = tls::ja3_string(*hello);
    received.ja3_hash = tls::ja3_hash(*hello);
    received.ja4 = tls::ja4(*hello);
    for (const auto& protocol : hello->alpn) received.alpn.push_back(escape_invalid_utf8(protocol));
    if (!received.sni) received.sni = wire_text(hello->sni);
  }
  received.method = escape_invalid_utf8(request.method);
  received.target = escape_invalid_utf8(request.target);
  for (const auto& [name, value] : request.headers) {
    received.headers.emplace_back(escape_invalid_utf8(name), escape_invalid_utf8(value));
  }
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
