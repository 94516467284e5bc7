// Socket waits, reads and writes for scenario connections, a raw ClientHello reader and an SNI extractor.
#include "lab/scenario_io.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace tlsdoctor::lab {
namespace {

// RFC 8446 section 5.1: a record's fragment is at most 2^14 bytes, plus 2048 of expansion for
// ciphertext (RFC 5246); anything larger is not a record a TLS client would send.
constexpr std::size_t kMaxRecordFragment = 16384 + 2048;
constexpr std::size_t kRecordHeaderBytes = 5;
constexpr std::size_t kHandshakeHeaderBytes = 4;
constexpr std::uint8_t kHandshakeContentType = 22;
constexpr std::uint8_t kClientHelloType = 1;

std::size_t be(std::span<const std::uint8_t> bytes, std::size_t at, std::size_t width) {
  std::size_t value = 0;
  for (std::size_t i = 0; i < width; ++i) value = (value << 8) | bytes[at + i];
  return value;
}

}  // namespace

std::string_view describe(IoStatus status) {
  switch (status) {
    case IoStatus::Ok: return "";
    case IoStatus::Eof: return "client closed the connection";
    case IoStatus::Error: return "socket error";
    case IoStatus::TimedOut: return "server deadline passed";
    case IoStatus::Stopped: return "server stopped";
  }
  return "";
}

IoStatus ConnectionIo::fail(IoStatus status, std::string text) {
  error_ = std::move(text);
  return status;
}

IoStatus ConnectionIo::wait_until(short events, const Deadline& until) {
  for (;;) {
    const auto left = std::min(until.remaining(), deadline_.remaining());
    if (left.count() <= 0) return IoStatus::TimedOut;
    std::array<pollfd, 2> fds{pollfd{fd_, events, 0}, pollfd{wake_fd_, POLLIN, 0}};
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return fail(IoStatus::Error, std::string("poll: ") + std::strerror(errno));
    if ((fds[1].revents & POLLIN) != 0) return IoStatus::Stopped;
    if (ready == 0) return IoStatus::TimedOut;
    // POLLHUP/POLLERR too: the next read or write reports what happened.
    if (fds[0].revents != 0) return IoStatus::Ok;
  }
}

IoStatus ConnectionIo::read_available(std::span<std::uint8_t> buffer, std::size_t& read) {
  read = 0;
  for (;;) {
    const ssize_t got = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (got > 0) {
      read = static_cast<std::size_t>(got);
      return IoStatus::Ok;
    }
    if (got == 0) return IoStatus::Eof;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return IoStatus::Ok;
    return fail(IoStatus::Error, std::string("recv: ") + std::strerror(errno));
  }
}

IoStatus ConnectionIo::read_some(std::span<std::uint8_t> buffer, std::size_t& read) {
  for (;;) {
    if (const auto status = read_available(buffer, read); status != IoStatus::Ok || read > 0) return status;
    if (const auto status = wait(POLLIN); status != IoStatus::Ok) return status;
  }
}

IoStatus ConnectionIo::write_all(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    // MSG_NOSIGNAL: a client that hung up gives EPIPE here instead of killing the test process.
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      bytes = bytes.subspan(static_cast<std::size_t>(sent));
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (const auto status = wait(POLLOUT); status != IoStatus::Ok) return status;
      continue;
    }
    if (sent < 0 && (errno == EPIPE || errno == ECONNRESET)) return fail(IoStatus::Eof, std::strerror(errno));
    return fail(IoStatus::Error, std::string("send: ") + std::strerror(errno));
  }
  return IoStatus::Ok;
}

IoStatus ConnectionIo::pause(std::chrono::milliseconds pause) {
  const Deadline until = deadline_.sub(pause);
  for (;;) {
    const auto left = until.remaining();
    if (left.count() <= 0) return deadline_.expired() ? IoStatus::TimedOut : IoStatus::Ok;
    pollfd wake{wake_fd_, POLLIN, 0};
    const int ready = ::poll(&wake, 1, static_cast<int>(left.count()));
    if (ready > 0) return IoStatus::Stopped;
    if (ready < 0 && errno != EINTR) return fail(IoStatus::Error, std::string("poll: ") + std::strerror(errno));
  }
}

IoStatus ConnectionIo::discard_until_closed() {
  std::array<std::uint8_t, kScenarioReadChunk> sink{};
  for (;;) {
    std::size_t read = 0;
    if (const auto status = read_some(sink, read); status != IoStatus::Ok) return status;
  }
}

void ConnectionIo::close_gracefully() {
  ::shutdown(fd_, SHUT_WR);
  ConnectionIo grace(fd_, wake_fd_, Deadline::after(kScenarioCloseGrace));
  grace.discard_until_closed();
}

void ConnectionIo::arm_reset() {
  const linger abortive{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abortive, sizeof(abortive));
}

RawClientHello read_client_hello(ConnectionIo& io) {
  RawClientHello hello;
  std::size_t parsed = 0;  // bytes of `received` taken apart into records so far
  std::vector<std::uint8_t> handshake;  // fragments of handshake records, concatenated
  std::array<std::uint8_t, kScenarioReadChunk> chunk{};
  for (;;) {
    // Take apart every complete record received so far.
    while (hello.received.size() - parsed >= kRecordHeaderBytes) {
      const std::span<const std::uint8_t> rest(hello.received.data() + parsed, hello.received.size() - parsed);
      const std::size_t length = be(rest, 3, 2);
      if (rest[0] != kHandshakeContentType || rest[1] != 3 || length > kMaxRecordFragment) {
        hello.problem = "not TLS (no handshake record)";
        return hello;
      }
      if (rest.size() < kRecordHeaderBytes + length) break;
      handshake.insert(handshake.end(), rest.begin() + kRecordHeaderBytes,
                       rest.begin() + static_cast<std::ptrdiff_t>(kRecordHeaderBytes + length));
      parsed += kRecordHeaderBytes + length;
      if (handshake.size() < kHandshakeHeaderBytes) continue;
      if (handshake[0] != kClientHelloType) {
        hello.problem = "first handshake message is not a ClientHello";
        return hello;
      }
      const std::size_t total = kHandshakeHeaderBytes + be(handshake, 1, 3);
      if (total > kMaxScenarioHelloBytes) {
        hello.problem = "ClientHello over " + std::to_string(kMaxScenarioHelloBytes) + " bytes";
        return hello;
      }
      if (handshake.size() >= total) {
        handshake.resize(total);
        hello.message = std::move(handshake);
        hello.record_bytes = parsed;
        return hello;
      }
    }
    // Record headers add up when a client splits its hello into tiny records; four times the
    // message cap still bounds what a peer can make the lab hold.
    if (hello.received.size() >= 4 * kMaxScenarioHelloBytes) {
      hello.problem = "ClientHello over " + std::to_string(kMaxScenarioHelloBytes) + " bytes";
      return hello;
    }
    std::size_t read = 0;
    hello.status = io.read_some(chunk, read);
    if (hello.status != IoStatus::Ok) {
      hello.problem = std::string(describe(hello.status)) + " before a complete ClientHello";
      return hello;
    }
    hello.received.insert(hello.received.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(read));
  }
}

std::optional<std::string> sni_of(std::span<const std::uint8_t> hello) {
  // Layout (RFC 8446 4.1.2): header(4) version(2) random(32) session_id<1> cipher_suites<2>
  // compression<1> extensions<2>; server_name (type 0, RFC 6066 3): list<2> of type(1) name<2>.
  std::size_t at = kHandshakeHeaderBytes + 2 + 32;
  auto skip = [&](std::size_t width) {
    if (at + width > hello.size()) return false;
    at += width + be(hello, at, width);
    return at <= hello.size();
  };
  if (hello.size() < at || !skip(1) || !skip(2) || !skip(1) || at + 2 > hello.size()) return std::nullopt;
  const std::size_t end = std::min(hello.size(), at + 2 + be(hello, at, 2));
  at += 2;
  while (at + 4 <= end) {
    const std::size_t type = be(hello, at, 2);
    const std::size_t length = be(hello, at + 2, 2);
    const std::size_t data = at + 4;
    if (data + length > end) return std::nullopt;
    if (type == 0 && length >= 5 && hello[data + 2] == 0) {
      const std::size_t name_length = be(hello, data + 3, 2);
      if (data + 5 + name_length > data + length) return std::nullopt;
      return std::string(reinterpret_cast<const char*>(hello.data() + data + 5), name_length);
    }
    at = data + length;
  }
  return std::nullopt;
}

}  // namespace tlsdoctor::lab
