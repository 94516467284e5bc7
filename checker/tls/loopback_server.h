// An in-process TLS server on 127.0.0.1 with one port per TLS version, each pinned to exactly that version.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"
#include "tls/handshake_io.h"
#include "tls/openssl_handles.h"
#include "tls/tls_version.h"

namespace tlsdoctor::tls {

// Serves handshakes on a thread of its own until destroyed. Every port accepts any cipher at
// security level 0 with a P-384 certificate, so that only the client's policy can refuse.
class LoopbackServer {
  struct StartTag {
    explicit StartTag() = default;
  };

 public:
  // Binds 127.0.0.1 port 0 once per version. Errors: no certificate, a context OpenSSL refuses
  // to pin to the version, a socket that cannot be bound.
  static tl::expected<std::unique_ptr<LoopbackServer>, Error> start(std::span<const TlsVersion> versions,
                                                                     std::chrono::milliseconds handshake_timeout);
  // Public for make_unique; only start() can name the tag.
  explicit LoopbackServer(const StartTag&) {}
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // Where the port for `version` listens; nullopt if that version was not started.
  std::optional<sockaddr_in> address(TlsVersion version) const;

  // How many connections the port has finished with.
  int connections_done(TlsVersion version) const;
  // Waits until the port has finished with more than `before` connections, at most `timeout`;
  // then returns the server's own failure for the latest one ("" when it completed).
  std::optional<std::string> wait_for_connection(TlsVersion version, int before,
                                                 std::chrono::milliseconds timeout) const;

 private:
  struct Listener {
    TlsVersion version = TlsVersion::Tls1_2;
    UniqueFd fd;
    SslCtxPtr ctx;
    sockaddr_in address{};
    int done = 0;
    std::string last_failure;
  };

  void serve();
  void handle(Listener& listener, UniqueFd connection);
  const Listener* find(TlsVersion version) const;

  std::vector<Listener> listeners_;
  std::chrono::milliseconds handshake_timeout_{0};
  UniqueFd wake_;  // eventfd: written once to stop the thread
  mutable std::mutex mutex_;
  mutable std::condition_variable finished_;
  std::thread thread_;
};

}  // namespace tlsdoctor::tls
