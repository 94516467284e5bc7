// The lab's hello catcher: a plain TCP listener on loopback that keeps each client's ClientHello and hangs up.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <tl/expected.hpp>

#include "tls/handshake_io.h"

namespace tlsdoctor::lab {

struct CapturedHello {
  std::uint16_t client_port = 0;       // the client's source port, to find it in a packet capture
  std::vector<std::uint8_t> records;   // the bytes read, record headers included
  std::vector<std::uint8_t> message;   // the reassembled ClientHello; empty when `error` is set
  std::string error;                   // why there is no ClientHello (malformed, closed, too slow)
};

// Captures other programs' ClientHellos without being a TLS server: for each connection it
// reads records until one whole ClientHello is in (tls::ClientHelloAssembler), stores it and
// closes, so the client sees the connection drop. Serves on its own thread until destroyed.
class HelloCapture {
  struct StartTag {
    explicit StartTag() = default;
  };

 public:
  // Listens on 127.0.0.1 port 0. `per_connection` bounds how long one client may take to send
  // its ClientHello.
  static tl::expected<std::unique_ptr<HelloCapture>, std::string> start(
      std::chrono::milliseconds per_connection = std::chrono::milliseconds(3000));
  explicit HelloCapture(const StartTag&) {}
  ~HelloCapture();
  HelloCapture(const HelloCapture&) = delete;
  HelloCapture& operator=(const HelloCapture&) = delete;

  std::uint16_t port() const { return ntohs(address_.sin_port); }
  const sockaddr_in& address() const { return address_; }
  // Every connection finished so far, in the order they finished.
  std::vector<CapturedHello> captured() const;
  // Waits until more than `before` connections have finished, at most `timeout`; returns the
  // captures so far either way.
  std::vector<CapturedHello> wait_for(std::size_t before, std::chrono::milliseconds timeout) const;

 private:
  struct Connection;
  void serve();
  void finish(Connection& connection, std::string error);

  tls::UniqueFd listener_;
  sockaddr_in address_{};
  std::chrono::milliseconds per_connection_{0};
  tls::UniqueFd wake_;  // eventfd: written once to stop the thread
  mutable std::mutex mutex_;
  mutable std::condition_variable finished_;
  std::vector<CapturedHello> captured_;
  std::thread thread_;
};

}  // namespace tlsdoctor::lab
