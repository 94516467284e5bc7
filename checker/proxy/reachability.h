// Whether a proxy's host resolves and accepts a TCP connection, within a deadline.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/deadline.h"
#include "proxy/proxy_url.h"

namespace tlsdoctor::proxy {

// A proxy on the LAN or across a VPN accepts a connection in well under a second; 3 s allows
// a slow DNS answer as well, without letting one dead proxy eat the run's budget.
inline constexpr std::chrono::milliseconds kProxyConnectBudget{3000};

enum class ReachFailure { None, DoesNotResolve, Refused, TimedOut, Other };

// "", "does_not_resolve", "refused", "timed_out", "other".
std::string_view to_string(ReachFailure failure);

struct Reachability {
  ReachFailure failure = ReachFailure::None;
  std::string error;  // libcurl's message when it failed ("Failed to connect to ... Connection refused")
  std::chrono::milliseconds elapsed{0};

  bool reachable() const { return failure == ReachFailure::None; }
};

struct ReachOptions {
  // libcurl CONNECT_TO entries ("HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT"), as in
  // PacFetchOptions: lets tests send a named proxy to 127.0.0.1 without DNS.
  std::vector<std::string> connect_to;
};

// Resolves the proxy's host and opens a TCP connection to it, then closes it; nothing is sent.
// libcurl's threaded resolver keeps the DNS step inside the deadline too.
Reachability check_proxy_reachable(const ProxyUrl& proxy, const Deadline& deadline,
                                   const ReachOptions& options = {});

}  // namespace tlsdoctor::proxy
