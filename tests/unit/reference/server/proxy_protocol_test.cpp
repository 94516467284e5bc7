// PROXY v2 header parsing: hand-made headers for every family and refusal, and the header a real HAProxy sends.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "core/deadline.h"
#include "lab/haproxy_proxy.h"
#include "lab/subprocess.h"
#include "reference/server/proxy_protocol.h"
#include "tls/handshake_io.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;
using namespace std::chrono_literals;

namespace {

using Bytes = std::vector<std::uint8_t>;

// Byte 13 (version 2 with a command) and byte 14 (family and transport), section 2.2.
constexpr std::uint8_t kLocal = 0x20;
constexpr std::uint8_t kProxy = 0x21;
constexpr std::uint8_t kUnspec = 0x00;
constexpr std::uint8_t kTcp4 = 0x11;
constexpr std::uint8_t kUdp4 = 0x12;
constexpr std::uint8_t kTcp6 = 0x21;
constexpr std::uint8_t kUnixStream = 0x31;

// The fixed part with `length` announced (by default the size of `rest`), then `rest`.
Bytes header(std::uint8_t version_command, std::uint8_t family_transport, const Bytes& rest,
             std::optional<std::size_t> length = std::nullopt) {
  Bytes out(kProxyV2Signature.begin(), kProxyV2Signature.end());
  const std::size_t announced = length.value_or(rest.size());
  out.push_back(version_command);
  out.push_back(family_transport);
  out.push_back(static_cast<std::uint8_t>(announced >> 8));
  out.push_back(static_cast<std::uint8_t>(announced & 0xFF));
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

std::span<const std::uint8_t, kProxyV2FixedBytes> fixed_of(const Bytes& bytes) {
  REQUIRE(bytes.size() >= kProxyV2FixedBytes);
  return std::span<const std::uint8_t, kProxyV2FixedBytes>(bytes.data(), kProxyV2FixedBytes);
}

Bytes text_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

// Reads the header the way a server does: 16 bytes, then exactly what they announce.
tl::expected<ProxiedPeer, Error> read_header(const Bytes& bytes) {
  const auto remaining = proxy_v2_remaining(fixed_of(bytes));
  if (!remaining) return tl::unexpected(remaining.error());
  REQUIRE(bytes.size() >= kProxyV2FixedBytes + *remaining);
  return parse_proxy_v2(fixed_of(bytes), std::span(bytes).subspan(kProxyV2FixedBytes, *remaining));
}

// Two IPv4 addresses and ports: 127.0.0.3:50000 -> 127.0.0.1:443.
const Bytes kTcp4Block = {127, 0, 0, 3, 127, 0, 0, 1, 0xC3, 0x50, 0x01, 0xBB};

std::string error_of(const Bytes& bytes) {
  const auto remaining = proxy_v2_remaining(fixed_of(bytes));
  REQUIRE_FALSE(remaining);
  CHECK(remaining.error().input == "PROXY v2 header");
  // parse_proxy_v2 refuses whatever proxy_v2_remaining refuses.
  CHECK_FALSE(parse_proxy_v2(fixed_of(bytes), std::span(bytes).subspan(kProxyV2FixedBytes)));
  return remaining.error().message;
}

}  // namespace

TEST_CASE("PROXY v2 over TCP4 gives the client's address and port", "[proxy_protocol]") {
  const Bytes bytes = header(kProxy, kTcp4, kTcp4Block);
  CHECK(proxy_v2_remaining(fixed_of(bytes)) == std::size_t{12});
  const auto peer = read_header(bytes);
  REQUIRE(peer);
  CHECK_FALSE(peer->local);
  REQUIRE(peer->source);
  CHECK(peer->source->address == "127.0.0.3");
  CHECK(peer->source->port == 50000);
  REQUIRE(peer->destination);
  CHECK(peer->destination->address == "127.0.0.1");
  CHECK(peer->destination->port == 443);
}

TEST_CASE("PROXY v2 over TCP6 gives the address in inet_ntop's form", "[proxy_protocol]") {
  Bytes block(36, 0);
  // 2001:db8::7 -> ::1, ports 1 and 65535.
  block[0] = 0x20;
  block[1] = 0x01;
  block[2] = 0x0D;
  block[3] = 0xB8;
  block[15] = 0x07;
  block[31] = 0x01;
  block[33] = 0x01;
  block[34] = 0xFF;
  block[35] = 0xFF;
  const auto peer = read_header(header(kProxy, kTcp6, block));
  REQUIRE(peer);
  REQUIRE(peer->source);
  CHECK(peer->source->address == "2001:db8::7");
  CHECK(peer->source->port == 1);
  REQUIRE(peer->destination);
  CHECK(peer->destination->address == "::1");
  CHECK(peer->destination->port == 65535);
}

TEST_CASE("a LOCAL header (a health check) keeps the socket's peer and skips what it announces", "[proxy_protocol]") {
  const auto bare = read_header(header(kLocal, kUnspec, {}));
  REQUIRE(bare);
  CHECK(bare->local);
  CHECK_FALSE(bare->source);
  CHECK_FALSE(bare->destination);
  // The spec: a LOCAL header's family is ignored, and its length must still be skipped.
  const Bytes with_block = header(kLocal, kTcp4, kTcp4Block);
  CHECK(proxy_v2_remaining(fixed_of(with_block)) == std::size_t{12});
  const auto skipped = read_header(with_block);
  REQUIRE(skipped);
  CHECK(skipped->local);
  CHECK_FALSE(skipped->source);
  CHECK(read_header(header(kLocal, 0xFF, {})));
}

TEST_CASE("TLVs after the addresses are read past and ignored", "[proxy_protocol]") {
  Bytes rest = kTcp4Block;
  // PP2_TYPE_ALPN "h2", PP2_TYPE_UNIQUE_ID of 16 bytes, PP2_TYPE_NOOP of 3 (section 2.2).
  const Bytes tlvs = {0x01, 0x00, 0x02, 'h', '2'};
  rest.insert(rest.end(), tlvs.begin(), tlvs.end());
  rest.insert(rest.end(), {0x05, 0x00, 0x10});
  rest.insert(rest.end(), 16, 0xAB);
  rest.insert(rest.end(), {0x04, 0x00, 0x03, 0, 0, 0});
  const Bytes bytes = header(kProxy, kTcp4, rest);
  CHECK(proxy_v2_remaining(fixed_of(bytes)) == rest.size());
  const auto peer = read_header(bytes);
  REQUIRE(peer);
  REQUIRE(peer->source);
  CHECK(peer->source->address == "127.0.0.3");
  CHECK(peer->source->port == 50000);
}

TEST_CASE("a client that sent TLS directly is named as such", "[proxy_protocol]") {
  // The first 16 bytes of a TLS 1.2/1.3 ClientHello record: handshake, version 3.1, length,
  // ClientHello, its length, client_version 3.3, the first random bytes.
  const Bytes client_hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01,
                              0xFC, 0x03, 0x03, 0x5A, 0x11, 0x22, 0x33, 0x44};
  CHECK_THAT(error_of(client_hello), Catch::Contains("TLS record") && Catch::Contains("directly"));
  CHECK_THAT(error_of(text_bytes("GET / HTTP/1.1\r\nHo")), Catch::Contains("no PROXY v2 signature"));
}

TEST_CASE("a version 1 text header is refused with a message that says so", "[proxy_protocol]") {
  const Bytes v1 = text_bytes("PROXY TCP4 127.0.0.3 127.0.0.1 50000 443\r\n");
  CHECK_THAT(error_of(v1), Catch::Contains("version 1") && Catch::Contains("send-proxy-v2"));
}

TEST_CASE("another version, command, family or transport is refused", "[proxy_protocol]") {
  CHECK_THAT(error_of(header(0x31, kTcp4, kTcp4Block)), Catch::Contains("version 3"));
  CHECK_THAT(error_of(header(0x11, kTcp4, kTcp4Block)), Catch::Contains("version 1"));
  CHECK_THAT(error_of(header(0x22, kTcp4, kTcp4Block)), Catch::Contains("unknown command 2"));
  CHECK_THAT(error_of(header(kProxy, 0x41, kTcp4Block)), Catch::Contains("unknown address family 4"));
  CHECK_THAT(error_of(header(kProxy, 0x13, kTcp4Block)), Catch::Contains("unknown transport 3"));
}

TEST_CASE("a header announcing more than the limit is refused before it is read", "[proxy_protocol]") {
  const Bytes at_limit = header(kProxy, kTcp4, {}, kMaxProxyV2Remaining);
  CHECK(proxy_v2_remaining(fixed_of(at_limit)) == kMaxProxyV2Remaining);
  const Bytes over = header(kProxy, kTcp4, {}, kMaxProxyV2Remaining + 1);
  CHECK_THAT(error_of(over), Catch::Contains("1025") && Catch::Contains("1024"));
  CHECK_THAT(error_of(header(kLocal, kUnspec, {}, 0xFFFF)), Catch::Contains("65535"));
}

TEST_CASE("a length too short for the family's addresses is refused", "[proxy_protocol]") {
  CHECK_THAT(error_of(header(kProxy, kTcp4, Bytes(8, 0))), Catch::Contains("IPv4") && Catch::Contains("12"));
  CHECK_THAT(error_of(header(kProxy, kTcp6, Bytes(12, 0))), Catch::Contains("IPv6") && Catch::Contains("36"));
  CHECK_THAT(error_of(header(kProxy, kUnixStream, Bytes(108, 0))), Catch::Contains("AF_UNIX"));
}

TEST_CASE("AF_UNIX, AF_UNSPEC and an unspecified transport carry no address we use", "[proxy_protocol]") {
  const auto unix_peer = read_header(header(kProxy, kUnixStream, Bytes(216, 'x')));
  REQUIRE(unix_peer);
  CHECK_FALSE(unix_peer->local);
  CHECK_FALSE(unix_peer->source);
  CHECK_FALSE(unix_peer->destination);
  const auto unspec = read_header(header(kProxy, kUnspec, {}));
  REQUIRE(unspec);
  CHECK_FALSE(unspec->local);
  CHECK_FALSE(unspec->source);
  // IPv4 with transport UNSPEC: the spec says to ignore the addresses, whose layout is undefined.
  const auto no_transport = read_header(header(kProxy, 0x10, kTcp4Block));
  REQUIRE(no_transport);
  CHECK_FALSE(no_transport->source);
}

TEST_CASE("UDP over IPv4 is accepted: the addresses are still the client's", "[proxy_protocol]") {
  const auto peer = read_header(header(kProxy, kUdp4, kTcp4Block));
  REQUIRE(peer);
  REQUIRE(peer->source);
  CHECK(peer->source->address == "127.0.0.3");
}

TEST_CASE("parse_proxy_v2 wants exactly the announced bytes", "[proxy_protocol]") {
  const Bytes bytes = header(kProxy, kTcp4, kTcp4Block);
  const auto rest = std::span(bytes).subspan(kProxyV2FixedBytes);
  const auto short_rest = parse_proxy_v2(fixed_of(bytes), rest.first(11));
  REQUIRE_FALSE(short_rest);
  CHECK_THAT(short_rest.error().message, Catch::Contains("announces 12") && Catch::Contains("11 were given"));
  Bytes longer = bytes;
  longer.push_back(0x16);
  CHECK_FALSE(parse_proxy_v2(fixed_of(longer), std::span(longer).subspan(kProxyV2FixedBytes)));
}

namespace {

// Every step of the HAProxy test is on loopback and takes milliseconds; this only keeps a
// broken case from hanging.
constexpr auto kStepBudget = 5s;
// The backend reads what follows the header until the proxy closes; the test sends 5 bytes.
constexpr std::size_t kMaxPayload = 4096;
// Distinct from 127.0.0.1 (the proxy's own address toward the backend), so that a header
// naming the proxy rather than the client cannot pass.
constexpr const char* kClientAddress = "127.0.0.3";

sockaddr_in loopback(const char* address, std::uint16_t port) {
  sockaddr_in out{};
  out.sin_family = AF_INET;
  out.sin_port = htons(port);
  ::inet_pton(AF_INET, address, &out.sin_addr);
  return out;
}

std::uint16_t local_port(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

bool wait_for(int fd, short events, const Deadline& deadline) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, static_cast<int>(deadline.remaining().count())) == 1;
}

// Reads exactly `out.size()` bytes and not one more, as the server must.
bool read_exactly(int fd, std::span<std::uint8_t> out, const Deadline& deadline) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (!wait_for(fd, POLLIN, deadline)) return false;
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string read_until_eof(int fd, const Deadline& deadline) {
  std::string out;
  std::array<char, 512> buffer{};
  while (out.size() < kMaxPayload && wait_for(fd, POLLIN, deadline)) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
  return out;
}

// What the backend behind HAProxy received on its one connection.
struct BackendSaw {
  std::string error;  // empty when a header was read and parsed
  std::size_t remaining = 0;
  ProxiedPeer peer;
  std::string after_header;
};

BackendSaw failed(std::string why) {
  BackendSaw saw;
  saw.error = std::move(why);
  return saw;
}

BackendSaw serve_one(int listener, const Deadline& deadline) {
  BackendSaw saw;
  if (!wait_for(listener, POLLIN, deadline)) return failed("no connection from haproxy");
  const tls::UniqueFd connection(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  if (!connection) return failed(std::string("accept: ") + std::strerror(errno));
  std::array<std::uint8_t, kProxyV2FixedBytes> fixed{};
  if (!read_exactly(connection.get(), fixed, deadline)) return failed("the header's first 16 bytes did not come");
  const auto remaining = proxy_v2_remaining(fixed);
  if (!remaining) return failed("proxy_v2_remaining: " + remaining.error().message);
  saw.remaining = *remaining;
  std::vector<std::uint8_t> rest(*remaining);
  if (!read_exactly(connection.get(), rest, deadline)) return failed("the header's addresses did not come");
  const auto peer = parse_proxy_v2(fixed, rest);
  if (!peer) return failed("parse_proxy_v2: " + peer.error().message);
  saw.peer = *peer;
  saw.after_header = read_until_eof(connection.get(), deadline);
  return saw;
}

// A non-blocking connection from `source` (any port) to 127.0.0.1:port, bounded by `deadline`.
tl::expected<tls::UniqueFd, std::string> connect_from(const char* source, std::uint16_t port, const Deadline& deadline) {
  tls::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  const sockaddr_in from = loopback(source, 0);
  if (!fd || ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&from), sizeof from) != 0) {
    return tl::unexpected(std::string("bind: ") + std::strerror(errno));
  }
  const sockaddr_in to = loopback("127.0.0.1", port);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0 && errno != EINPROGRESS) {
    return tl::unexpected(std::string("connect: ") + std::strerror(errno));
  }
  if (!wait_for(fd.get(), POLLOUT, deadline)) return tl::unexpected(std::string("connect timed out"));
  int error = 0;
  socklen_t length = sizeof error;
  ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
  if (error != 0) return tl::unexpected(std::string("connect: ") + std::strerror(error));
  return fd;
}

}  // namespace

TEST_CASE("behind a real HAProxy, the header names the client and TLS would start right after it", "[proxy_protocol]") {
  const tls::UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const sockaddr_in any_port = loopback("127.0.0.1", 0);
  REQUIRE(::bind(listener.get(), reinterpret_cast<const sockaddr*>(&any_port), sizeof any_port) == 0);
  REQUIRE(::listen(listener.get(), 4) == 0);

  auto proxy = lab::HaproxyProxy::start(lab::HaproxyOptions{local_port(listener.get()), true});
  if (!proxy) {
    if (proxy.error().find("not installed") != std::string::npos && !lab::lab_required()) {
      WARN("skipped: " << proxy.error());
      return;
    }
    FAIL("haproxy: " << proxy.error());
  }
  INFO("haproxy started in " << (*proxy)->startup_time().count() << " ms");

  const auto deadline = Deadline::after(kStepBudget);
  auto backend = std::async(std::launch::async, [&] { return serve_one(listener.get(), deadline); });
  auto client = connect_from(kClientAddress, (*proxy)->port(), deadline);
  REQUIRE(client);
  const std::uint16_t client_port = local_port(client->get());
  REQUIRE(::send(client->get(), "hello", 5, MSG_NOSIGNAL) == 5);
  ::shutdown(client->get(), SHUT_WR);
  // serve_one is bounded by `deadline`; the extra second only covers scheduling.
  REQUIRE(backend.wait_for(kStepBudget + 1s) == std::future_status::ready);
  const BackendSaw saw = backend.get();

  *client = tls::UniqueFd();  // haproxy logs a connection once both sides have closed
  INFO((*proxy)->logs());
  REQUIRE(saw.error.empty());
  CHECK(saw.remaining >= 12);
  CHECK_FALSE(saw.peer.local);
  REQUIRE(saw.peer.source);
  CHECK(saw.peer.source->address == kClientAddress);
  CHECK(saw.peer.source->port == client_port);
  REQUIRE(saw.peer.destination);
  CHECK(saw.peer.destination->address == "127.0.0.1");
  CHECK(saw.peer.destination->port == (*proxy)->port());
  CHECK(saw.after_header == "hello");
}
