// Debian's nginx started by the lab on 127.0.0.1 with the TLS configuration a scenario chooses: real misconfigured sites.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "lab/background_process.h"
#include "lab/scenario_pki.h"
#include "lab/temp_tree.h"

namespace tlsdoctor::lab {

// One `server` block. Certificates are written into the server's own directory.
struct NginxSite {
  std::string server_name;  // "" for a catch-all
  bool default_server = false;
  ServedIdentity identity;  // certificate (with key) and the chain after it; empty with reject_handshake
  std::string protocols = "TLSv1.2 TLSv1.3";
  std::string ciphers;      // ssl_ciphers; nginx's default when empty
  bool weak_dh = false;     // ssl_dhparam with a 1024-bit group (pair with DHE-only ciphers)
  bool require_client_certificate = false;  // ssl_verify_client on, against the lab root
  bool reject_handshake = false;            // ssl_reject_handshake on: unrecognized_name for this block's names
};

class NginxServer {
 public:
  // Writes the configuration and files into a directory of its own, checks it with `nginx -t`,
  // starts nginx in the foreground on a free port and waits (bounded) until it serves. Errors
  // name what failed with nginx's own words; "nginx is not installed" when it is missing.
  // `address`: where it listens (127.0.0.1, or a lab namespace's host end).
  static tl::expected<std::unique_ptr<NginxServer>, std::string> start(const std::vector<NginxSite>& sites,
                                                                       const std::string& address = "127.0.0.1");
  NginxServer(TempTree dir, std::uint16_t port, std::unique_ptr<BackgroundProcess> process)
      : dir_(std::move(dir)), port_(port), process_(std::move(process)) {}
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  std::uint16_t port() const { return port_; }
  // Its configuration and error output, for a failing scenario to show.
  std::string logs() const;

 private:
  TempTree dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace tlsdoctor::lab
