// One scenario connection's socket: every wait bounded by its deadline and woken by the server's stop signal.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/deadline.h"

namespace tlsdoctor::lab {

// Bytes read from a socket in one call: one maximum TLS record (2^14 + 2048) and its header
// fit, so a record never needs more than two reads.
inline constexpr std::size_t kScenarioReadChunk = 18 * 1024;
// The most the raw behaviours buffer while reading a ClientHello; real ones are well under
// 2 KiB (post-quantum key shares) and the format allows no more than 64 KiB in practice.
inline constexpr std::size_t kMaxScenarioHelloBytes = 64 * 1024;
// After its last word the server half-closes and waits this long for the client to hang up,
// so its close never turns into a reset that destroys bytes the client has not read yet.
inline constexpr std::chrono::milliseconds kScenarioCloseGrace{2000};

enum class IoStatus {
  Ok,
  Eof,       // the client closed its side
  Error,     // reset or another socket error (see ConnectionIo::error())
  TimedOut,  // the connection's deadline passed
  Stopped,   // the server is being destroyed
};

std::string_view describe(IoStatus status);  // "client closed the connection", ...

class ConnectionIo {
 public:
  // `fd` is a connected non-blocking socket owned by the caller; `wake_fd` becomes readable
  // when the server stops.
  ConnectionIo(int fd, int wake_fd, Deadline deadline) : fd_(fd), wake_fd_(wake_fd), deadline_(deadline) {}

  int fd() const { return fd_; }
  const Deadline& deadline() const { return deadline_; }
  const std::string& error() const { return error_; }

  // Waits until the socket has `events` (POLLIN/POLLOUT), the deadline passes, or the server stops.
  IoStatus wait(short events) { return wait_until(events, deadline_); }
  // The same with an earlier deadline of the caller's (TimedOut when either passes).
  IoStatus wait_until(short events, const Deadline& until);
  // Reads what is available into `buffer` (waiting for some first); `read` = bytes read.
  IoStatus read_some(std::span<std::uint8_t> buffer, std::size_t& read);
  // Reads without waiting; Ok with read == 0 when nothing is there yet.
  IoStatus read_available(std::span<std::uint8_t> buffer, std::size_t& read);
  IoStatus write_all(std::span<const std::uint8_t> bytes);
  // Sleeps for `pause` (bounded by the deadline), returning early with Stopped; TimedOut when the
  // deadline cut the pause short.
  IoStatus pause(std::chrono::milliseconds pause);
  // Reads and discards until the client closes, the deadline passes, or the server stops.
  IoStatus discard_until_closed();
  // Half-closes, then discards what the client still sends for kScenarioCloseGrace at most.
  void close_gracefully();
  // Arms an abortive close: when the owner closes the fd, the kernel sends RST, not FIN.
  void arm_reset();

 private:
  IoStatus fail(IoStatus status, std::string text);

  int fd_;
  int wake_fd_;
  Deadline deadline_;
  std::string error_;
};

// The first handshake message as read from the wire by the raw behaviours.
struct RawClientHello {
  std::vector<std::uint8_t> received;  // every byte read, records included (the hello and whatever followed)
  std::size_t record_bytes = 0;        // bytes of the records that carried the ClientHello (headers included)
  std::vector<std::uint8_t> message;   // the ClientHello handshake message, header included; empty if none
  IoStatus status = IoStatus::Ok;      // why reading stopped when no complete ClientHello came
  std::string problem;                 // "not TLS", "ClientHello over 65536 bytes", ...
};

// Reads TLS records until one complete ClientHello has arrived (or the input is not TLS, too
// large, closed, or out of time).
RawClientHello read_client_hello(ConnectionIo& io);

// The host_name entry of the server_name extension of a ClientHello message (header included);
// nullopt when absent or malformed. Written for the lab so tests do not trust the parser they test.
std::optional<std::string> sni_of(std::span<const std::uint8_t> client_hello);

}  // namespace tlsdoctor::lab
