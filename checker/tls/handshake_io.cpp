// Non-blocking connect and handshake loops over poll(2), each bounded by a deadline.
#include "tls/handshake_io.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include <openssl/err.h>

namespace tlsdoctor::tls {
namespace {

// Waits until `fd` is ready for `events` or the deadline passes; false on timeout.
bool wait_for(int fd, short events, const Deadline& deadline) {
  for (;;) {
    const auto left = deadline.remaining();
    if (left.count() <= 0) return false;
    pollfd pfd{fd, events, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return true;  // let the next I/O call report the error
  }
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

int UniqueFd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

ScopedSigpipeBlock::ScopedSigpipeBlock() {
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  was_blocked_ = sigismember(&old, SIGPIPE) == 1;
}

ScopedSigpipeBlock::~ScopedSigpipeBlock() {
  if (was_blocked_) return;
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  // Take any SIGPIPE our writes raised, so unblocking does not deliver it.
  const timespec no_wait{0, 0};
  while (sigtimedwait(&pipe_only, nullptr, &no_wait) == SIGPIPE) {
  }
  pthread_sigmask(SIG_UNBLOCK, &pipe_only, nullptr);
}

tl::expected<UniqueFd, ConnectError> connect_tcp(const sockaddr_storage& address, socklen_t length,
                                                 const Deadline& deadline) {
  auto failed = [](std::string step, int error) {
    return tl::unexpected(ConnectError{error, false, step + ": " + std::strerror(error)});
  };
  UniqueFd fd(::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return failed("socket", errno);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), length) == 0) return fd;
  if (errno != EINPROGRESS) return failed("connect", errno);
  if (!wait_for(fd.get(), POLLOUT, deadline)) {
    return tl::unexpected(ConnectError{0, true, "connect timed out"});
  }
  int error = 0;
  socklen_t len = sizeof(error);
  if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &len) != 0) error = errno;
  if (error != 0) return failed("connect", error);
  return fd;
}

tl::expected<UniqueFd, std::string> connect_tcp(const sockaddr_in& address, const Deadline& deadline) {
  sockaddr_storage storage{};
  std::memcpy(&storage, &address, sizeof(address));
  auto connected = connect_tcp(storage, sizeof(address), deadline);
  if (!connected) return tl::unexpected(std::move(connected.error().message));
  return std::move(*connected);
}

HandshakeIoResult run_handshake(SSL* ssl, HandshakeSide side, const Deadline& deadline) {
  HandshakeIoResult result;
  const int fd = SSL_get_fd(ssl);
  for (;;) {
    ERR_clear_error();
    errno = 0;
    const int rc = side == HandshakeSide::Client ? SSL_connect(ssl) : SSL_accept(ssl);
    const int saved_errno = errno;
    if (rc == 1) {
      result.ok = true;
      return result;
    }
    const int error = SSL_get_error(ssl, rc);
    short events = 0;
    if (error == SSL_ERROR_WANT_READ) {
      events = POLLIN;
    } else if (error == SSL_ERROR_WANT_WRITE) {
      events = POLLOUT;
    } else {
      result.ssl_error = error;
      result.system_errno = error == SSL_ERROR_SYSCALL ? saved_errno : 0;
      result.errors = take_openssl_errors();
      return result;
    }
    if (!wait_for(fd, events, deadline)) {
      result.timed_out = true;
      return result;
    }
  }
}

}  // namespace tlsdoctor::tls
