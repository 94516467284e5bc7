// Debian's squid started by the lab on a free loopback port with a configuration the test chooses: the real proxy for route tests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <tl/expected.hpp>

#include "lab/background_process.h"
#include "lab/temp_tree.h"

namespace tlsdoctor::lab {

enum class SquidMode {
  Open,               // CONNECT anywhere, no credentials
  BasicAuth,          // Basic authentication required (kSquidUser / kSquidPassword)
  DenyConnectToPort,  // CONNECT to SquidOptions::denied_port refused (403), others allowed
};

inline constexpr const char* kSquidUser = "alice";
inline constexpr const char* kSquidPassword = "wonderland";

struct SquidOptions {
  SquidMode mode = SquidMode::Open;
  std::uint16_t denied_port = 0;  // DenyConnectToPort
};

class SquidProxy {
 public:
  // Writes the configuration into a directory of its own, starts `squid -N` and waits until it
  // accepts connections. Errors name what failed, with squid's own output.
  static tl::expected<std::unique_ptr<SquidProxy>, std::string> start(const SquidOptions& options);
  SquidProxy(TempTree dir, std::uint16_t port, std::unique_ptr<BackgroundProcess> process)
      : dir_(std::move(dir)), port_(port), process_(std::move(process)) {}
  ~SquidProxy();
  SquidProxy(const SquidProxy&) = delete;
  SquidProxy& operator=(const SquidProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT", or with credentials "http://user:password@127.0.0.1:PORT".
  std::string url() const;
  std::string url_with(const std::string& user, const std::string& password) const;
  // squid's access log and cache log, for a failing test to show.
  std::string logs() const;

 private:
  TempTree dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

// A loopback port where nothing listens (bound, then closed), for "proxy down".
std::uint16_t unused_loopback_port();

}  // namespace tlsdoctor::lab
