// A loopback TCP relay for probe tests: holds new connections for a delay (a network round trip), or plays a tiny CONNECT proxy.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <list>
#include <mutex>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "tls/dns.h"
#include "tls/handshake_io.h"

namespace tlsdoctor::test {

// How the relay treats a new connection before passing bytes.
struct RelayOptions {
  std::chrono::milliseconds delay{0};  // held this long first
  // Read an HTTP CONNECT request first and answer it with `connect_answer` (a status line);
  // bytes are relayed only when the answer is 200.
  bool http_connect = false;
  std::string connect_answer = "HTTP/1.1 200 Connection established";
};

// Sits in front of a server on 127.0.0.1 and passes bytes both ways until either side closes.
// Stops and joins its threads when destroyed.
class TestRelay {
 public:
  static constexpr std::size_t kBufferBytes = 16 * 1024;
  static constexpr std::size_t kMaxRequestBytes = 8 * 1024;
  static constexpr int kBacklog = 256;

  TestRelay(const std::string& upstream, std::uint16_t upstream_port, RelayOptions options)
      : options_(std::move(options)) {
    auto target = tls::literal_address(upstream, upstream_port);
    REQUIRE(target);
    upstream_ = *target;
    listener_ = tls::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    stop_ = tls::UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    REQUIRE((listener_ && stop_));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    REQUIRE(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&address), length) == 0);
    REQUIRE(::listen(listener_.get(), kBacklog) == 0);
    REQUIRE(::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~TestRelay() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(stop_.get(), &one, sizeof(one));
    acceptor_.join();
    std::lock_guard lock(mutex_);
    for (auto& worker : workers_) worker.join();
  }
  TestRelay(const TestRelay&) = delete;
  TestRelay& operator=(const TestRelay&) = delete;

  std::uint16_t port() const { return port_; }

 private:
  // The events of `fd`, 0 when `timeout_ms` passed, -1 when the relay is stopping.
  short wait(int fd, short events, int timeout_ms) const {
    std::array<pollfd, 2> fds{pollfd{stop_.get(), POLLIN, 0}, pollfd{fd, events, 0}};
    if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return 0;
    if (fds[0].revents != 0) return -1;
    return fds[1].revents;
  }

  void accept_loop() {
    for (;;) {
      if (wait(listener_.get(), POLLIN, -1) <= 0) return;
      tls::UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
      if (!client) continue;
      std::lock_guard lock(mutex_);
      workers_.emplace_back([this, fd = std::move(client)]() mutable { relay(std::move(fd)); });
    }
  }

  // Reads the CONNECT request (up to the blank line) and answers it; true when it may go on.
  bool answer_connect(int client) const {
    std::string request;
    std::array<char, 512> chunk{};
    while (request.find("\r\n\r\n") == std::string::npos) {
      if (request.size() > kMaxRequestBytes || wait(client, POLLIN, 5000) <= 0) return false;
      const auto got = ::recv(client, chunk.data(), chunk.size(), MSG_DONTWAIT);
      if (got == 0 || (got < 0 && errno != EAGAIN)) return false;
      if (got > 0) request.append(chunk.data(), static_cast<std::size_t>(got));
    }
    if (request.rfind("CONNECT ", 0) != 0) return false;
    const std::string answer = options_.connect_answer + "\r\nContent-Length: 0\r\n\r\n";
    if (!send_all(client, answer.data(), answer.size())) return false;
    return options_.connect_answer.find(" 200 ") != std::string::npos;
  }

  void relay(tls::UniqueFd client) {
    if (options_.delay.count() > 0 && wait(-1, 0, static_cast<int>(options_.delay.count())) < 0) return;
    if (options_.http_connect && !answer_connect(client.get())) return;
    auto upstream = tls::connect_tcp(upstream_.storage, upstream_.length, Deadline::after(std::chrono::seconds(5)));
    if (!upstream) return;
    std::array<char, kBufferBytes> buffer{};
    for (;;) {
      std::array<pollfd, 3> fds{pollfd{stop_.get(), POLLIN, 0}, pollfd{client.get(), POLLIN, 0},
                                pollfd{upstream->get(), POLLIN, 0}};
      if (::poll(fds.data(), fds.size(), -1) <= 0 || fds[0].revents != 0) return;
      for (std::size_t side = 1; side <= 2; ++side) {
        if (fds[side].revents == 0) continue;
        const int to = side == 1 ? upstream->get() : client.get();
        const auto got = ::recv(fds[side].fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (got == 0 || (got < 0 && errno != EAGAIN)) return;
        if (got > 0 && !send_all(to, buffer.data(), static_cast<std::size_t>(got))) return;
      }
    }
  }

  bool send_all(int fd, const char* data, std::size_t size) const {
    while (size > 0) {
      const auto sent = ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent < 0 && errno == EAGAIN) {
        if (wait(fd, POLLOUT, -1) < 0) return false;
        continue;
      }
      if (sent <= 0) return false;
      data += sent;
      size -= static_cast<std::size_t>(sent);
    }
    return true;
  }

  RelayOptions options_;
  tls::ResolvedAddress upstream_;
  tls::UniqueFd listener_;
  tls::UniqueFd stop_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::list<std::thread> workers_;
  std::thread acceptor_;
};

}  // namespace tlsdoctor::test
