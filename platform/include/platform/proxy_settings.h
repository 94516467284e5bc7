// Proxy settings as each source on this machine states them (environment, /etc/environment,
// GNOME, KDE, WPAD), raw strings with no judgement: the checker decides what they mean.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/env.h"

namespace tlsdoctor::platform {

// Where proxy settings come from on Linux.
enum class ProxySourceKind {
  ProcessEnvironment,  // this process's variables: what curl, wget, git, pip see
  EtcEnvironment,      // /etc/environment: what pam_env gives the next login session
  Gnome,               // gsettings org.gnome.system.proxy: GNOME apps, GIO, Chrome on GNOME
  Kde,                 // ~/.config/kioslaverc [Proxy Settings]: KDE apps, Chrome on KDE
};

// "environment", "etc_environment", "gnome", "kde": stable names used in facts.
std::string_view to_string(ProxySourceKind kind);

// What a setting is about.
enum class ProxyRole { Mode, Http, Https, Ftp, Socks, All, NoProxy, PacUrl, Other };

// "mode", "http", "https", "ftp", "socks", "all", "no_proxy", "pac_url", "other".
std::string_view to_string(ProxyRole role);

// One proxy-related setting exactly as the source holds it.
struct ProxyEntry {
  ProxyRole role = ProxyRole::Other;
  // Spelled as found, so that the checker can tell https_proxy from HTTPS_PROXY:
  // "https_proxy", "org.gnome.system.proxy.https host:port", "httpsProxy".
  std::string key;
  // Raw text. May hold credentials ("http://user:pass@host"): the checker redacts it before
  // anything reaches a report. GNOME's separate host and port keys are joined "host:port".
  std::string value;
  // KDE ProxyType 4 stores variable names ("httpProxy=HTTPS_PROXY"): the value that variable
  // has in the process environment, nullopt when it is unset.
  std::optional<std::string> variable_value;
};

// A desktop's proxy mode. GNOME: 'none' / 'manual' / 'auto' (PAC URL, or WPAD when the URL is
// empty). KDE ProxyType: 0 none, 1 manual, 2 PAC, 3 WPAD, 4 from environment variables.
enum class DesktopProxyMode { NotSet, None, Manual, PacUrl, AutoDetect, FromEnvironment };

// "not_set", "none", "manual", "pac_url", "auto_detect", "from_environment".
std::string_view to_string(DesktopProxyMode mode);

struct ProxySource {
  ProxySourceKind kind = ProxySourceKind::ProcessEnvironment;
  // Where it was read, as the user knows it: "process environment", "/etc/environment",
  // "gsettings list-recursively org.gnome.system.proxy", "/home/u/.config/kioslaverc".
  std::string origin;
  bool readable = false;           // the source could be consulted
  std::string unavailable_reason;  // why not: "gsettings is not installed", "no such file"
  std::vector<ProxyEntry> entries; // in the order found; empty values are kept
  std::string mode_raw;            // desktop sources: "manual", "1"; "" otherwise
  DesktopProxyMode mode = DesktopProxyMode::NotSet;

  // The last entry with `key` (a later assignment overrides), or nullptr.
  const ProxyEntry* find_key(std::string_view key) const;
  // The first entry with `role`, or nullptr.
  const ProxyEntry* find_role(ProxyRole role) const;
};

struct ProxySettings {
  // One per ProxySourceKind, in enum order, readable or not.
  std::vector<ProxySource> sources;
  // $XDG_CURRENT_DESKTOP as set ("GNOME", "KDE", "ubuntu:GNOME"); "" when unset.
  std::string current_desktop;
  // A desktop asked for automatic proxy discovery (GNOME 'auto' with no URL, KDE ProxyType 3).
  bool wpad_requested = false;
  // Where discovery would look: http://wpad.<search domain>/wpad.dat for each search domain in
  // /etc/resolv.conf. Not fetched here. Empty when not requested or no search domain is set.
  std::vector<std::string> wpad_urls;
  std::string wpad_unavailable_reason;  // "no search domain in /etc/resolv.conf"

  const ProxySource& source(ProxySourceKind kind) const;
};

// Reads every source. Never fails as a whole: a source that cannot be read says why in
// unavailable_reason. Runs gsettings (bounded by env.program_timeout) when allowed.
ProxySettings read_proxy_settings(const Env& env);

}  // namespace tlsdoctor::platform
