// Fuzz target: the reference server's HTTP request reading (Beast, with the server's limits) and its router.
//
// Input: an HTTP request; whatever follows it is taken as the ClientHello the connection began
// with, so that the echo answer parses and fingerprints it (and its SNI and ALPN) too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <boost/asio/buffer.hpp>

#include "fuzz_input.h"
#include "reference/protocol/messages.h"
#include "reference/protocol/signing.h"
#include "reference/server/http_request.h"
#include "reference/server/router.h"

namespace reference = tlsdoctor::reference;

namespace {

const reference::SigningKey& signing_key() {
  static const auto key = [] {
    auto generated = reference::SigningKey::generate();
    if (!generated) std::abort();
    return std::move(*generated);
  }();
  return key;
}

// An observation refused the way target vetting refuses one: the router's parsing of the
// request is what is under test, not the probes behind it.
tl::expected<reference::ObserveAnswer, reference::ErrorAnswer> refuse(const reference::ObserveRequest&) {
  reference::ErrorAnswer refusal;
  refusal.status = 403;
  refusal.code = "forbidden_target";
  refusal.message = "not observed while fuzzing";
  return tl::unexpected(refusal);
}

const reference::Router& router() {
  static const reference::Router r(signing_key(), refuse, [] { return std::int64_t{50}; });
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reference::RequestParser parser;
  reference::apply_request_limits(parser);
  parser.eager(true);
  boost::system::error_code ec;
  std::size_t offset = 0;
  // Beast consumes what it can; the server feeds it again as more bytes arrive.
  while (!ec && !parser.is_done() && offset < size) {
    const auto used = parser.put(boost::asio::buffer(data + offset, size - offset), ec);
    if (ec == boost::beast::http::error::need_more) {
      ec = {};
      if (used == 0) break;
    }
    offset += used;
  }
  if (!ec && !parser.is_done() && parser.got_some()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;

  reference::TlsFacts facts;
  facts.client_hello.assign(data + offset, data + size);
  facts.version = "TLSv1.3";
  facts.cipher = "TLS_AES_128_GCM_SHA256";
  const auto response = router().handle(reference::to_request(parser.get(), {"192.0.2.7", 40000}, facts));
  tlsdoctor::fuzz::require(response.status != 500, "every request gets a signed answer, never an internal error");
  tlsdoctor::fuzz::require(response.status == 200 || !response.error_code.empty(), "a refusal names its code");
  return 0;
}
