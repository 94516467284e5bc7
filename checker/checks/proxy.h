// The proxy check: which proxy each source sets, whether the sources agree, whether the proxy
// in use answers, and whether a PAC file works.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checks/check.h"

namespace tlsdoctor::checks {

// The URL whose route the check reports. A public name outside every intranet suffix, so that
// NO_PROXY entries for internal hosts do not hide the proxy; www.example.com is reserved for
// exactly such uses (RFC 2606). PAC scripts may look it up in DNS (dnsResolve, isInNet).
inline constexpr std::string_view kProxyCheckUrl = "https://www.example.com/";

struct ProxyCheckOptions {
  std::string url = std::string(kProxyCheckUrl);
  // libcurl CONNECT_TO entries for PAC downloads and proxy connections
  // ("HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT"): --resolve-style overrides, and tests.
  std::vector<std::string> connect_to;
};

class ProxyCheck : public Check {
 public:
  ProxyCheck() = default;
  explicit ProxyCheck(ProxyCheckOptions options) : options_(std::move(options)) {}

  std::string_view id() const override { return "proxy"; }
  std::string_view title() const override { return "Proxy settings"; }
  CheckResult run(const Context& ctx) const override;

 private:
  ProxyCheckOptions options_;
};

}  // namespace tlsdoctor::checks
