// A scripted HTTP proxy on 127.0.0.1 for tests of the CONNECT route: hangs up, answers what the test says, or stays silent.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

namespace tlsdoctor::test {

// A scripted "proxy" on 127.0.0.1, serving one connection after another: it hangs up at once,
// answers each request with what `respond` returns (nullopt: hang up), or reads and stays silent
// until destroyed.
class FakeProxy {
 public:
  enum class Behaviour { CloseAtOnce, Answer, Silent };
  using Responder = std::function<std::optional<std::string>(const std::string& request)>;

  explicit FakeProxy(Behaviour behaviour, Responder respond = {})
      : behaviour_(behaviour), respond_(std::move(respond)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(listener_, 4) == 0);
    REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  // The same answer to every request.
  FakeProxy(Behaviour behaviour, std::string answer)
      : FakeProxy(behaviour, [answer = std::move(answer)](const std::string&) { return answer; }) {}
  ~FakeProxy() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }
  FakeProxy(const FakeProxy&) = delete;
  FakeProxy& operator=(const FakeProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string url_with(const std::string& credentials) const {
    return "http://" + credentials + "@127.0.0.1:" + std::to_string(port_);
  }
  std::vector<std::string> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }
  std::string request() const {
    const auto all = requests();
    return all.empty() ? std::string() : all.front();
  }

 private:
  // A request head bigger than this is not what libcurl sends; the fake stops reading.
  static constexpr std::size_t kMaxRequestBytes = 64 * 1024;

  // Waits for `fd` to be readable in short steps so that the destructor can always stop us.
  bool readable(int fd) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }

  void serve() {
    while (readable(listener_)) {
      const int c = ::accept(listener_, nullptr, nullptr);
      if (c < 0) continue;
      if (behaviour_ != Behaviour::CloseAtOnce) serve_connection(c);
      ::close(c);
    }
  }

  void serve_connection(int c) {
    std::string pending;
    while (readable(c)) {
      std::array<char, 4096> buffer{};
      const auto n = ::recv(c, buffer.data(), buffer.size(), 0);
      if (n <= 0) return;
      pending.append(buffer.data(), static_cast<std::size_t>(n));
      const auto head_end = pending.find("\r\n\r\n");
      if (head_end == std::string::npos) {
        if (pending.size() > kMaxRequestBytes) return;
        continue;
      }
      const std::string request = pending.substr(0, head_end + 4);
      pending.erase(0, head_end + 4);
      {
        const std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      if (behaviour_ == Behaviour::Silent) continue;
      const auto answer = respond_(request);
      if (!answer) return;
      (void)::send(c, answer->data(), answer->size(), MSG_NOSIGNAL);
    }
  }

  Behaviour behaviour_;
  Responder respond_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace tlsdoctor::test
