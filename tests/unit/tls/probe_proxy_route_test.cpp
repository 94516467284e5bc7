// Tests for the engine's proxy route: the handshake runs over libcurl's CONNECT tunnel, and proxy failures stop at the proxy stage.
#include <chrono>

#include <catch2/catch.hpp>

#include "lab/scenario_server.h"
#include "tls/probe.h"
#include "test_relay.h"

namespace {

using namespace std::chrono_literals;
using tlsdoctor::Deadline;
using tlsdoctor::tls::DnsObservation;
using tlsdoctor::tls::Failure;
using tlsdoctor::tls::ProbeSpec;
using tlsdoctor::tls::ProbeStage;
using tlsdoctor::tls::RouteSpec;

constexpr auto kTestRunBudget = 20s;

std::unique_ptr<tlsdoctor::lab::ScenarioServer> start_server() {
  auto server = tlsdoctor::lab::ScenarioServer::start({});
  REQUIRE(server);
  return std::move(*server);
}

// A spec whose TCP stream goes through the proxy at 127.0.0.1:`proxy_port`; the proxy, not
// the probe, would resolve the lab name (the test proxy connects to the lab server whatever
// the CONNECT line says).
ProbeSpec proxied_spec(std::uint16_t server_port, std::uint16_t proxy_port) {
  ProbeSpec spec;
  spec.host = tlsdoctor::lab::kLabHostName;
  spec.port = server_port;
  spec.trust = tlsdoctor::tls::TrustSpec::from_anchors({tlsdoctor::lab::lab_pki().root_der()});
  spec.route = RouteSpec::http_proxy("http://127.0.0.1:" + std::to_string(proxy_port));
  spec.proxy_timeout = 3s;
  return spec;
}

}  // namespace

TEST_CASE("probe proxy route: the handshake runs through the CONNECT tunnel", "[probe][proxy_route]") {
  auto server = start_server();
  tlsdoctor::test::RelayOptions options;
  options.http_connect = true;
  const tlsdoctor::test::TestRelay proxy(server->address(), server->port(), options);
  const auto handshake =
      tlsdoctor::tls::run_probe(proxied_spec(server->port(), proxy.port()), Deadline::after(kTestRunBudget));
  INFO(to_string(handshake.failure) << ": " << handshake.detail);
  CHECK(handshake.failure == Failure::None);
  CHECK(handshake.completed);
  CHECK(handshake.dns.source == DnsObservation::Source::Proxy);
  CHECK(handshake.dns.addresses.empty());
  CHECK(handshake.connects.empty());
  REQUIRE(handshake.proxy);
  CHECK(handshake.proxy->connect_status == 200);
  REQUIRE(handshake.client_hello);
  CHECK(handshake.client_hello->sni == std::optional<std::string>(tlsdoctor::lab::kLabHostName));
  CHECK(handshake.peer_chain == server->served_chain());
  CHECK(handshake.verify.ok);
}

TEST_CASE("probe proxy route: a refused CONNECT stops at the proxy stage", "[probe][proxy_route]") {
  auto server = start_server();
  tlsdoctor::test::RelayOptions options;
  options.http_connect = true;
  options.connect_answer = "HTTP/1.1 403 Forbidden";
  const tlsdoctor::test::TestRelay proxy(server->address(), server->port(), options);
  const auto handshake =
      tlsdoctor::tls::run_probe(proxied_spec(server->port(), proxy.port()), Deadline::after(kTestRunBudget));
  CHECK(handshake.failure == Failure::ProxyRefused);
  CHECK(handshake.stage == ProbeStage::Proxy);
  REQUIRE(handshake.proxy);
  CHECK(handshake.proxy->connect_status == 403);
  CHECK(handshake.client_hello_raw.empty());
  CHECK_FALSE(handshake.completed);
}

TEST_CASE("probe proxy route: a proxy that is down is proxy_unreachable, fast", "[probe][proxy_route]") {
  std::uint16_t closed = 0;
  {
    auto server = start_server();  // bound, then closed: nothing listens there any more
    closed = server->port();
  }
  const auto started = std::chrono::steady_clock::now();
  const auto handshake = tlsdoctor::tls::run_probe(proxied_spec(443, closed), Deadline::after(kTestRunBudget));
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(handshake.failure == Failure::ProxyUnreachable);
  CHECK(handshake.stage == ProbeStage::Proxy);
  CHECK_FALSE(handshake.detail.empty());
}
