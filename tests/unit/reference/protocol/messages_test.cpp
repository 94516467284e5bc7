// Tests for reference/protocol/messages.cpp: every message round-trips, and bad fields are named by path.
#include <catch2/catch.hpp>

#include <string>

#include "reference/protocol/canonical_json.h"
#include "reference/protocol/messages.h"
#include "reference/protocol/protocol_version.h"

using namespace tlsdoctor::reference;
using nlohmann::json;

namespace {

Envelope envelope(const std::string& kind) {
  return Envelope{std::string(kProtocolVersion), kind, "0123456789abcdef0123456789abcdef", 1795000000123};
}

EchoAnswer sample_echo() {
  EchoAnswer echo;
  echo.envelope = envelope("echo");
  echo.received.client_hello = {0x01, 0x00, 0x00, 0x02, 0x03, 0x03};
  echo.received.ja3 = "771,4865,0,29,0";
  echo.received.ja3_hash = "d41d8cd98f00b204e9800998ecf8427e";
  echo.received.ja4 = "t13d0101h2_aaaaaaaaaaaa_bbbbbbbbbbbb";
  echo.received.sni = "ref.lab.test";
  echo.received.alpn = {"http/1.1"};
  echo.received.method = "GET";
  echo.received.target = "/v1/echo?nonce=0123456789abcdef0123456789abcdef";
  echo.received.headers = {{"Host", "ref.lab.test"}, {"User-Agent", "tlsdoctor/0.1"}};
  echo.received.peer = {"203.0.113.7", 51234};
  echo.served.chain_sha256 = {"aa", "bb"};
  echo.served.spki_sha256 = "cc";
  echo.served.version = "TLSv1.3";
  echo.served.cipher = "TLS_AES_128_GCM_SHA256";
  echo.served.group = "x25519";
  return echo;
}

}  // namespace

TEST_CASE("an echo answer round-trips through canonical JSON", "[messages]") {
  const auto original = sample_echo();
  const auto bytes = canonical_json(to_json(original));
  REQUIRE(bytes);
  const auto back = echo_answer_from_json(json::parse(*bytes));
  REQUIRE(back);
  CHECK(back->envelope.nonce == original.envelope.nonce);
  CHECK(back->envelope.time_unix_ms == original.envelope.time_unix_ms);
  CHECK(back->received.client_hello == original.received.client_hello);
  CHECK(back->received.headers == original.received.headers);
  CHECK(back->received.sni == original.received.sni);
  CHECK(back->received.peer.port == 51234);
  CHECK(back->served.chain_sha256 == original.served.chain_sha256);
  CHECK(back->served.group == "x25519");
  CHECK(*canonical_json(to_json(*back)) == *bytes);
}

TEST_CASE("time, observe and error messages round-trip", "[messages]") {
  const TimeAnswer time{envelope("time"), 12};
  const auto time_back = time_answer_from_json(to_json(time));
  REQUIRE(time_back);
  CHECK(time_back->uncertainty_ms == 12);

  ObserveAnswer observe;
  observe.envelope = envelope("observe");
  observe.target = ObserveRequest{"www.example.test", 8443, "other.example.test"};
  observe.addresses = {"192.0.2.1", "2001:db8::1"};
  observe.dialed = "192.0.2.1";
  observe.probes = json::array({json{{"target", "www.example.test:8443"}, {"failure", nullptr}}});
  const auto observe_back = observe_answer_from_json(to_json(observe));
  REQUIRE(observe_back);
  CHECK(observe_back->target.port == 8443);
  CHECK(observe_back->target.sni == std::optional<std::string>("other.example.test"));
  CHECK(observe_back->probes.size() == 1);

  const ErrorAnswer error{envelope("error"), 429, "rate_limited", "slow down"};
  const auto error_back = error_answer_from_json(to_json(error));
  REQUIRE(error_back);
  CHECK(error_back->status == 429);
  CHECK(error_back->code == "rate_limited");
}

TEST_CASE("bad messages are refused with the field's path", "[messages]") {
  auto j = to_json(sample_echo());
  j["received"]["peer"]["port"] = 70000;
  auto bad_port = echo_answer_from_json(j);
  REQUIRE_FALSE(bad_port);
  CHECK_THAT(bad_port.error().message, Catch::Contains("received.peer.port"));

  j = to_json(sample_echo());
  j["received"]["headers"] = json::array({json::array({"Host"})});
  CHECK_THAT(echo_answer_from_json(j).error().message, Catch::Contains("received.headers"));

  j = to_json(sample_echo());
  j["received"]["client_hello_base64"] = "***";
  CHECK_THAT(echo_answer_from_json(j).error().message, Catch::Contains("client_hello_base64"));

  j = to_json(sample_echo());
  j.erase("served");
  CHECK_THAT(echo_answer_from_json(j).error().message, Catch::Contains("served: missing"));

  j = to_json(sample_echo());
  j["protocol"] = "tlsdoctor.ref/2";
  CHECK_THAT(echo_answer_from_json(j).error().message, Catch::Contains("tlsdoctor.ref/1"));

  // A time answer is not an echo answer, however well signed.
  CHECK_FALSE(echo_answer_from_json(to_json(TimeAnswer{envelope("time"), 1})));
  CHECK_FALSE(time_answer_from_json(json::array()));
}

TEST_CASE("observe requests: host and port required, port in range", "[messages]") {
  CHECK(observe_request_from_json(json{{"host", "a.test"}, {"port", 443}}));
  CHECK_FALSE(observe_request_from_json(json{{"host", "a.test"}}));
  CHECK_FALSE(observe_request_from_json(json{{"host", ""}, {"port", 443}}));
  CHECK_FALSE(observe_request_from_json(json{{"host", "a.test"}, {"port", 0}}));
  CHECK_FALSE(observe_request_from_json(json{{"host", "a.test"}, {"port", "443"}}));
  CHECK_FALSE(observe_request_from_json(json{{"host", 5}, {"port", 443}}));
  CHECK_FALSE(observe_request_from_json(json{{"host", "a.test"}, {"port", 443}, {"sni", 1}}));
}

TEST_CASE("nonces: what the server accepts, and what the checker makes", "[messages]") {
  const auto nonce = make_nonce();
  CHECK(nonce.size() == 32);
  CHECK(valid_nonce(nonce));
  CHECK(make_nonce() != nonce);
  CHECK(valid_nonce("abcdefghABCDEFGH_-01"));
  CHECK_FALSE(valid_nonce("short"));
  CHECK_FALSE(valid_nonce(std::string(kMaxNonceLength + 1, 'a')));
  CHECK_FALSE(valid_nonce("0123456789abcdef<script>"));
  CHECK_FALSE(valid_nonce("0123456789abcdef 012"));
}
