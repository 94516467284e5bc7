// Tests for connecting to the first reachable address: refusal, fall-through, IPv6, the timeout share, errno classes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>

#include <catch2/catch.hpp>

#include "tls/dns.h"
#include "tls/tcp_connect.h"

namespace {

using namespace std::chrono_literals;
using tlsdoctor::Deadline;
using tlsdoctor::tls::Failure;
using tlsdoctor::tls::ResolvedAddress;
using tlsdoctor::tls::UniqueFd;

// A listening socket on a loopback address, port 0; `backlog` 0 with one connection queued
// makes the kernel drop further SYNs, which is a connect timeout without leaving the machine.
struct Listener {
  UniqueFd fd;
  std::uint16_t port = 0;
};

Listener listen_on(const char* address, int backlog) {
  const auto parsed = tlsdoctor::tls::literal_address(address, 0);
  REQUIRE(parsed);
  Listener listener;
  listener.fd = UniqueFd(::socket(parsed->storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(listener.fd);
  sockaddr_storage bound = parsed->storage;
  socklen_t length = parsed->length;
  if (::bind(listener.fd.get(), reinterpret_cast<sockaddr*>(&bound), length) != 0) {
    listener.fd = UniqueFd();
    return listener;
  }
  REQUIRE(::listen(listener.fd.get(), backlog) == 0);
  REQUIRE(::getsockname(listener.fd.get(), reinterpret_cast<sockaddr*>(&bound), &length) == 0);
  listener.port = ntohs(bound.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                                   : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  return listener;
}

// A port nothing listens on: bound once, then closed.
std::uint16_t closed_port() {
  auto listener = listen_on("127.0.0.1", 1);
  return listener.port;
}

ResolvedAddress address(const char* text, std::uint16_t port) {
  auto parsed = tlsdoctor::tls::literal_address(text, port);
  REQUIRE(parsed);
  return *parsed;
}

}  // namespace

TEST_CASE("tcp_connect: errno values map to failure classes", "[tcp_connect]") {
  using tlsdoctor::tls::classify_connect_errno;
  CHECK(classify_connect_errno(ECONNREFUSED) == Failure::TcpRefused);
  CHECK(classify_connect_errno(0) == Failure::TcpTimeout);
  CHECK(classify_connect_errno(ETIMEDOUT) == Failure::TcpTimeout);
  CHECK(classify_connect_errno(ENETUNREACH) == Failure::TcpUnreachable);
  CHECK(classify_connect_errno(EHOSTUNREACH) == Failure::TcpUnreachable);
  CHECK(classify_connect_errno(EADDRNOTAVAIL) == Failure::TcpUnreachable);
  CHECK(classify_connect_errno(ECONNRESET) == Failure::TcpReset);
  CHECK(classify_connect_errno(EPERM) == Failure::TcpError);
}

TEST_CASE("tcp_connect: a refused port fails fast as tcp_refused", "[tcp_connect]") {
  const std::vector<ResolvedAddress> addresses{address("127.0.0.1", closed_port())};
  const auto started = std::chrono::steady_clock::now();
  const auto result = tlsdoctor::tls::connect_first(addresses, Deadline::after(2s));
  CHECK(std::chrono::steady_clock::now() - started < 500ms);
  CHECK_FALSE(result.fd);
  CHECK(result.failure == Failure::TcpRefused);
  REQUIRE(result.attempts.size() == 1);
  CHECK(result.attempts[0].address == "127.0.0.1");
  CHECK(result.attempts[0].failure == Failure::TcpRefused);
  CHECK_FALSE(result.attempts[0].error.empty());
}

TEST_CASE("tcp_connect: a refused address hands over to the next one", "[tcp_connect]") {
  auto listener = listen_on("127.0.0.1", 4);
  const std::vector<ResolvedAddress> addresses{address("127.0.0.1", closed_port()), address("127.0.0.1", listener.port)};
  const auto result = tlsdoctor::tls::connect_first(addresses, Deadline::after(2s));
  CHECK(result.fd);
  CHECK(result.failure == Failure::None);
  REQUIRE(result.used);
  CHECK(*result.used == 1);
  REQUIRE(result.attempts.size() == 2);
  CHECK(result.attempts[0].failure == Failure::TcpRefused);
  CHECK(result.attempts[1].failure == Failure::None);
}

TEST_CASE("tcp_connect: IPv6 loopback", "[tcp_connect]") {
  auto listener = listen_on("::1", 4);
  if (!listener.fd) {
    WARN("skipped: ::1 cannot be bound here");
    return;
  }
  const std::vector<ResolvedAddress> addresses{address("::1", listener.port)};
  const auto result = tlsdoctor::tls::connect_first(addresses, Deadline::after(2s));
  CHECK(result.fd);
  CHECK(result.attempts.at(0).address == "::1");
}

TEST_CASE("tcp_connect: a black hole times out within its share, and the next address gets the rest",
          "[tcp_connect]") {
  auto full = listen_on("127.0.0.1", 0);
  // Fill the accept queue (never accepted), so the kernel drops our SYNs.
  const auto filler = tlsdoctor::tls::connect_tcp(address("127.0.0.1", full.port).storage, sizeof(sockaddr_in),
                                                  Deadline::after(1s));
  REQUIRE(filler);
  auto good = listen_on("127.0.0.1", 4);
  const std::vector<ResolvedAddress> addresses{address("127.0.0.1", full.port), address("127.0.0.1", good.port)};
  const auto started = std::chrono::steady_clock::now();
  const auto result = tlsdoctor::tls::connect_first(addresses, Deadline::after(600ms));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  REQUIRE(result.attempts.size() == 2);
  CHECK(result.attempts[0].failure == Failure::TcpTimeout);
  // Half of the budget for the first of two addresses, not all of it.
  CHECK(result.attempts[0].elapsed >= 250ms);
  CHECK(result.attempts[0].elapsed < 500ms);
  CHECK(result.fd);
  CHECK(elapsed < 600ms);

  const std::vector<ResolvedAddress> only_hole{address("127.0.0.1", full.port)};
  const auto timed_out = tlsdoctor::tls::connect_first(only_hole, Deadline::after(200ms));
  CHECK(timed_out.failure == Failure::TcpTimeout);
  CHECK_FALSE(timed_out.fd);
}
