// Which proxy variable libcurl 7.88 would use for a URL, with its raw value (what a probe hands to libcurl).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "proxy/effective_proxy.h"

namespace tlsdoctor::proxy {

struct EnvironmentProxyChoice {
  std::string variable;  // "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"
  std::string value;     // raw, credentials included: never render it (redact_credentials)
  // The no_proxy / NO_PROXY variable and entry that send this host direct despite the proxy.
  std::optional<std::string> bypass_variable;
  std::optional<std::string> bypass_entry;
};

// A variable's value, or nullopt when unset. libcurl treats an empty variable as unset, and so
// does this: callers may return "" or nullopt for empty ones.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// libcurl's order: <scheme>_proxy, then its upper-case form (never HTTP_PROXY: in CGI programs
// the "Proxy:" request header arrives as that variable), then all_proxy, ALL_PROXY; then
// no_proxy, or NO_PROXY only when no_proxy is unset. nullopt when no variable names a proxy.
std::optional<EnvironmentProxyChoice> choose_environment_proxy(const RequestTarget& target,
                                                               const EnvironmentLookup& lookup);

}  // namespace tlsdoctor::proxy
