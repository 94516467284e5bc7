// Tests for checker/refclient: signed exchanges with an in-process reference, refused answers, and an intercepting proxy.
#include <catch2/catch.hpp>

#include <string>

#include "lab/background_process.h"
#include "lab/scenario_pki.h"
#include "lab/squid_proxy.h"
#include "lab/subprocess.h"
#include "lab/temp_tree.h"
#include "reference/protocol/messages.h"
#include "reference/server/reference_server.h"
#include "refclient/echo_comparison.h"
#include "refclient/reference_client.h"
#include "unit/refclient/lab_reference.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

namespace {

const reference::SigningKey& signing_key() { return test::lab_reference_key(); }

refclient::ReferenceTarget target(const reference::KeySet& keys) { return test::lab_reference_target(keys); }

std::uint16_t reference_port() { return test::lab_reference_port(); }

reference::KeySet pinned() { return reference::KeySet{{signing_key().public_key()}}; }

}  // namespace

TEST_CASE("a direct echo: signed, the same chain and the same ClientHello on both sides", "[refclient]") {
  const auto exchange = refclient::fetch(target(pinned()), "/v1/echo", "echo", Deadline::after(10s));
  INFO(exchange.error);
  REQUIRE(exchange.reachable);
  CHECK(exchange.http_status == 200);
  REQUIRE(exchange.answer);
  CHECK_FALSE(exchange.refused);
  // The lab root is not in this machine's store: the exchange still happened, and says so.
  CHECK_FALSE(exchange.locally_trusted);
  CHECK_FALSE(exchange.local_verify_error.empty());
  REQUIRE(exchange.peer_chain.size() == 2);
  const auto echo = reference::echo_answer_from_json(exchange.answer->value);
  REQUIRE(echo);
  const auto comparison = refclient::compare_echo(exchange, *echo);
  CHECK(comparison.chain_matches);
  CHECK(comparison.client_hello_matches);
  CHECK(comparison.ja3_sent == comparison.ja3_received);
  CHECK(comparison.sni_sent == lab::kLabHostName);
  CHECK(comparison.headers_added.empty());  // libcurl's own headers only
  CHECK(exchange.sent_unix_ms <= echo->envelope.time_unix_ms + 1000);
}

TEST_CASE("an answer signed by a key that is not pinned is refused, unread", "[refclient]") {
  const auto other = reference::SigningKey::generate().value();
  const auto exchange =
      refclient::fetch(target(reference::KeySet{{other.public_key()}}), "/v1/time", "time", Deadline::after(10s));
  REQUIRE(exchange.reachable);
  CHECK_FALSE(exchange.answer);
  REQUIRE(exchange.refused);
  CHECK(exchange.refused->problem == reference::AnswerProblem::BadSignature);
}

TEST_CASE("a reference that does not answer is unreachable within the deadline", "[refclient]") {
  auto t = target(pinned());
  const auto port = lab::unused_loopback_port();
  t.url = "https://" + std::string(lab::kLabHostName) + ":" + std::to_string(port);
  t.resolve = {std::string(lab::kLabHostName) + ":" + std::to_string(port) + ":127.0.0.1"};
  const auto started = std::chrono::steady_clock::now();
  const auto exchange = refclient::fetch(t, "/v1/time", "time", Deadline::after(5s));
  CHECK_FALSE(exchange.reachable);
  CHECK_FALSE(exchange.error.empty());
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  const auto late = refclient::fetch(target(pinned()), "/v1/time", "time", Deadline::after(0ms));
  CHECK_FALSE(late.reachable);
}

TEST_CASE("an error answer is signed and read as one", "[refclient]") {
  const auto exchange = refclient::fetch(target(pinned()), "/v1/nowhere", "echo", Deadline::after(10s));
  REQUIRE(exchange.reachable);
  CHECK(exchange.http_status == 404);
  REQUIRE(exchange.answer);
  CHECK(exchange.answer->envelope.kind == "error");
}

TEST_CASE("through a TLS-intercepting proxy (mitmdump): the chain and the ClientHello differ, the signature holds",
          "[refclient]") {
  const auto mitmdump = lab::find_on_path("mitmdump");
  if (!mitmdump) {
    if (lab::lab_required()) FAIL("mitmdump (Debian's mitmproxy) is required by TLSDOCTOR_REQUIRE_LAB");
    WARN("skipped: mitmdump is not installed");
    return;
  }
  auto conf = lab::TempTree::create("tlsdoctor-mitm-").value();
  const auto port = lab::unused_loopback_port();
  // mitmdump says it listens on stdout; the lab waits on stderr.
  auto proxy = lab::BackgroundProcess::start(
      {"sh", "-c", "exec \"$0\" \"$@\" 1>&2", *mitmdump, "--listen-host", "127.0.0.1", "-p", std::to_string(port),
       "--set", "confdir=" + conf.path().string(), "--ssl-insecure"},
      "listening at", 30s);
  REQUIRE(proxy);
  auto t = target(pinned());
  t.url = "https://127.0.0.1:" + std::to_string(reference_port());
  t.resolve.clear();
  t.proxy = "http://127.0.0.1:" + std::to_string(port);
  const auto exchange = refclient::fetch(t, "/v1/echo", "echo", Deadline::after(20s));
  INFO(exchange.error);
  REQUIRE(exchange.reachable);
  REQUIRE(exchange.answer);  // the interceptor relays the signed body untouched
  const auto echo = reference::echo_answer_from_json(exchange.answer->value);
  REQUIRE(echo);
  const auto comparison = refclient::compare_echo(exchange, *echo);
  CHECK_FALSE(comparison.chain_matches);
  CHECK_FALSE(comparison.client_hello_matches);
  CHECK_THAT(comparison.seen_leaf_issuer, Catch::Contains("mitmproxy"));
  CHECK(comparison.ja3_sent != comparison.ja3_received);
  CHECK_FALSE(exchange.locally_trusted);
}

TEST_CASE("echo comparison: request headers this client never sends arrived from the path", "[refclient]") {
  const auto exchange = refclient::fetch(target(pinned()), "/v1/echo", "echo", Deadline::after(10s));
  REQUIRE(exchange.answer);
  auto echo = reference::echo_answer_from_json(exchange.answer->value);
  REQUIRE(echo);
  echo->received.headers.emplace_back("Via", "1.1 proxy.corp.example");
  echo->received.headers.emplace_back("X-Forwarded-For", "10.1.2.3");
  echo->received.headers.emplace_back("ACCEPT", "*/*");  // one of ours, in any case
  const auto comparison = refclient::compare_echo(exchange, *echo);
  CHECK(comparison.headers_added == std::vector<std::string>{"Via", "X-Forwarded-For"});
}
