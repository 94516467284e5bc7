// tlsdoctor-reference's server: TLS listeners on Boost.Asio that hand each request to the router.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"
#include "reference/server/router.h"
#include "reference/server/server_metrics.h"
#include "reference/server/server_tls.h"

namespace tlsdoctor::reference {

struct ServerSettings {
  // "127.0.0.1:0", "[::]:443", "0.0.0.0:8443"; port 0 picks a free one (see ports()).
  std::vector<std::string> listen;
  ServerIdentity identity;
  std::size_t threads = 2;  // io_context threads; handshakes are the CPU cost
  // Every connection starts with a PROXY protocol v2 header (HAProxy in TCP mode with
  // send-proxy-v2); the client address in answers is the one it carries. A connection without
  // one is closed: with this on, the listeners must be reachable only from the proxy.
  bool proxy_protocol = false;
  // Plain-HTTP listeners that answer kCaptivePortalPath with kCaptivePortalBody (optional).
  std::vector<std::string> captive_listen;
  // Called once per answered request with a JSON event (endpoint, status, error code, TLS
  // version, duration): no client address, no headers, no nonce. Empty: no request log.
  std::function<void(const nlohmann::json&)> request_log;
};

// Runs until stop() or destruction. Asio stays inside the implementation file, so that only
// one translation unit pays for its templates.
class ReferenceServer {
 public:
  // Binds every listen address (errors name the address), then serves on `threads` threads.
  // `router` must outlive the server.
  static tl::expected<std::unique_ptr<ReferenceServer>, Error> start(const ServerSettings& settings,
                                                                     const Router& router);
  ~ReferenceServer();
  ReferenceServer(const ReferenceServer&) = delete;
  ReferenceServer& operator=(const ReferenceServer&) = delete;

  // The bound ports, in the order of settings.listen (captive_ports: of captive_listen).
  std::vector<std::uint16_t> ports() const;
  std::vector<std::uint16_t> captive_ports() const;
  // What GET /metrics renders.
  const ServerMetrics& metrics() const;
  // Stops accepting, lets connections in flight finish for up to kShutdownGrace, then stops.
  void stop();

  struct Impl;

 private:
  explicit ReferenceServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tlsdoctor::reference
