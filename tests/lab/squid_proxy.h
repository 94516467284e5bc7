// Debian's squid started by the lab on a free loopback port with a configuration the test chooses: the real proxy for route tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <tl/expected.hpp>

#include "lab/background_process.h"
#include "lab/loopback_port.h"
#include "lab/temp_tree.h"

namespace tlsdoctor::lab {

enum class SquidMode {
  Open,               // CONNECT anywhere (loopback included), no credentials
  BasicAuth,          // Basic authentication required (kSquidUser / kSquidPassword)
  DenyConnectToPort,  // CONNECT to SquidOptions::denied_port refused (403), others allowed
  DigestAuth,         // Digest authentication required (kSquidUser / kSquidPassword)
  // NTLM required, checked by squid's ntlm_fake_auth: any user and password pass once the
  // three-message NTLM exchange is complete, which is what a test of the client side needs.
  NtlmAuth,
};

inline constexpr const char* kSquidUser = "alice";
inline constexpr const char* kSquidPassword = "wonderland";

struct SquidOptions {
  SquidMode mode = SquidMode::Open;
  std::uint16_t denied_port = 0;  // DenyConnectToPort
};

class SquidProxy {
 public:
  // Writes the configuration into a directory of its own, starts `squid -N` on 127.0.0.1 and a
  // free port, and waits (bounded) until it accepts connections. Errors name what failed, with
  // squid's own output; "squid is not installed" when it is missing.
  static tl::expected<std::unique_ptr<SquidProxy>, std::string> start(const SquidOptions& options);
  SquidProxy(TempTree dir, std::uint16_t port, std::unique_ptr<BackgroundProcess> process,
             std::chrono::milliseconds startup_time)
      : dir_(std::move(dir)), port_(port), process_(std::move(process)), startup_time_(startup_time) {}
  // Stops squid (SIGINT, then SIGKILL after a short grace) and removes its directory.
  ~SquidProxy();
  SquidProxy(const SquidProxy&) = delete;
  SquidProxy& operator=(const SquidProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT", or with credentials "http://user:password@127.0.0.1:PORT".
  std::string url() const;
  std::string url_with(const std::string& user, const std::string& password) const;
  // squid's access log and cache log, for a failing test to show.
  std::string logs() const;
  // From starting the program until it accepted a connection.
  std::chrono::milliseconds startup_time() const { return startup_time_; }

 private:
  TempTree dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
  std::chrono::milliseconds startup_time_{0};
};

// One squid per distinct options for the whole test binary, started on first use and stopped
// at exit, so tests share it rather than paying a start each. A failed start is remembered
// and returned again without retrying.
tl::expected<SquidProxy*, std::string> shared_squid(const SquidOptions& options);

}  // namespace tlsdoctor::lab
