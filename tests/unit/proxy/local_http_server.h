// A tiny HTTP/1.0 server on 127.0.0.1 (port chosen by the kernel) for PAC download tests.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace tlsdoctor::test {

// Serves fixed responses by request path; unknown paths get 404. Every response closes the
// connection. Runs on its own thread until destroyed.
class LocalHttpServer {
 public:
  struct Response {
    int status = 200;
    std::string content_type = "application/x-ns-proxy-autoconfig";
    std::string body;
  };

  LocalHttpServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0) {
      ::close(fd_);
      throw std::runtime_error("bind/listen on 127.0.0.1 failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LocalHttpServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  void set(const std::string& path, Response response) {
    std::lock_guard lock(mutex_);
    routes_[path] = std::move(response);
  }
  // A Location header for the answers to `path` (a redirect's target).
  void set_location(const std::string& path, std::string location) {
    std::lock_guard lock(mutex_);
    locations_[path] = std::move(location);
  }
  int requests() const { return requests_; }

 private:
  void serve() {
    while (!stop_) {
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 50) <= 0) continue;
      const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      handle(client);
      ::close(client);
    }
  }

  void handle(int client) {
    std::string request;
    char buf[2048];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
      pollfd pfd{client, POLLIN, 0};
      if (::poll(&pfd, 1, 2000) <= 0) return;
      const ssize_t n = ::recv(client, buf, sizeof buf, 0);
      if (n <= 0) return;
      request.append(buf, static_cast<std::size_t>(n));
    }
    ++requests_;
    const auto first_space = request.find(' ');
    const auto second_space = request.find(' ', first_space + 1);
    const std::string path = request.substr(first_space + 1, second_space - first_space - 1);
    Response response{404, "text/plain", "not found"};
    std::string location;
    {
      std::lock_guard lock(mutex_);
      if (auto it = routes_.find(path); it != routes_.end()) response = it->second;
      if (auto it = locations_.find(path); it != locations_.end()) location = it->second;
    }
    const std::string head = "HTTP/1.0 " + std::to_string(response.status) + " X\r\nContent-Type: " +
                             response.content_type + "\r\n" +
                             (location.empty() ? "" : "Location: " + location + "\r\n") +
                             "Content-Length: " +
                             std::to_string(response.body.size()) + "\r\nConnection: close\r\n\r\n";
    const std::string all = head + response.body;
    std::size_t sent = 0;
    while (sent < all.size()) {
      const ssize_t n = ::send(client, all.data() + sent, all.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::map<std::string, Response> routes_;
  std::map<std::string, std::string> locations_;
  std::thread thread_;
};

// A TCP port on 127.0.0.1 that accepts connections (the kernel completes the handshake from the
// backlog; nothing is read), for "the proxy is reachable".
class LocalListener {
 public:
  LocalListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 16) != 0) {
      throw std::runtime_error("listen on 127.0.0.1 failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~LocalListener() { ::close(fd_); }
  LocalListener(const LocalListener&) = delete;
  LocalListener& operator=(const LocalListener&) = delete;
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// A port on 127.0.0.1 where nothing listens: bound once to learn a free number, then closed.
inline std::uint16_t closed_local_port() {
  LocalListener probe;
  return probe.port();
}

}  // namespace tlsdoctor::test
