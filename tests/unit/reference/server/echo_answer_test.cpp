// Tests for reference/server/echo_answer: wire text that is not UTF-8 is echoed escaped, and the answer stays signed.
#include <catch2/catch.hpp>

#include <string>

#include "reference/protocol/signing.h"
#include "reference/server/echo_answer.h"
#include "reference/server/router.h"

using namespace tlsdoctor::reference;

namespace {

Request latin1_request() {
  Request request;
  request.method = "GET";
  request.target = "/v1/echo?nonce=fuzzcorpus-echo-000002";
  request.headers = {{"Host", "127.0.0\xDC" "1:58955"}, {"X-Caf\xE9", "caf\xE9"}};
  request.peer = {"192.0.2.7", 40000};
  request.tls.version = "TLSv1.3";
  request.tls.sni = "lab\xFF.test";
  return request;
}

}  // namespace

TEST_CASE("echo answer: header names, values and SNI that are not UTF-8 are echoed with bytes in hex", "[echo_answer]") {
  const auto echo = make_echo_answer(Envelope{}, latin1_request());
  REQUIRE(echo.received.headers.size() == 2);
  CHECK(echo.received.headers[0].second == "127.0.0\\xDC1:58955");
  CHECK(echo.received.headers[1].first == "X-Caf\\xE9");
  CHECK(echo.received.headers[1].second == "caf\\xE9");
  CHECK(echo.received.sni == "lab\\xFF.test");
}

// Found by the reference_request fuzz target: a Latin-1 byte in the Host header made the echo
// unencodable as canonical JSON, and the router answered 500 unsigned. The input is in
// tests/fuzz/corpus/reference_request too.
TEST_CASE("echo answer: a request with Latin-1 headers still gets a signed 200", "[echo_answer]") {
  const auto key = SigningKey::generate();
  REQUIRE(key);
  const Router router(*key, {}, [] { return std::int64_t{50}; });
  const auto response = router.handle(latin1_request());
  CHECK(response.status == 200);
  CHECK(response.body.find(R"(X-Caf\\xE9)") != std::string::npos);
  bool signed_answer = false;
  for (const auto& [name, value] : response.headers) signed_answer = signed_answer || name == "Tlsdoctor-Signature";
  CHECK(signed_answer);
}
