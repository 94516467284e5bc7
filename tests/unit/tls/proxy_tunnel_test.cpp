// The CONNECT route against a real squid (checker/tls/proxy_tunnel.cpp through run_probe): open, Basic auth, deny rule, down.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <thread>

#include "lab/scenario_server.h"
#include "lab/squid_proxy.h"
#include "lab/subprocess.h"
#include "tls/handshake_io.h"
#include "tls/probe.h"

using namespace tlsdoctor;
using namespace std::chrono_literals;

namespace {

// One squid per mode for the whole binary: starting one takes about a second.
lab::SquidProxy* squid(lab::SquidMode mode, std::uint16_t denied_port = 0) {
  static std::map<lab::SquidMode, std::unique_ptr<lab::SquidProxy>> running;
  auto& slot = running[mode];
  if (!slot) {
    auto started = lab::SquidProxy::start(lab::SquidOptions{mode, denied_port});
    if (!started) {
      if (lab::lab_required()) FAIL("squid is needed and TLSDOCTOR_REQUIRE_LAB=1: " << started.error());
      WARN("skipped: squid could not start: " << started.error());
      return nullptr;
    }
    slot = std::move(*started);
  }
  return slot.get();
}

const lab::ScenarioServer& good_server() {
  static const auto server = [] {
    auto started = lab::ScenarioServer::start(lab::ScenarioOptions{});
    REQUIRE(started);
    return std::move(*started);
  }();
  return *server;
}

tls::ProbeSpec through(const std::string& proxy_url, std::uint16_t port) {
  tls::ProbeSpec spec;
  spec.host = "127.0.0.1";
  spec.port = port;
  spec.sni_mode = tls::SniMode::Name;
  spec.sni_name = lab::kLabHostName;
  spec.trust = tls::TrustSpec::from_anchors({lab::lab_pki().root_der()});
  spec.route = tls::RouteSpec::http_proxy(proxy_url);
  spec.proxy_timeout = 5s;
  spec.handshake_timeout = 5s;
  return spec;
}

// A "proxy" that accepts and then either closes at once or never says anything.
class FakeProxy {
 public:
  explicit FakeProxy(bool close_at_once) : close_(close_at_once) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      if (!close_) {
        while (!stop_) std::this_thread::sleep_for(10ms);
      }
      ::close(c);
    });
  }
  ~FakeProxy() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  bool close_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("squid, open: the handshake runs through the tunnel and verifies", "[proxy_tunnel]") {
  auto* proxy = squid(lab::SquidMode::Open);
  if (proxy == nullptr) return;
  const auto h = tls::run_probe(through(proxy->url(), good_server().port()), Deadline::after(20s));
  INFO(proxy->logs() << "detail: " << h.detail);
  CHECK(h.failure == tls::Failure::None);
  REQUIRE(h.proxy);
  CHECK(h.proxy->connect_status == 200);
  CHECK(h.dns.source == tls::DnsObservation::Source::Proxy);
  CHECK(h.peer_chain.size() == 2);
}

TEST_CASE("squid, Basic auth: right, missing and wrong credentials", "[proxy_tunnel]") {
  auto* proxy = squid(lab::SquidMode::BasicAuth);
  if (proxy == nullptr) return;
  const auto port = good_server().port();
  const auto ok = tls::run_probe(through(proxy->url_with(lab::kSquidUser, lab::kSquidPassword), port), Deadline::after(20s));
  INFO(proxy->logs() << "detail: " << ok.detail);
  CHECK(ok.failure == tls::Failure::None);

  const auto none = tls::run_probe(through(proxy->url(), port), Deadline::after(20s));
  CHECK(none.failure == tls::Failure::ProxyAuthRequired);
  CHECK(none.stage == tls::ProbeStage::Proxy);
  REQUIRE(none.proxy);
  CHECK(none.proxy->connect_status == 407);
  CHECK_THAT(none.proxy->auth_offered, Catch::Contains("Basic"));

  const auto wrong = tls::run_probe(through(proxy->url_with(lab::kSquidUser, "not-the-password"), port), Deadline::after(20s));
  CHECK(wrong.failure == tls::Failure::ProxyAuthRequired);
  CHECK_THAT(wrong.detail, Catch::Contains("rejected"));
  REQUIRE(wrong.proxy);
  CHECK(wrong.proxy->proxy.find("not-the-password") == std::string::npos);
}

TEST_CASE("squid, a CONNECT deny rule: proxy_refused with the 403", "[proxy_tunnel]") {
  const auto port = good_server().port();
  auto* proxy = squid(lab::SquidMode::DenyConnectToPort, port);
  if (proxy == nullptr) return;
  const auto h = tls::run_probe(through(proxy->url(), port), Deadline::after(20s));
  INFO(proxy->logs() << "detail: " << h.detail);
  CHECK(h.failure == tls::Failure::ProxyRefused);
  REQUIRE(h.proxy);
  CHECK(h.proxy->connect_status == 403);
  CHECK_THAT(h.detail, Catch::Contains("403"));
}

TEST_CASE("proxy down, closing at once, or silent: unreachable, closed, timeout within bounds", "[proxy_tunnel]") {
  const auto port = good_server().port();
  const auto down = tls::run_probe(through("http://127.0.0.1:" + std::to_string(lab::unused_loopback_port()), port),
                                   Deadline::after(20s));
  CHECK(down.failure == tls::Failure::ProxyUnreachable);

  FakeProxy closing(true);
  const auto closed = tls::run_probe(through(closing.url(), port), Deadline::after(20s));
  CHECK(closed.failure == tls::Failure::ProxyClosed);

  FakeProxy silent(false);
  auto spec = through(silent.url(), port);
  spec.proxy_timeout = 1s;
  const auto started = std::chrono::steady_clock::now();
  const auto timed_out = tls::run_probe(spec, Deadline::after(20s));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(timed_out.failure == tls::Failure::ProxyTimeout);
  CHECK(elapsed < 3s);
}
