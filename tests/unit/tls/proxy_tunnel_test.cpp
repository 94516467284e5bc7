// Tests for checker/tls/proxy_tunnel.cpp against a real squid (open, Basic, Digest, NTLM, CONNECT deny rule) and scripted fake proxies.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>

#include <array>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

#include <curl/curl.h>

#include "fake_proxy.h"
#include "lab/scenario_server.h"
#include "lab/squid_proxy.h"
#include "lab/subprocess.h"
#include "tls/handshake_io.h"
#include "tls/loopback_server.h"
#include "tls/openssl_handles.h"
#include "tls/probe.h"
#include "tls/proxy_tunnel.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

namespace {

// Every step here is on loopback and takes milliseconds; this only keeps a broken case from hanging.
constexpr auto kStepBudget = 5s;
// How far past its own deadline a timed-out tunnel may return (slow CI, ASan).
constexpr auto kTimeoutSlack = 1500ms;

// The shared squid for `options`, or nullptr when the test must skip (squid not installed and
// TLSDOCTOR_REQUIRE_LAB unset). A squid that is installed but does not start fails the test.
lab::SquidProxy* squid(const lab::SquidOptions& options) {
  auto proxy = lab::shared_squid(options);
  if (proxy) return *proxy;
  if (proxy.error().find("not installed") != std::string::npos && !lab::lab_required()) {
    WARN("skipped: " << proxy.error());
    return nullptr;
  }
  FAIL("squid: " << proxy.error());
  return nullptr;
}

// A TLS 1.3 server on 127.0.0.1 with a self-signed certificate, shared by the tests.
const tls::LoopbackServer& tls_server() {
  static const auto server = [] {
    const std::array versions{tls::TlsVersion::Tls1_3};
    auto started = tls::LoopbackServer::start(versions, kStepBudget);
    REQUIRE(started);
    return std::move(*started);
  }();
  return *server;
}

std::uint16_t tls_port() { return ntohs(tls_server().address(tls::TlsVersion::Tls1_3)->sin_port); }

struct Opened {
  tl::expected<tls::ProxyTunnel, tls::TunnelFailure> tunnel;
  tls::ProxyObservation observation;
};

Opened open(const std::string& proxy_url, const std::string& host, std::uint16_t port,
            std::chrono::milliseconds budget = kStepBudget) {
  tls::ProxyObservation observation;
  auto tunnel = tls::open_proxy_tunnel(proxy_url, host, port, Deadline::after(budget), observation);
  return {std::move(tunnel), std::move(observation)};
}

std::string failure_text(const Opened& opened) {
  return opened.tunnel ? std::string("tunnel open")
                       : std::string(to_string(opened.tunnel.error().failure)) + ": " + opened.tunnel.error().detail;
}

// A plain OpenSSL client handshake over the tunnel's socket (no verification: the point is
// that TLS records pass through the proxy both ways).
bool handshake_over(int fd) {
  tls::SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  REQUIRE(ctx);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  tls::SslPtr ssl(SSL_new(ctx.get()));
  REQUIRE(ssl);
  REQUIRE(SSL_set_fd(ssl.get(), fd) == 1);
  const tls::ScopedSigpipeBlock no_sigpipe;
  return tls::run_handshake(ssl.get(), tls::HandshakeSide::Client, Deadline::after(kStepBudget)).ok;
}

tls::ProbeSpec through(const std::string& proxy_url, const lab::ScenarioServer& server) {
  tls::ProbeSpec spec;
  spec.host = "127.0.0.1";
  spec.port = server.port();
  spec.sni_mode = tls::SniMode::Name;
  spec.sni_name = lab::kLabHostName;
  spec.trust = tls::TrustSpec::from_anchors({lab::lab_pki().root_der()});
  spec.route = tls::RouteSpec::http_proxy(proxy_url);
  spec.proxy_timeout = kStepBudget;
  spec.handshake_timeout = kStepBudget;
  return spec;
}

// The tunnel opened through an authenticating squid with the right credentials, none, and a
// wrong password.
struct ThreeWays {
  Opened right, none, wrong;
};
ThreeWays open_three_ways(const lab::SquidProxy& proxy) {
  return {open(proxy.url_with(lab::kSquidUser, lab::kSquidPassword), "127.0.0.1", tls_port()),
          open(proxy.url(), "127.0.0.1", tls_port()),
          open(proxy.url_with(lab::kSquidUser, "not-the-password"), "127.0.0.1", tls_port())};
}

// Whether squid's logs show `text` within `budget` (its access log line is written when a
// connection ends, a moment after the client closed it).
bool log_shows(const lab::SquidProxy& proxy, const std::string& text, std::chrono::milliseconds budget) {
  const auto until = std::chrono::steady_clock::now() + budget;
  while (proxy.logs().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

}  // namespace

TEST_CASE("squid open: the tunnel carries a TLS handshake", "[proxy_tunnel]") {
  auto* proxy = squid({lab::SquidMode::Open});
  if (proxy == nullptr) return;
  const int before = tls_server().connections_done(tls::TlsVersion::Tls1_3);
  auto opened = open(proxy->url(), "127.0.0.1", tls_port());
  INFO(proxy->logs() << failure_text(opened));
  REQUIRE(opened.tunnel);
  CHECK(opened.observation.connect_status == 200);
  CHECK(opened.observation.proxy == proxy->url());
  CHECK(opened.observation.error.empty());
  CHECK((::fcntl(opened.tunnel->fd(), F_GETFL) & O_NONBLOCK) != 0);
  CHECK(handshake_over(opened.tunnel->fd()));
  CHECK(tls_server().wait_for_connection(tls::TlsVersion::Tls1_3, before, kStepBudget) == std::optional<std::string>(""));
}

TEST_CASE("squid open: NO_PROXY in the environment does not bypass the chosen proxy", "[proxy_tunnel]") {
  auto* proxy = squid({lab::SquidMode::Open});
  if (proxy == nullptr) return;
  const char* saved = std::getenv("NO_PROXY");
  const std::string saved_value = saved != nullptr ? saved : "";
  ::setenv("NO_PROXY", "*", 1);
  auto opened = open(proxy->url(), "127.0.0.1", tls_port());
  if (saved != nullptr) {
    ::setenv("NO_PROXY", saved_value.c_str(), 1);
  } else {
    ::unsetenv("NO_PROXY");
  }
  INFO(failure_text(opened));
  REQUIRE(opened.tunnel);
  CHECK(opened.observation.connect_status == 200);  // a direct connection would have no CONNECT status
  opened.tunnel = tl::unexpected(tls::TunnelFailure{});  // squid logs a CONNECT when the tunnel closes
  const std::string line = "CONNECT 127.0.0.1:" + std::to_string(tls_port());
  INFO(proxy->logs());
  CHECK(log_shows(*proxy, line, kStepBudget));
}

TEST_CASE("squid open: a destination nothing listens on is proxy_refused with squid's 503", "[proxy_tunnel]") {
  auto* proxy = squid({lab::SquidMode::Open});
  if (proxy == nullptr) return;
  auto opened = open(proxy->url(), "127.0.0.1", lab::unused_loopback_port());
  INFO(proxy->logs() << failure_text(opened));
  REQUIRE_FALSE(opened.tunnel);
  CHECK(opened.tunnel.error().failure == tls::Failure::ProxyRefused);
  CHECK(opened.observation.connect_status == 503);
  CHECK_THAT(opened.tunnel.error().detail, Catch::Contains("could not reach"));
}

TEST_CASE("squid Basic auth: right credentials open the tunnel, none or wrong ones are a 407", "[proxy_tunnel]") {
  auto* proxy = squid({lab::SquidMode::BasicAuth});
  if (proxy == nullptr) return;
  auto [right, none, wrong] = open_three_ways(*proxy);
  INFO(proxy->logs() << "right: " << failure_text(right));

  REQUIRE(right.tunnel);
  CHECK(right.observation.connect_status == 200);
  CHECK(right.observation.proxy == "http://***@127.0.0.1:" + std::to_string(proxy->port()));
  CHECK(handshake_over(right.tunnel->fd()));

  REQUIRE_FALSE(none.tunnel);
  CHECK(none.tunnel.error().failure == tls::Failure::ProxyAuthRequired);
  CHECK(none.observation.connect_status == 407);
  CHECK(none.observation.auth_offered == "Basic");
  CHECK_THAT(none.tunnel.error().detail, Catch::Contains("wants credentials"));

  REQUIRE_FALSE(wrong.tunnel);
  CHECK(wrong.tunnel.error().failure == tls::Failure::ProxyAuthRequired);
  CHECK(wrong.observation.connect_status == 407);
  CHECK_THAT(wrong.tunnel.error().detail, Catch::Contains("rejected"));
  CHECK(wrong.observation.proxy.find("not-the-password") == std::string::npos);
  CHECK(wrong.observation.error.find("not-the-password") == std::string::npos);
}

TEST_CASE("squid Digest auth: libcurl answers the challenge, a wrong password is a 407", "[proxy_tunnel]") {
  auto* proxy = squid({lab::SquidMode::DigestAuth});
  if (proxy == nullptr) return;
  auto [right, none, wrong] = open_three_ways(*proxy);
  INFO(proxy->logs() << "right: " << failure_text(right));

  REQUIRE(right.tunnel);
  CHECK(right.observation.connect_status == 200);
  CHECK(handshake_over(right.tunnel->fd()));

  REQUIRE_FALSE(none.tunnel);
  CHECK(none.tunnel.error().failure == tls::Failure::ProxyAuthRequired);
  CHECK(none.observation.auth_offered == "Digest");

  REQUIRE_FALSE(wrong.tunnel);
  CHECK(wrong.tunnel.error().failure == tls::Failure::ProxyAuthRequired);
  CHECK(wrong.observation.connect_status == 407);
  CHECK_THAT(wrong.tunnel.error().detail, Catch::Contains("rejected"));
}

TEST_CASE("squid NTLM auth: libcurl completes the NTLM exchange on the CONNECT connection", "[proxy_tunnel]") {
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  if (curl == nullptr || (curl->features & CURL_VERSION_NTLM) == 0) {
    WARN("skipped: this libcurl was built without NTLM");
    return;
  }
  auto* proxy = squid({lab::SquidMode::NtlmAuth});
  if (proxy == nullptr) return;
  // squid's fake NTLM helper takes any credentials: what is tested is libcurl's side.
  auto with = open(proxy->url_with(lab::kSquidUser, lab::kSquidPassword), "127.0.0.1", tls_port());
  auto none = open(proxy->url(), "127.0.0.1", tls_port());
  INFO(proxy->logs() << "with credentials: " << failure_text(with));

  REQUIRE(with.tunnel);
  CHECK(with.observation.connect_status == 200);
  CHECK(handshake_over(with.tunnel->fd()));

  REQUIRE_FALSE(none.tunnel);
  CHECK(none.tunnel.error().failure == tls::Failure::ProxyAuthRequired);
  CHECK(none.observation.auth_offered == "NTLM");
}

TEST_CASE("squid deny rule: CONNECT to the denied port is proxy_refused 403, other ports pass", "[proxy_tunnel]") {
  const std::uint16_t denied = lab::unused_loopback_port();
  auto* proxy = squid({lab::SquidMode::DenyConnectToPort, denied});
  if (proxy == nullptr) return;
  auto refused = open(proxy->url(), "127.0.0.1", denied);
  auto allowed = open(proxy->url(), "127.0.0.1", tls_port());
  INFO(proxy->logs() << "allowed: " << failure_text(allowed));
  REQUIRE_FALSE(refused.tunnel);
  CHECK(refused.tunnel.error().failure == tls::Failure::ProxyRefused);
  CHECK(refused.observation.connect_status == 403);
  CHECK_THAT(refused.tunnel.error().detail, Catch::Contains("403"));
  CHECK(allowed.tunnel);
}

TEST_CASE("proxy down: proxy_unreachable, fast", "[proxy_tunnel]") {
  const auto started = std::chrono::steady_clock::now();
  auto opened = open("http://127.0.0.1:" + std::to_string(lab::unused_loopback_port()), "127.0.0.1", 443);
  REQUIRE_FALSE(opened.tunnel);
  CHECK(opened.tunnel.error().failure == tls::Failure::ProxyUnreachable);
  CHECK(opened.observation.connect_status == 0);
  CHECK_FALSE(opened.observation.error.empty());
  CHECK(std::chrono::steady_clock::now() - started < 1s);
}

TEST_CASE("a proxy that hangs up or answers garbage is proxy_closed", "[proxy_tunnel]") {
  test::FakeProxy closing(test::FakeProxy::Behaviour::CloseAtOnce);
  auto closed = open(closing.url(), "127.0.0.1", 443);
  INFO(failure_text(closed));
  REQUIRE_FALSE(closed.tunnel);
  CHECK(closed.tunnel.error().failure == tls::Failure::ProxyClosed);

  test::FakeProxy garbling(test::FakeProxy::Behaviour::Answer, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
  auto garbled = open(garbling.url(), "127.0.0.1", 443);
  INFO(failure_text(garbled));
  REQUIRE_FALSE(garbled.tunnel);
  CHECK(garbled.tunnel.error().failure == tls::Failure::ProxyClosed);
}

TEST_CASE("a proxy that never answers is proxy_timeout within the deadline", "[proxy_tunnel]") {
  test::FakeProxy silent(test::FakeProxy::Behaviour::Silent);
  const auto budget = 500ms;
  const auto started = std::chrono::steady_clock::now();
  auto opened = open(silent.url(), "127.0.0.1", 443, budget);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(opened.tunnel);
  CHECK(opened.tunnel.error().failure == tls::Failure::ProxyTimeout);
  // libcurl's timers may fire a few milliseconds early; the point is that it waited, then gave up.
  CHECK(elapsed >= budget - 50ms);
  CHECK(elapsed < budget + kTimeoutSlack);
  CHECK(opened.observation.elapsed >= budget - 50ms);
}

TEST_CASE("the CONNECT line brackets an IPv6 target and a proxy's other statuses are kept", "[proxy_tunnel]") {
  test::FakeProxy proxy(test::FakeProxy::Behaviour::Answer,
                  "HTTP/1.1 502 Bad Gateway\r\nProxy-Authenticate: Negotiate, NTLM\r\nContent-Length: 0\r\n\r\n");
  auto opened = open(proxy.url(), "::1", 8443);
  REQUIRE_FALSE(opened.tunnel);
  CHECK_THAT(proxy.request(), Catch::StartsWith("CONNECT [::1]:8443 HTTP/1.1\r\n"));
  CHECK(opened.tunnel.error().failure == tls::Failure::ProxyRefused);
  CHECK(opened.observation.connect_status == 502);
  CHECK_THAT(opened.tunnel.error().detail, Catch::Contains("HTTP/1.1 502 Bad Gateway"));
}

TEST_CASE("a 407 names every scheme the proxy offers, several challenges to a header", "[proxy_tunnel]") {
  test::FakeProxy proxy(test::FakeProxy::Behaviour::Answer,
                  "HTTP/1.1 407 Proxy Authentication Required\r\n"
                  "Proxy-Authenticate: Negotiate, NTLM\r\n"
                  "Proxy-Authenticate: Digest realm=\"lab, inc\", nonce=\"abc\", qop=\"auth\"\r\n"
                  "Proxy-Authenticate: Basic realm=\"lab\"\r\n"
                  "Content-Length: 0\r\nConnection: close\r\n\r\n");
  auto opened = open(proxy.url(), "127.0.0.1", 443);
  REQUIRE_FALSE(opened.tunnel);
  CHECK(opened.tunnel.error().failure == tls::Failure::ProxyAuthRequired);
  CHECK(opened.observation.auth_offered == "Negotiate, NTLM, Digest, Basic");
}

TEST_CASE("a proxy offering Negotiate first still receives the given credentials by another scheme", "[proxy_tunnel]") {
  // Without a usable Kerberos ticket libcurl's Negotiate attempt sends nothing; the tunnel code
  // must then answer with the user's credentials by Basic.
  test::FakeProxy proxy(test::FakeProxy::Behaviour::Answer, [](const std::string& request) -> std::optional<std::string> {
    if (request.find("Proxy-Authorization: Basic YWxpY2U6czNjcmV0") != std::string::npos) {  // alice:s3cret
      return "HTTP/1.1 200 Connection established\r\n\r\n";
    }
    return "HTTP/1.1 407 Proxy Authentication Required\r\n"
           "Proxy-Authenticate: Negotiate\r\nProxy-Authenticate: Basic realm=\"lab\"\r\n"
           "Content-Length: 0\r\n\r\n";
  });
  {
    auto opened = open(proxy.url_with("alice:s3cret"), "127.0.0.1", 443);
    INFO(failure_text(opened));
    CHECK(opened.tunnel);
    CHECK(opened.observation.connect_status == 200);
  }  // closes the tunnel: the fake serves one connection at a time

  auto wrong = open(proxy.url_with("alice:wrong"), "127.0.0.1", 443);
  REQUIRE_FALSE(wrong.tunnel);
  CHECK(wrong.tunnel.error().failure == tls::Failure::ProxyAuthRequired);
  CHECK(wrong.observation.auth_offered == "Negotiate, Basic");
  CHECK_THAT(wrong.tunnel.error().detail, Catch::Contains("Negotiate (this machine's Kerberos ticket) failed"));
}

TEST_CASE("an unparsable proxy address is proxy_error without its credentials", "[proxy_tunnel]") {
  auto opened = open("http://alice:s3cret@127.0.0.1:99999", "127.0.0.1", 443);
  REQUIRE_FALSE(opened.tunnel);
  CHECK(opened.tunnel.error().failure == tls::Failure::ProxyError);
  CHECK_THAT(opened.tunnel.error().detail, Catch::Contains("port out of range"));
  CHECK(opened.tunnel.error().detail.find("s3cret") == std::string::npos);
  CHECK(opened.observation.proxy.find("s3cret") == std::string::npos);
}

TEST_CASE("no time left: proxy_timeout without connecting", "[proxy_tunnel]") {
  test::FakeProxy proxy(test::FakeProxy::Behaviour::Answer, "HTTP/1.1 200 Connection established\r\n\r\n");
  tls::ProxyObservation observation;
  const Deadline past(Deadline::Clock::now() - 1s);
  auto tunnel = tls::open_proxy_tunnel(proxy.url(), "127.0.0.1", 443, past, observation);
  REQUIRE_FALSE(tunnel);
  CHECK(tunnel.error().failure == tls::Failure::ProxyTimeout);
  CHECK(proxy.request().empty());
}

TEST_CASE("probe through squid: the lab chain verifies, missing credentials stop at the proxy stage", "[proxy_tunnel]") {
  auto* open_proxy = squid({lab::SquidMode::Open});
  auto* auth_proxy = squid({lab::SquidMode::BasicAuth});
  if (open_proxy == nullptr || auth_proxy == nullptr) return;
  auto server = lab::ScenarioServer::start(lab::ScenarioOptions{});
  REQUIRE(server);
  const auto ok = tls::run_probe(through(open_proxy->url(), **server), Deadline::after(4 * kStepBudget));
  INFO(open_proxy->logs() << "detail: " << ok.detail);
  CHECK(ok.failure == tls::Failure::None);
  CHECK(ok.dns.source == tls::DnsObservation::Source::Proxy);
  CHECK(ok.peer_chain == (*server)->served_chain());
  REQUIRE(ok.proxy);
  CHECK(ok.proxy->connect_status == 200);

  const auto denied = tls::run_probe(through(auth_proxy->url(), **server), Deadline::after(4 * kStepBudget));
  CHECK(denied.failure == tls::Failure::ProxyAuthRequired);
  CHECK(denied.stage == tls::ProbeStage::Proxy);
  CHECK_FALSE(denied.completed);
  REQUIRE(denied.proxy);
  CHECK(denied.proxy->auth_offered == "Basic");
}
