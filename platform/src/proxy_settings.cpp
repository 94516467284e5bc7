// Stable names and lookups for proxy settings, the same on every OS.
#include "platform/proxy_settings.h"

#include <cstddef>

namespace tlsdoctor::platform {

std::string_view to_string(ProxySourceKind kind) {
  switch (kind) {
    case ProxySourceKind::ProcessEnvironment: return "environment";
    case ProxySourceKind::EtcEnvironment: return "etc_environment";
    case ProxySourceKind::Gnome: return "gnome";
    case ProxySourceKind::Kde: return "kde";
  }
  return "unknown";
}

std::string_view to_string(ProxyRole role) {
  switch (role) {
    case ProxyRole::Mode: return "mode";
    case ProxyRole::Http: return "http";
    case ProxyRole::Https: return "https";
    case ProxyRole::Ftp: return "ftp";
    case ProxyRole::Socks: return "socks";
    case ProxyRole::All: return "all";
    case ProxyRole::NoProxy: return "no_proxy";
    case ProxyRole::PacUrl: return "pac_url";
    case ProxyRole::Other: return "other";
  }
  return "other";
}

std::string_view to_string(DesktopProxyMode mode) {
  switch (mode) {
    case DesktopProxyMode::NotSet: return "not_set";
    case DesktopProxyMode::None: return "none";
    case DesktopProxyMode::Manual: return "manual";
    case DesktopProxyMode::PacUrl: return "pac_url";
    case DesktopProxyMode::AutoDetect: return "auto_detect";
    case DesktopProxyMode::FromEnvironment: return "from_environment";
  }
  return "not_set";
}

const ProxyEntry* ProxySource::find_key(std::string_view key) const {
  const ProxyEntry* found = nullptr;
  for (const auto& e : entries) {
    if (e.key == key) found = &e;
  }
  return found;
}

const ProxyEntry* ProxySource::find_role(ProxyRole role) const {
  for (const auto& e : entries) {
    if (e.role == role) return &e;
  }
  return nullptr;
}

const ProxySource& ProxySettings::source(ProxySourceKind kind) const {
  for (const auto& s : sources) {
    if (s.kind == kind) return s;
  }
  // read_proxy_settings fills all four; a hand-built ProxySettings (tests) may not.
  static const ProxySource kMissing[] = {
      {ProxySourceKind::ProcessEnvironment, "", false, "not read", {}, "", {}},
      {ProxySourceKind::EtcEnvironment, "", false, "not read", {}, "", {}},
      {ProxySourceKind::Gnome, "", false, "not read", {}, "", {}},
      {ProxySourceKind::Kde, "", false, "not read", {}, "", {}},
  };
  return kMissing[static_cast<std::size_t>(kind)];
}

}  // namespace tlsdoctor::platform
