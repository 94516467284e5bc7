// Debian's mitmdump started by the lab on 127.0.0.1: a real TLS-intercepting proxy with a CA of its own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <tl/expected.hpp>

#include "lab/background_process.h"
#include "lab/temp_tree.h"

namespace tlsdoctor::lab {

class MitmProxy {
 public:
  // Starts mitmdump on a free port with a fresh configuration directory (where it makes its CA),
  // not verifying upstream certificates (the lab's are its own), and waits until it listens.
  // "mitmdump is not installed" when it is missing.
  static tl::expected<std::unique_ptr<MitmProxy>, std::string> start();
  MitmProxy(TempTree dir, std::uint16_t port, std::unique_ptr<BackgroundProcess> process)
      : dir_(std::move(dir)), port_(port), process_(std::move(process)) {}
  MitmProxy(const MitmProxy&) = delete;
  MitmProxy& operator=(const MitmProxy&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Its CA certificate (PEM), to build a trust store that trusts it.
  std::filesystem::path ca_certificate() const { return dir_.path() / "mitmproxy-ca-cert.pem"; }
  const std::filesystem::path& directory() const { return dir_.path(); }
  std::string logs() const { return process_ ? process_->stderr_so_far() : std::string(); }

 private:
  TempTree dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace tlsdoctor::lab
