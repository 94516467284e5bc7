// The hello catcher: one poll loop over the listener and every open connection, each with its own deadline.
#include "lab/hello_capture.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <span>

#include "tls/client_hello.h"

namespace tlsdoctor::lab {
namespace {

using Clock = std::chrono::steady_clock;

// A few clients at once is all the lab runs; more wait in the backlog.
constexpr std::size_t kMaxOpenConnections = 16;
constexpr int kListenBacklog = 16;
// Record headers can at most double a hello's size unless a client splits it into tiny records;
// a capture that goes past this is reported rather than kept growing.
constexpr std::size_t kMaxRecordBytes = 2 * tls::kMaxClientHelloBytes;
// Captures are kept for the test to read; a runaway client loop must not grow them forever.
constexpr std::size_t kMaxCaptures = 1024;
constexpr std::size_t kReadChunk = 16 * 1024;

}  // namespace

struct HelloCapture::Connection {
  tls::UniqueFd fd;
  Clock::time_point deadline;
  CapturedHello capture;
  tls::ClientHelloAssembler assembler;
};

tl::expected<std::unique_ptr<HelloCapture>, std::string> HelloCapture::start(std::chrono::milliseconds per_connection) {
  auto capture = std::make_unique<HelloCapture>(StartTag{});
  capture->per_connection_ = per_connection;
  capture->listener_ = tls::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!capture->listener_) return tl::unexpected(std::string("socket: ") + std::strerror(errno));
  sockaddr_in& address = capture->address_;
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (::bind(capture->listener_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(capture->listener_.get(), kListenBacklog) != 0 ||
      ::getsockname(capture->listener_.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return tl::unexpected(std::string("bind 127.0.0.1: ") + std::strerror(errno));
  }
  capture->wake_ = tls::UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!capture->wake_) return tl::unexpected(std::string("eventfd: ") + std::strerror(errno));
  capture->thread_ = std::thread([raw = capture.get()] { raw->serve(); });
  return capture;
}

HelloCapture::~HelloCapture() {
  if (thread_.joinable()) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_.get(), &one, sizeof(one));
    thread_.join();
  }
}

std::vector<CapturedHello> HelloCapture::captured() const {
  std::lock_guard lock(mutex_);
  return captured_;
}

std::vector<CapturedHello> HelloCapture::wait_for(std::size_t before, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  finished_.wait_for(lock, timeout, [&] { return captured_.size() > before; });
  return captured_;
}

void HelloCapture::finish(Connection& connection, std::string error) {
  if (error.empty()) {
    connection.capture.message = connection.assembler.message();
  } else {
    connection.capture.error = std::move(error);
  }
  connection.fd = tls::UniqueFd();  // hang up: the client sees the connection drop
  {
    std::lock_guard lock(mutex_);
    if (captured_.size() < kMaxCaptures) captured_.push_back(std::move(connection.capture));
  }
  finished_.notify_all();
}

void HelloCapture::serve() {
  const tls::ScopedSigpipeBlock no_sigpipe;
  std::vector<Connection> open;
  std::vector<pollfd> fds;
  std::array<std::uint8_t, kReadChunk> buffer{};
  for (;;) {
    fds.clear();
    fds.push_back(pollfd{wake_.get(), POLLIN, 0});
    fds.push_back(pollfd{listener_.get(), static_cast<short>(open.size() < kMaxOpenConnections ? POLLIN : 0), 0});
    auto wait = std::chrono::milliseconds(-1);
    const auto now = Clock::now();
    for (const auto& connection : open) {
      fds.push_back(pollfd{connection.fd.get(), POLLIN, 0});
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(connection.deadline - now);
      const auto bounded = std::max(left, std::chrono::milliseconds(0)) + std::chrono::milliseconds(1);
      if (wait.count() < 0 || bounded < wait) wait = bounded;
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || (fds[0].revents & POLLIN) != 0) return;

    for (std::size_t i = 0; i < open.size(); ++i) {
      Connection& connection = open[i];
      if ((fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        const ssize_t n = ::recv(connection.fd.get(), buffer.data(), buffer.size(), 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0) {
          finish(connection, n == 0 ? "the client closed before a whole ClientHello"
                                    : std::string("recv: ") + std::strerror(errno));
          continue;
        }
        const std::span<const std::uint8_t> read(buffer.data(), static_cast<std::size_t>(n));
        auto& records = connection.capture.records;
        if (records.size() + read.size() > kMaxRecordBytes) {
          finish(connection, "more than " + std::to_string(kMaxRecordBytes) + " bytes of records");
          continue;
        }
        records.insert(records.end(), read.begin(), read.end());
        auto done = connection.assembler.feed(read);
        if (!done) {
          finish(connection, done.error());
        } else if (*done) {
          finish(connection, "");
        }
      } else if (Clock::now() >= connection.deadline) {
        finish(connection, "no whole ClientHello within the deadline");
      }
    }
    std::erase_if(open, [](const Connection& connection) { return !connection.fd; });

    if ((fds[1].revents & POLLIN) != 0) {
      sockaddr_in peer{};
      socklen_t length = sizeof(peer);
      tls::UniqueFd fd(::accept4(listener_.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (fd) {
        Connection connection;
        connection.fd = std::move(fd);
        connection.deadline = Clock::now() + per_connection_;
        connection.capture.client_port = ntohs(peer.sin_port);
        open.push_back(std::move(connection));
      }
    }
  }
}

}  // namespace tlsdoctor::lab
