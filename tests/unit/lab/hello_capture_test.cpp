// Tests for the lab's hello catcher: whole hellos in any pieces, garbage, silence, early close, several clients.
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "core/deadline.h"
#include "lab/hello_capture.h"
#include "lab/memory_handshake.h"
#include "tls/handshake_io.h"

namespace {

using namespace std::chrono_literals;
using tlsdoctor::lab::HelloCapture;
using tlsdoctor::tls::UniqueFd;
using Bytes = std::vector<std::uint8_t>;

// Generous for a loaded 2-core CI machine under ASan; the tests finish far sooner.
constexpr auto kWait = 5s;

std::unique_ptr<HelloCapture> start(std::chrono::milliseconds per_connection = 3000ms) {
  auto capture = HelloCapture::start(per_connection);
  REQUIRE(capture);
  return std::move(*capture);
}

UniqueFd connect_to(const HelloCapture& capture) {
  auto fd = tlsdoctor::tls::connect_tcp(capture.address(), tlsdoctor::Deadline::after(kWait));
  REQUIRE(fd);
  return std::move(*fd);
}

void send_all(const UniqueFd& fd, const Bytes& bytes) {
  REQUIRE(::send(fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
}

std::uint16_t local_port(const UniqueFd& fd) {
  sockaddr_in local{};
  socklen_t length = sizeof(local);
  REQUIRE(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &length) == 0);
  return ntohs(local.sin_port);
}

// True when the peer hung up (EOF or reset) within `timeout`.
bool hung_up(const UniqueFd& fd, std::chrono::milliseconds timeout) {
  pollfd p{fd.get(), POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return false;
  char byte = 0;
  return ::recv(fd.get(), &byte, 1, 0) <= 0;
}

Bytes openssl_records() {
  tlsdoctor::lab::MemoryClientOptions options;
  options.sni = "lab.tlsdoctor.test";
  auto hello = tlsdoctor::lab::openssl_client_hello(options);
  REQUIRE(hello);
  return hello->records;
}

}  // namespace

TEST_CASE("the hello catcher keeps a whole ClientHello sent in pieces, then hangs up", "[hello_capture]") {
  auto capture = start();
  const Bytes records = openssl_records();
  auto client = connect_to(*capture);
  // Three pieces: inside the record header, inside the handshake header, the rest.
  send_all(client, Bytes(records.begin(), records.begin() + 3));
  std::this_thread::sleep_for(20ms);
  send_all(client, Bytes(records.begin() + 3, records.begin() + 7));
  std::this_thread::sleep_for(20ms);
  send_all(client, Bytes(records.begin() + 7, records.end()));
  const auto hellos = capture->wait_for(0, kWait);
  REQUIRE(hellos.size() == 1);
  CHECK(hellos[0].error.empty());
  CHECK(hellos[0].records == records);
  CHECK(hellos[0].message == Bytes(records.begin() + 5, records.end()));
  CHECK(hellos[0].client_port == local_port(client));
  CHECK(hung_up(client, kWait));
}

TEST_CASE("the hello catcher reports what is not a ClientHello", "[hello_capture]") {
  auto capture = start(300ms);
  SECTION("plain HTTP") {
    auto client = connect_to(*capture);
    const std::string get = "GET / HTTP/1.1\r\nHost: lab\r\n\r\n";
    send_all(client, Bytes(get.begin(), get.end()));
    const auto hellos = capture->wait_for(0, kWait);
    REQUIRE(hellos.size() == 1);
    CHECK(hellos[0].error == "record type 71 is not handshake (22) at offset 0");
    CHECK(hellos[0].message.empty());
    CHECK(hung_up(client, kWait));
  }
  SECTION("a client that says nothing is dropped at the deadline") {
    const auto started = std::chrono::steady_clock::now();
    auto client = connect_to(*capture);
    const auto hellos = capture->wait_for(0, kWait);
    REQUIRE(hellos.size() == 1);
    CHECK(hellos[0].error == "no whole ClientHello within the deadline");
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(hung_up(client, kWait));
  }
  SECTION("a client that closes halfway") {
    const Bytes records = openssl_records();
    {
      auto client = connect_to(*capture);
      send_all(client, Bytes(records.begin(), records.begin() + 40));
    }
    const auto hellos = capture->wait_for(0, kWait);
    REQUIRE(hellos.size() == 1);
    CHECK(hellos[0].error == "the client closed before a whole ClientHello");
    CHECK(hellos[0].records.size() == 40);
  }
}

TEST_CASE("the hello catcher serves several clients at once", "[hello_capture]") {
  auto capture = start();
  const Bytes records = openssl_records();
  std::vector<UniqueFd> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(connect_to(*capture));
  for (auto& client : clients) send_all(client, Bytes(records.begin(), records.begin() + 10));
  for (auto& client : clients) send_all(client, Bytes(records.begin() + 10, records.end()));
  auto hellos = capture->wait_for(4, kWait);
  REQUIRE(hellos.size() == 5);
  for (const auto& hello : hellos) {
    CHECK(hello.error.empty());
    CHECK(hello.records == records);
  }
}
