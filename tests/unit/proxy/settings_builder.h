// Hand-built ProxySettings for tests of the proxy logic (no files, no programs).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "platform/proxy_settings.h"

namespace tlsdoctor::test {

// All four sources readable and empty: a machine with no proxy anywhere. Tests add entries.
inline platform::ProxySettings empty_proxy_settings() {
  platform::ProxySettings s;
  for (const auto kind : {platform::ProxySourceKind::ProcessEnvironment,
                          platform::ProxySourceKind::EtcEnvironment, platform::ProxySourceKind::Gnome,
                          platform::ProxySourceKind::Kde}) {
    platform::ProxySource src;
    src.kind = kind;
    src.origin = std::string(platform::to_string(kind));
    src.readable = true;
    s.sources.push_back(std::move(src));
  }
  return s;
}

inline platform::ProxySource& source(platform::ProxySettings& s, platform::ProxySourceKind kind) {
  return s.sources[static_cast<std::size_t>(kind)];
}

// Adds an environment-style variable (role from its name) to the process environment or
// /etc/environment.
inline void set_var(platform::ProxySettings& s, platform::ProxySourceKind kind, const std::string& name,
                    const std::string& value) {
  using platform::ProxyRole;
  std::string lower;
  for (const char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  const ProxyRole role = lower == "http_proxy"    ? ProxyRole::Http
                         : lower == "https_proxy" ? ProxyRole::Https
                         : lower == "ftp_proxy"   ? ProxyRole::Ftp
                         : lower == "all_proxy"   ? ProxyRole::All
                         : lower == "no_proxy"    ? ProxyRole::NoProxy
                                                  : ProxyRole::Other;
  source(s, kind).entries.push_back({role, name, value, std::nullopt});
}

inline void set_env(platform::ProxySettings& s, const std::string& name, const std::string& value) {
  set_var(s, platform::ProxySourceKind::ProcessEnvironment, name, value);
}

inline void set_desktop(platform::ProxySettings& s, platform::ProxySourceKind kind,
                        platform::DesktopProxyMode mode,
                        std::vector<std::pair<platform::ProxyRole, std::string>> entries = {}) {
  auto& src = source(s, kind);
  src.mode = mode;
  src.mode_raw = std::string(platform::to_string(mode));
  for (auto& [role, value] : entries) {
    src.entries.push_back({role, std::string(platform::to_string(role)), std::move(value), std::nullopt});
  }
}

}  // namespace tlsdoctor::test
