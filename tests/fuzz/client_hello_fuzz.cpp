// Fuzz target: ClientHello and ServerHello parsing (records and bare messages) and the JA3/JA4 fingerprints.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_input.h"
#include "tls/client_hello.h"
#include "tls/fingerprint.h"

namespace {

using tlsdoctor::fuzz::require;

void fingerprint(const tlsdoctor::tls::ClientHello& hello) {
  (void)tlsdoctor::tls::ja3_string(hello);
  require(tlsdoctor::tls::ja3_hash(hello).size() == 32, "a JA3 hash is 32 hex digits");
  // JA4_a is 10 characters, then "_", 12 hex digits, "_", 12 hex digits.
  require(tlsdoctor::tls::ja4(hello).size() == 36, "a JA4 fingerprint is 36 characters");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  // TLS records as they come off the wire (what the lab's hello capture reads)...
  if (auto hello = tlsdoctor::tls::parse_client_hello_records(bytes)) fingerprint(*hello);
  if (auto message = tlsdoctor::tls::client_hello_from_records(bytes)) {
    require(!message->empty(), "a reassembled ClientHello holds its header");
  }
  // ...and bare handshake messages (what OpenSSL's message callback hands over).
  if (auto hello = tlsdoctor::tls::parse_client_hello(bytes)) {
    require(hello->message_length <= size, "a ClientHello is no longer than its input");
    fingerprint(*hello);
  }
  (void)tlsdoctor::tls::parse_server_hello(bytes);
  return 0;
}
