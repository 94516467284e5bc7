// Tests for the probe engine's own mechanics: observations of a good handshake, routes to the socket, deadlines, concurrency.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>

#include <catch2/catch.hpp>

#include "lab/scenario_server.h"
#include "tls/dns.h"
#include "tls/handshake_io.h"
#include "tls/large_hello.h"
#include "tls/loopback_server.h"
#include "tls/probe.h"
#include "tls/probe_variants.h"

namespace {

using namespace std::chrono_literals;
using tlsdoctor::Deadline;
using tlsdoctor::lab::Behaviour;
using tlsdoctor::lab::ScenarioOptions;
using tlsdoctor::lab::ScenarioServer;
using tlsdoctor::tls::Failure;
using tlsdoctor::tls::Handshake;
using tlsdoctor::tls::ProbeSpec;
using tlsdoctor::tls::ProbeStage;
using tlsdoctor::tls::TlsVersion;
using tlsdoctor::tls::TrustSpec;
using Clock = std::chrono::steady_clock;

// Generous for one loopback handshake on a loaded 2-core CI box under ASan.
constexpr auto kTestRunBudget = 20s;
// Short stage timeouts for the tests that wait for one to pass; long enough not to flake.
constexpr auto kShortTimeout = 300ms;
// What a stage may overrun its deadline by (poll wake-up, cleanup) on a loaded machine.
constexpr auto kOverrunSlack = 700ms;

std::unique_ptr<ScenarioServer> start_server(ScenarioOptions options = {}) {
  auto server = ScenarioServer::start(options);
  REQUIRE(server);
  return std::move(*server);
}

// A spec for the lab server: the lab name for SNI and verification, the server's address given
// (no DNS), the lab root as the only anchor.
ProbeSpec lab_spec(const ScenarioServer& server) {
  ProbeSpec spec;
  spec.host = tlsdoctor::lab::kLabHostName;
  spec.port = server.port();
  spec.addresses = {server.address()};
  spec.trust = TrustSpec::from_anchors({tlsdoctor::lab::lab_pki().root_der()});
  return spec;
}

// A socket that listens and never accepts: TCP completes (the kernel queues the connection),
// TLS never gets an answer.
struct SilentListener {
  tlsdoctor::tls::UniqueFd fd;
  std::uint16_t port = 0;
};
SilentListener silent_listener() {
  SilentListener listener;
  listener.fd = tlsdoctor::tls::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(listener.fd);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  REQUIRE(::bind(listener.fd.get(), reinterpret_cast<sockaddr*>(&address), length) == 0);
  REQUIRE(::listen(listener.fd.get(), 4) == 0);
  REQUIRE(::getsockname(listener.fd.get(), reinterpret_cast<sockaddr*>(&address), &length) == 0);
  listener.port = ntohs(address.sin_port);
  return listener;
}

std::uint16_t closed_port() { return silent_listener().port; }

bool has_extension(const tlsdoctor::tls::ClientHello& hello, std::uint16_t type) {
  return std::any_of(hello.extensions.begin(), hello.extensions.end(), [&](const auto& e) { return e.type == type; });
}

}  // namespace

TEST_CASE("probe: a good handshake records every observation", "[probe]") {
  auto server = start_server();
  const auto handshake = tlsdoctor::tls::run_probe(lab_spec(*server), Deadline::after(kTestRunBudget));
  INFO(to_string(handshake.failure) << ": " << handshake.detail);
  REQUIRE(handshake.failure == Failure::None);
  CHECK(handshake.stage == ProbeStage::Done);
  CHECK(handshake.completed);

  CHECK(handshake.dns.source == tlsdoctor::tls::DnsObservation::Source::Given);
  CHECK(handshake.address == std::optional<std::string>("127.0.0.1"));
  REQUIRE(handshake.connects.size() == 1);
  CHECK(handshake.connects[0].failure == Failure::None);

  REQUIRE_FALSE(handshake.client_hello_raw.empty());
  CHECK(handshake.client_hello_raw[0] == 1);  // handshake type client_hello
  REQUIRE(handshake.client_hello);
  CHECK(handshake.client_hello->message_length == handshake.client_hello_raw.size());
  CHECK(handshake.client_hello->sni == std::optional<std::string>(tlsdoctor::lab::kLabHostName));
  CHECK_FALSE(handshake.client_hello->cipher_suites.empty());
  CHECK_FALSE(handshake.client_hello->key_shares.empty());
  CHECK(handshake.client_hello->status_request);
  CHECK(handshake.client_hellos_sent == 1);
  CHECK_FALSE(handshake.ja3.empty());
  CHECK(handshake.ja3_hash.size() == 32);
  CHECK_FALSE(handshake.ja4.empty());

  REQUIRE(handshake.server);
  CHECK(handshake.server->version == TlsVersion::Tls1_3);
  CHECK(handshake.server->cipher_id != 0);
  CHECK(handshake.server->cipher.rfind("TLS_", 0) == 0);
  CHECK_FALSE(handshake.server->group.empty());
  CHECK_FALSE(handshake.server->peer_signature.empty());
  CHECK_FALSE(handshake.server->hello_retry_request);
  CHECK_FALSE(handshake.server->extensions.empty());

  CHECK(handshake.peer_chain == server->served_chain());
  CHECK_FALSE(handshake.peer_chain_truncated);
  CHECK(handshake.verify.performed);
  CHECK(handshake.verify.ok);
  CHECK(handshake.verify.name == tlsdoctor::lab::kLabHostName);
  CHECK(handshake.verify.trust == "1 anchor");
  CHECK_FALSE(handshake.verify.verify_time.empty());
  CHECK(handshake.alerts.empty());

  CHECK(handshake.timings.total >= handshake.timings.handshake);
  CHECK(handshake.timings.total >= handshake.timings.connect);
  CHECK(handshake.timings.total < kTestRunBudget);
}

TEST_CASE("probe: with no anchor for it the chain is untrusted, and recorded all the same", "[probe]") {
  auto server = start_server();
  auto spec = lab_spec(*server);
  spec.trust = TrustSpec::from_anchors({});
  const auto handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(kTestRunBudget));
  CHECK(handshake.completed);
  CHECK(handshake.stage == ProbeStage::Verify);
  CHECK((handshake.failure == Failure::CertUntrustedRoot || handshake.failure == Failure::CertIncompleteChain));
  CHECK(handshake.verify.performed);
  CHECK_FALSE(handshake.verify.ok);
  CHECK_FALSE(handshake.verify.errors.empty());
  CHECK(handshake.peer_chain == server->served_chain());
}

TEST_CASE("probe: a self-signed server certificate is cert_self_signed", "[probe]") {
  const std::array versions{TlsVersion::Tls1_3};
  auto loopback = tlsdoctor::tls::LoopbackServer::start(versions, 5s);
  REQUIRE(loopback);
  ProbeSpec spec;
  spec.host = "127.0.0.1";
  spec.port = ntohs((*loopback)->address(TlsVersion::Tls1_3)->sin_port);
  spec.trust = TrustSpec::from_anchors({});
  const auto handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(kTestRunBudget));
  CHECK(handshake.completed);
  CHECK(handshake.failure == Failure::CertSelfSigned);
  CHECK(handshake.dns.source == tlsdoctor::tls::DnsObservation::Source::Literal);
  // An IP literal is never sent as SNI.
  REQUIRE(handshake.client_hello);
  CHECK_FALSE(handshake.client_hello->sni);
  REQUIRE(handshake.server);
  CHECK(handshake.server->peer_signature == "ecdsa_secp384r1_sha384");
}

TEST_CASE("probe: IPv6 to ::1", "[probe]") {
  ScenarioOptions options;
  options.bind_address = "::1";
  auto server = ScenarioServer::start(options);
  if (!server) {
    WARN("skipped: no ::1 here (" << server.error() << ")");
    return;
  }
  auto spec = lab_spec(**server);
  spec.addresses.clear();
  spec.host = "::1";
  spec.sni_mode = tlsdoctor::tls::SniMode::Name;
  spec.sni_name = tlsdoctor::lab::kLabHostName;
  const auto handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(kTestRunBudget));
  INFO(handshake.detail);
  CHECK(handshake.failure == Failure::None);
  CHECK(handshake.address == std::optional<std::string>("::1"));
  CHECK(handshake.dns.source == tlsdoctor::tls::DnsObservation::Source::Literal);
}

TEST_CASE("probe: localhost is resolved, every address recorded, and the one used named", "[probe]") {
  auto server = start_server();
  auto spec = lab_spec(*server);
  spec.addresses.clear();
  spec.host = "localhost";
  spec.sni_mode = tlsdoctor::tls::SniMode::Name;
  spec.sni_name = tlsdoctor::lab::kLabHostName;
  const auto handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(kTestRunBudget));
  INFO(handshake.detail);
  CHECK(handshake.failure == Failure::None);
  CHECK(handshake.dns.source == tlsdoctor::tls::DnsObservation::Source::Resolver);
  const auto& addresses = handshake.dns.addresses;
  REQUIRE(handshake.address);
  CHECK(std::find(addresses.begin(), addresses.end(), *handshake.address) != addresses.end());
  CHECK(*handshake.address == "127.0.0.1");
  // Addresses tried before the one that answered (::1 here, if the hosts file lists it) stay recorded.
  CHECK(handshake.connects.back().address == "127.0.0.1");
  CHECK(handshake.connects.size() <= addresses.size());
}

TEST_CASE("probe: a refused port is tcp_refused, fast", "[probe]") {
  ProbeSpec spec;
  spec.host = "127.0.0.1";
  spec.port = closed_port();
  const auto started = Clock::now();
  const auto handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(kTestRunBudget));
  CHECK(Clock::now() - started < 1s);
  CHECK(handshake.failure == Failure::TcpRefused);
  CHECK(handshake.stage == ProbeStage::Connect);
  CHECK(handshake.client_hello_raw.empty());
  CHECK_FALSE(handshake.completed);
  CHECK_FALSE(handshake.address);
}

TEST_CASE("probe: a listener that never answers is tls_timeout at the handshake deadline", "[probe]") {
  auto listener = silent_listener();
  ProbeSpec spec;
  spec.host = "127.0.0.1";
  spec.port = listener.port;
  spec.handshake_timeout = kShortTimeout;
  const auto started = Clock::now();
  const auto handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(kTestRunBudget));
  const auto elapsed = Clock::now() - started;
  CHECK(handshake.failure == Failure::TlsTimeout);
  CHECK(handshake.stage == ProbeStage::Handshake);
  CHECK(elapsed >= kShortTimeout);
  CHECK(elapsed < kShortTimeout + kOverrunSlack);
  // The ClientHello went out and is recorded even though nothing came back.
  CHECK_FALSE(handshake.client_hello_raw.empty());
  CHECK_FALSE(handshake.server);
}

TEST_CASE("probe: the overall deadline cuts a probe short", "[probe]") {
  auto listener = silent_listener();
  ProbeSpec spec;
  spec.host = "127.0.0.1";
  spec.port = listener.port;
  spec.handshake_timeout = 10s;
  const auto started = Clock::now();
  const auto handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(kShortTimeout));
  CHECK(handshake.failure == Failure::TlsTimeout);
  CHECK(Clock::now() - started < kShortTimeout + kOverrunSlack);

  // And a run whose deadline has already passed stops at the first stage.
  const auto late = tlsdoctor::tls::run_probe(spec, Deadline::after(0ms));
  CHECK(late.failure != Failure::None);
  CHECK_FALSE(late.completed);
}

TEST_CASE("probe: alerts from the server are recorded with their names", "[probe]") {
  const std::array versions{TlsVersion::Tls1_3};
  auto loopback = tlsdoctor::tls::LoopbackServer::start(versions, 5s);
  REQUIRE(loopback);
  ProbeSpec spec;
  spec.host = "127.0.0.1";
  spec.port = ntohs((*loopback)->address(TlsVersion::Tls1_3)->sin_port);
  spec.hello.max_version = TlsVersion::Tls1_2;  // the server speaks TLS 1.3 only
  const auto handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(kTestRunBudget));
  CHECK(handshake.failure == Failure::TlsProtocolVersion);
  CHECK(handshake.stage == ProbeStage::Handshake);
  const auto received = std::find_if(handshake.alerts.begin(), handshake.alerts.end(),
                                     [](const auto& alert) { return !alert.sent; });
  REQUIRE(received != handshake.alerts.end());
  CHECK(received->fatal);
  CHECK(received->description == 70);
  CHECK(received->name == "protocol_version");
}

TEST_CASE("probe: a HelloRetryRequest is seen and the second ClientHello counted", "[probe]") {
  const std::array versions{TlsVersion::Tls1_3};
  auto loopback = tlsdoctor::tls::LoopbackServer::start(versions, 5s);
  REQUIRE(loopback);
  ProbeSpec spec;
  spec.host = "127.0.0.1";
  spec.port = ntohs((*loopback)->address(TlsVersion::Tls1_3)->sin_port);
  spec.trust = TrustSpec::from_anchors({});
  // OpenSSL sends a key share for the first group only; the loopback server lacks ffdhe6144
  // and asks for X25519 instead.
  spec.hello.groups = "ffdhe6144:X25519";
  const auto handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(kTestRunBudget));
  INFO(handshake.detail);
  CHECK(handshake.completed);
  CHECK(handshake.client_hellos_sent == 2);
  REQUIRE(handshake.server);
  CHECK(handshake.server->hello_retry_request);
  CHECK(handshake.server->group == "x25519");
  REQUIRE(handshake.client_hello);
  CHECK(handshake.client_hello->key_shares.at(0).group == 0x0103);  // ffdhe6144, from the first hello
}

TEST_CASE("probe: a padded ClientHello is sent at its full size and still completes", "[probe]") {
  auto server = start_server();
  const auto spec = tlsdoctor::tls::large_hello(lab_spec(*server));
  const auto handshake = tlsdoctor::tls::run_probe(spec, Deadline::after(kTestRunBudget));
  INFO(handshake.detail);
  CHECK(handshake.failure == Failure::None);
  CHECK(handshake.client_hello_raw.size() >= tlsdoctor::tls::kLargeHelloBytes);
  REQUIRE(handshake.client_hello);
  CHECK(has_extension(*handshake.client_hello, tlsdoctor::tls::kPaddingExtensionType));
  REQUIRE(server->wait_for_connections(0, 5s));
  CHECK(server->connections().back().client_hello.size() >= tlsdoctor::tls::kLargeHelloBytes);
  WARN("padded ClientHello: " << handshake.client_hello_raw.size() << " bytes");
}

TEST_CASE("probe: no SNI and another name are what the ClientHello carries", "[probe]") {
  auto server = start_server();
  const auto none = tlsdoctor::tls::run_probe(tlsdoctor::tls::without_sni(lab_spec(*server)),
                                              Deadline::after(kTestRunBudget));
  REQUIRE(none.client_hello);
  CHECK_FALSE(none.client_hello->sni);
  CHECK(none.verify.name == tlsdoctor::lab::kLabHostName);  // still checked against the host

  const std::string other = "other.lab.tlsdoctor.test";
  const auto renamed = tlsdoctor::tls::run_probe(tlsdoctor::tls::with_sni(lab_spec(*server), other),
                                                 Deadline::after(kTestRunBudget));
  REQUIRE(renamed.client_hello);
  CHECK(renamed.client_hello->sni == std::optional<std::string>(other));
  CHECK(renamed.verify.name == other);
  REQUIRE(server->wait_for_connections(1, 5s));
  CHECK(server->connections().back().sni == other);
}

TEST_CASE("probe: run_probes keeps the order of the specs", "[probe]") {
  auto server = start_server();
  std::vector<ProbeSpec> specs;
  specs.push_back(lab_spec(*server));
  specs.back().label = "good";
  specs.push_back(lab_spec(*server));
  specs.back().port = closed_port();
  specs.back().label = "refused";
  specs.push_back(tlsdoctor::tls::without_sni(lab_spec(*server)));
  const auto results = tlsdoctor::tls::run_probes(specs, Deadline::after(kTestRunBudget));
  REQUIRE(results.size() == 3);
  CHECK(results[0].spec.label == "good");
  CHECK(results[0].failure == Failure::None);
  CHECK(results[1].spec.label == "refused");
  CHECK(results[1].failure == Failure::TcpRefused);
  CHECK(results[2].spec.label == "no-sni");
  CHECK(tlsdoctor::tls::run_probes({}, Deadline::after(1s)).empty());
}
