// Tests for the scenario server's hostile behaviours: what the server recorded, what a client got, and how long it took.
#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include <catch2/catch.hpp>

#include "core/deadline.h"
#include "lab/lab_client.h"
#include "lab/scenario_io.h"
#include "lab/scenario_server.h"
#include "tls/handshake_io.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using tlsdoctor::Deadline;
using tlsdoctor::lab::Behaviour;
using tlsdoctor::lab::kLabHostName;
using tlsdoctor::lab::lab_handshake;
using tlsdoctor::lab::LabClientOptions;
using tlsdoctor::lab::ScenarioOptions;
using tlsdoctor::lab::ScenarioServer;
using tlsdoctor::lab::ServedConnection;

constexpr auto kRecordWait = 3s;
// How long destroying a server may take while clients are stuck on it: it should be about zero
// (every wait in the server wakes on its stop signal); this leaves room for a loaded machine.
constexpr auto kDestroyBound = 1000ms;

std::unique_ptr<ScenarioServer> start(Behaviour behaviour, ScenarioOptions options = {}) {
  options.behaviour = behaviour;
  auto server = ScenarioServer::start(options);
  INFO(to_string(behaviour));
  REQUIRE(server.has_value());
  return std::move(*server);
}

ServedConnection only_record(const ScenarioServer& server) {
  REQUIRE(server.wait_for_connections(0, kRecordWait));
  const auto records = server.connections();
  REQUIRE(records.size() == 1);
  return records.front();
}

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// A TCP client that speaks bytes, for behaviours a TLS client cannot observe byte by byte.
class RawClient {
 public:
  explicit RawClient(const ScenarioServer& server) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server.port());
    ::inet_pton(AF_INET, server.address().c_str(), &address.sin_addr);
    auto fd = tlsdoctor::tls::connect_tcp(address, Deadline::after(2s));
    REQUIRE(fd.has_value());
    fd_ = std::move(*fd);
  }

  void send(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
      const ssize_t sent = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent < 0 && errno == EAGAIN) {
        pollfd pfd{fd_.get(), POLLOUT, 0};
        ::poll(&pfd, 1, 100);
        continue;
      }
      REQUIRE(sent > 0);
      bytes = bytes.subspan(static_cast<std::size_t>(sent));
    }
  }

  // Up to `count` bytes, each with the time it arrived, until `timeout` or end of stream.
  std::vector<std::pair<std::uint8_t, Clock::time_point>> read_timed(std::size_t count,
                                                                     std::chrono::milliseconds timeout) {
    std::vector<std::pair<std::uint8_t, Clock::time_point>> got;
    const Deadline deadline = Deadline::after(timeout);
    while (got.size() < count && !deadline.expired()) {
      pollfd pfd{fd_.get(), POLLIN, 0};
      if (::poll(&pfd, 1, static_cast<int>(deadline.remaining().count())) <= 0) break;
      std::uint8_t byte = 0;
      if (::recv(fd_.get(), &byte, 1, 0) != 1) break;
      got.emplace_back(byte, Clock::now());
    }
    return got;
  }

  std::string read_text(std::size_t count, std::chrono::milliseconds timeout) {
    std::string text;
    for (const auto& [byte, at] : read_timed(count, timeout)) text.push_back(static_cast<char>(byte));
    return text;
  }

 private:
  tlsdoctor::tls::UniqueFd fd_;
};

std::vector<std::uint8_t> hello_records() {
  auto records = tlsdoctor::lab::lab_client_hello_records({});
  REQUIRE(records.size() > 5);
  return records;
}

}  // namespace

TEST_CASE("never-answers keeps a client until the client's deadline", "[scenario_server][hostile]") {
  const auto server = start(Behaviour::NeverAnswers);
  LabClientOptions options;
  options.timeout = 300ms;
  const auto client = lab_handshake(*server, options);
  CHECK(client.timed_out);
  CHECK(client.elapsed >= 250ms);
  CHECK(client.elapsed < 2000ms);
  const auto record = only_record(*server);  // published when the client hangs up
  CHECK(record.sni == kLabHostName);
  CHECK_FALSE(record.client_hello.empty());
  CHECK(record.failure == "never answered (lab behaviour) until: client closed the connection");
}

TEST_CASE("the server gives up on a connection at its own deadline", "[scenario_server][hostile]") {
  ScenarioOptions options;
  options.handshake_timeout = 200ms;
  const auto server = start(Behaviour::NeverAnswers, options);
  LabClientOptions client_options;
  client_options.timeout = 5s;
  const auto client = lab_handshake(*server, client_options);
  CHECK_FALSE(client.completed);
  CHECK_FALSE(client.timed_out);  // the server hung up first
  CHECK(client.elapsed < 2000ms);
  CHECK(only_record(*server).failure == "never answered (lab behaviour) until: server deadline passed");
}

TEST_CASE("one-byte-per-second releases its first flight a byte a second", "[scenario_server][hostile]") {
  const auto server = start(Behaviour::OneBytePerSecond);
  RawClient client(*server);
  const auto sent_at = Clock::now();
  client.send(hello_records());
  const auto bytes = client.read_timed(2, 3s);
  REQUIRE(bytes.size() == 2);
  CHECK(bytes[0].first == 0x16);  // a handshake record: a real ServerHello, only slow
  CHECK(bytes[0].second - sent_at < 500ms);
  CHECK(bytes[1].second - bytes[0].second >= 800ms);
}

TEST_CASE("garbage answers a ClientHello with HTTP", "[scenario_server][hostile]") {
  const auto server = start(Behaviour::Garbage);
  const auto client = lab_handshake(*server, {});
  CHECK_FALSE(client.completed);
  CHECK(client.reason == "wrong version number");
  CHECK(only_record(*server).sni == kLabHostName);

  RawClient raw(*server);
  raw.send(hello_records());
  CHECK(raw.read_text(12, 2s) == "HTTP/1.1 400");
}

TEST_CASE("a client that does not speak TLS is recorded as such", "[scenario_server][hostile]") {
  const auto server = start(Behaviour::Garbage);
  RawClient raw(*server);
  const std::string request = "GET / HTTP/1.1\r\nHost: lab\r\n\r\n";
  raw.send(std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
  const auto record = only_record(*server);
  CHECK(record.client_hello.empty());
  CHECK(record.failure == "not TLS (no handshake record)");
}

TEST_CASE("reset-after-hello resets the connection", "[scenario_server][hostile]") {
  const auto server = start(Behaviour::ResetAfterHello);
  const auto client = lab_handshake(*server, {});
  CHECK_FALSE(client.completed);
  CHECK(client.ssl_error == SSL_ERROR_SYSCALL);
  CHECK(client.system_errno == ECONNRESET);
  CHECK_FALSE(only_record(*server).client_hello.empty());
}

TEST_CASE("fatal-alert sends the alert it is given", "[scenario_server][hostile]") {
  ScenarioOptions options;
  SECTION("handshake_failure by default") {}
  SECTION("another alert") { options.alert = SSL_AD_INTERNAL_ERROR; }
  const auto server = start(Behaviour::FatalAlert, options);
  const auto client = lab_handshake(*server, {});
  CHECK_FALSE(client.completed);
  CHECK(client.alert_received == options.alert);
  CHECK(only_record(*server).failure == "sent fatal alert " + std::to_string(options.alert) + " (lab behaviour)");
}

TEST_CASE("long-chain sends a real chain of the given length", "[scenario_server][hostile]") {
  SECTION("200 certificates: under OpenSSL's 100 KiB message cap, over its verify depth") {
    const auto server = start(Behaviour::LongChain);
    const auto served = server->served_chain();
    CHECK(served.size() == 200);
    std::size_t bytes = 0;
    for (const auto& der : served) bytes += der.size() + 3;  // each with its 24-bit length
    CHECK(bytes < 100 * 1024);
    LabClientOptions unverified;
    unverified.verify = false;
    const auto received = lab_handshake(*server, unverified);
    CHECK(received.completed);
    CHECK(received.peer_chain == served);
    const auto verified = lab_handshake(*server, {});
    CHECK(verified.verify_result == X509_V_ERR_CERT_CHAIN_TOO_LONG);
  }
  SECTION("a short one verifies: every link is a real issuer") {
    ScenarioOptions options;
    options.chain_length = 5;
    const auto server = start(Behaviour::LongChain, options);
    CHECK(server->served_chain().size() == 5);
    const auto verified = lab_handshake(*server, {});
    CHECK(verified.completed);
    CHECK(verified.verify_result == X509_V_OK);
  }
}

TEST_CASE("huge-certificate serves a leaf of about the given size", "[scenario_server][hostile]") {
  const auto server = start(Behaviour::HugeCertificate);
  const auto leaf_size = server->served_chain().at(0).size();
  CHECK(leaf_size >= 1024 * 1024);
  CHECK(leaf_size < 1024 * 1024 + 1024);
  const auto client = lab_handshake(*server, {});
  CHECK_FALSE(client.completed);
  CHECK(client.reason == "excessive message size");  // OpenSSL's client cap: 100 KiB
}

TEST_CASE("close-mid-handshake hangs up inside its first record", "[scenario_server][hostile]") {
  const auto server = start(Behaviour::CloseMidHandshake);
  const auto client = lab_handshake(*server, {});
  CHECK_FALSE(client.completed);
  CHECK_FALSE(client.timed_out);
  CHECK(client.reason == "unexpected eof while reading");
  CHECK(only_record(*server).failure == "closed mid-handshake (lab behaviour)");
}

TEST_CASE("drop-large-hello swallows a large ClientHello and serves a small one", "[scenario_server][hostile]") {
  const auto server = start(Behaviour::DropLargeHello);
  CHECK(lab_handshake(*server, {}).completed);

  LabClientOptions large;
  large.alpn_padding = 1500;
  large.timeout = 400ms;
  const auto client = lab_handshake(*server, large);
  CHECK(client.timed_out);
  REQUIRE(server->wait_for_connections(1, kRecordWait));
  const auto records = server->connections();
  CHECK(records[0].handshake_completed);
  CHECK(records[1].client_hello.size() > 1400);
  CHECK(records[1].failure.rfind("dropped a ClientHello of ", 0) == 0);
}

TEST_CASE("a ClientHello split across records is reassembled", "[scenario_server][hostile]") {
  const auto records = hello_records();
  const std::vector<std::uint8_t> message(records.begin() + 5, records.end());
  const std::size_t half = message.size() / 2;
  std::vector<std::uint8_t> split;
  for (const auto& [from, to] : {std::pair{std::size_t{0}, half}, std::pair{half, message.size()}}) {
    const std::size_t length = to - from;
    split.insert(split.end(), {0x16, 0x03, 0x01, static_cast<std::uint8_t>(length >> 8),
                               static_cast<std::uint8_t>(length & 0xff)});
    split.insert(split.end(), message.begin() + static_cast<std::ptrdiff_t>(from),
                 message.begin() + static_cast<std::ptrdiff_t>(to));
  }
  const auto server = start(Behaviour::FatalAlert);
  RawClient raw(*server);
  raw.send(std::span(split).first(7));  // a header and two bytes, then the rest
  std::this_thread::sleep_for(20ms);
  raw.send(std::span(split).subspan(7));
  CHECK(raw.read_text(2, 2s).size() == 2);
  const auto record = only_record(*server);
  CHECK(record.client_hello == message);
  CHECK(record.sni == kLabHostName);
}

TEST_CASE("destroying a server returns promptly while clients are stuck on it", "[scenario_server][hostile]") {
  ScenarioOptions options;
  options.handshake_timeout = 30s;  // the server would otherwise hold them this long
  const auto behaviour = GENERATE(Behaviour::NeverAnswers, Behaviour::OneBytePerSecond, Behaviour::Good);
  INFO(to_string(behaviour));
  auto server = start(behaviour, options);
  RawClient hello_sender(*server);
  RawClient silent(*server);  // connected, never says anything
  hello_sender.send(hello_records());
  if (behaviour == Behaviour::OneBytePerSecond) {
    CHECK(hello_sender.read_timed(1, 2s).size() == 1);  // the trickle has begun
  } else {
    std::this_thread::sleep_for(50ms);
  }
  const auto destroying = Clock::now();
  server.reset();
  CHECK(since(destroying) < kDestroyBound);
}

TEST_CASE("sni_of reads server_name and nothing else", "[scenario_server]") {
  const auto with = hello_records();
  CHECK(tlsdoctor::lab::sni_of(std::span(with).subspan(5)) == std::string(kLabHostName));
  LabClientOptions none;
  none.sni.reset();
  const auto without = tlsdoctor::lab::lab_client_hello_records(none);
  CHECK_FALSE(tlsdoctor::lab::sni_of(std::span(without).subspan(5)).has_value());
  // Truncated anywhere, it never reads past the end.
  for (std::size_t cut = 0; cut < with.size() - 5; cut += 7) {
    CHECK_NOTHROW(tlsdoctor::lab::sni_of(std::span(with).subspan(5, cut)));
  }
}
