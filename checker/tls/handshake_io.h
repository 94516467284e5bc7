// Non-blocking sockets for TLS handshakes: bounded connect, a poll-driven handshake, SIGPIPE kept away.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include <openssl/ssl.h>
#include <tl/expected.hpp>

#include "core/deadline.h"
#include "tls/openssl_errors.h"

namespace tlsdoctor::tls {

// A file descriptor closed when it goes out of scope.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const noexcept { return fd_; }
  int release() noexcept;
  explicit operator bool() const noexcept { return fd_ >= 0; }

 private:
  int fd_;
};

// While alive, SIGPIPE is blocked on this thread: a peer that hangs up mid-handshake makes
// OpenSSL's write() fail with EPIPE instead of killing the process. A SIGPIPE raised meanwhile
// is discarded before the old mask comes back. Other threads are untouched.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock();
  ~ScopedSigpipeBlock();
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  bool was_blocked_ = false;
};

// Opens a non-blocking TCP connection to `address`, failing when `deadline` passes first.
tl::expected<UniqueFd, std::string> connect_tcp(const sockaddr_in& address, const Deadline& deadline);

// Why a connect failed, kept apart so that callers can classify it (refused, unreachable, ...).
struct ConnectError {
  int system_errno = 0;    // 0 when the deadline passed first
  bool timed_out = false;
  std::string message;     // "connect: Connection refused", "connect timed out"
};

// The same for any address family (IPv4 or IPv6): `address` holds `length` bytes of a sockaddr.
tl::expected<UniqueFd, ConnectError> connect_tcp(const sockaddr_storage& address, socklen_t length,
                                                 const Deadline& deadline);

enum class HandshakeSide { Client, Server };

struct HandshakeIoResult {
  bool ok = false;
  bool timed_out = false;
  int ssl_error = 0;     // SSL_get_error() of the failing call
  int system_errno = 0;  // errno when ssl_error is SSL_ERROR_SYSCALL
  std::vector<OpenSslError> errors;
};

// Runs SSL_connect or SSL_accept on `ssl` (its fd non-blocking) until it completes, fails, or
// `deadline` passes.
HandshakeIoResult run_handshake(SSL* ssl, HandshakeSide side, const Deadline& deadline);

}  // namespace tlsdoctor::tls
