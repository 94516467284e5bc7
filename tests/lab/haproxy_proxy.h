// Debian's haproxy started by the lab in TCP mode in front of a test's backend, sending PROXY protocol v2 on request.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <tl/expected.hpp>

#include "lab/background_process.h"
#include "lab/temp_tree.h"
#include "tls/handshake_io.h"

namespace tlsdoctor::lab {

struct HaproxyOptions {
  std::uint16_t backend_port = 0;  // the test's server on 127.0.0.1
  bool send_proxy_v2 = true;       // prefix every forwarded connection with a PROXY v2 header
};

class HaproxyProxy {
 public:
  // Writes the configuration into a directory of its own, starts `haproxy -W -db` (master and
  // one worker, in the foreground) on 127.0.0.1 and a free port, and waits (bounded) until the
  // master reports the worker ready. Errors name what failed, with haproxy's own output;
  // "haproxy is not installed" when it is missing. Works as root and as an ordinary user.
  static tl::expected<std::unique_ptr<HaproxyProxy>, std::string> start(const HaproxyOptions& options);
  HaproxyProxy(TempTree dir, std::uint16_t port, tls::UniqueFd log_socket, std::unique_ptr<BackgroundProcess> process,
               std::chrono::milliseconds startup_time)
      : dir_(std::move(dir)),
        port_(port),
        log_socket_(std::move(log_socket)),
        process_(std::move(process)),
        startup_time_(startup_time) {}
  // Stops haproxy (SIGINT, then SIGKILL after a short grace) and removes its directory.
  ~HaproxyProxy();
  HaproxyProxy(const HaproxyProxy&) = delete;
  HaproxyProxy& operator=(const HaproxyProxy&) = delete;

  // Where clients connect: 127.0.0.1:port().
  std::uint16_t port() const { return port_; }
  // haproxy's start-up output, then one line per finished connection (its TCP log, which it
  // sends to a UDP socket of ours: haproxy cannot write log files), for a failing test to show.
  std::string logs() const;
  // From starting the program until the master reported the worker ready.
  std::chrono::milliseconds startup_time() const { return startup_time_; }

 private:
  TempTree dir_;
  std::uint16_t port_ = 0;
  tls::UniqueFd log_socket_;
  std::unique_ptr<BackgroundProcess> process_;
  std::chrono::milliseconds startup_time_{0};
  // Log lines read so far: logs() drains the socket, and the kernel keeps only what fits its buffer.
  mutable std::string connection_log_;
};

}  // namespace tlsdoctor::lab
