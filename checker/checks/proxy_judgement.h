// The proxy check's judgement: pure functions from what was observed to findings and a summary.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "platform/proxy_settings.h"
#include "proxy/effective_proxy.h"
#include "proxy/reachability.h"
#include "tls/handshake.h"

namespace tlsdoctor::checks {

// One proxy the check tried to connect to.
struct ProxyProbe {
  std::string used_by;  // "command line (https_proxy)", "desktop (gnome)"
  proxy::ProxyUrl proxy;
  proxy::Reachability reach;
};

// A tunnel asked of the proxy on the reference's route (CONNECT to the reference, then a
// handshake): whether the proxy lets this machine through at all.
struct ProxyTunnel {
  std::string proxy;       // display form, no credentials
  std::string destination;  // "host:port" of the reference
  tls::Handshake handshake;
};

// Everything the proxy check saw: the settings, each source's answer for the check's URL, the
// connection attempts to the proxies in use, and the tunnel through the reference's proxy.
struct ProxyObservations {
  platform::ProxySettings settings;
  proxy::EffectiveProxy effective;
  std::vector<ProxyProbe> probes;
  std::optional<ProxyTunnel> tunnel;
};

// proxy.in_use, proxy.config_conflict, proxy.unreachable, proxy.credentials_in_url,
// proxy.pac_failed; from the tunnel, proxy.auth_required (407) and proxy.denied (403 and the
// like). No credentials appear in any title, evidence or fix.
std::vector<Finding> judge_proxy(const ProxyObservations& seen);

// One line: "no proxy", "https via proxy.corp:3128 (https_proxy)", "direct; desktop (gnome)
// via proxy.corp:8080 (PAC http://wpad/wpad.dat)".
std::string summarize_proxy(const ProxyObservations& seen);

// Where each proxy the check should try to reach is used: the command line's first route and
// the desktop's, when they are proxies (the same proxy once).
std::vector<std::pair<std::string, proxy::ProxyUrl>> proxies_to_probe(
    const proxy::EffectiveProxy& effective);

// A label for a source in evidence and summaries: "environment", "/etc/environment", "GNOME", "KDE".
std::string source_label(platform::ProxySourceKind kind);

}  // namespace tlsdoctor::checks
