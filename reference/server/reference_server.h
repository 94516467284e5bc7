// tlsdoctor-reference's server: TLS listeners on Boost.Asio that hand each request to the router.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"
#include "reference/server/router.h"
#include "reference/server/server_tls.h"

namespace tlsdoctor::reference {

struct ServerSettings {
  // "127.0.0.1:0", "[::]:443", "0.0.0.0:8443"; port 0 picks a free one (see ports()).
  std::vector<std::string> listen;
  ServerIdentity identity;
  std::size_t threads = 2;  // io_context threads; handshakes are the CPU cost
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

  // The bound ports, in the order of settings.listen.
  std::vector<std::uint16_t> ports() const;
  // Stops accepting, lets connections in flight finish for up to kShutdownGrace, then stops.
  void stop();

  struct Impl;

 private:
  explicit ReferenceServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses "ADDR:PORT" ("[v6]:port" for IPv6) into address text and port; errors name the text.
struct ListenAddress {
  std::string address;
  std::uint16_t port = 0;
};
tl::expected<ListenAddress, Error> parse_listen_address(const std::string& text);

}  // namespace tlsdoctor::reference
