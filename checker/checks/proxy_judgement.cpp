// Proxy findings: credentials in addresses, sources that disagree, a dead proxy, a broken PAC.
#include "checks/proxy_judgement.h"

#include <algorithm>
#include <set>


namespace tlsdoctor::checks {
namespace {

using platform::DesktopProxyMode;
using platform::ProxyEntry;
using platform::ProxyRole;
using platform::ProxySource;
using platform::ProxySourceKind;
using proxy::PacFailure;
using proxy::ProxyRoute;
using proxy::SourceAnswer;

bool names_proxy(ProxyRole role) {
  return role == ProxyRole::Http || role == ProxyRole::Https || role == ProxyRole::Ftp ||
         role == ProxyRole::Socks || role == ProxyRole::All;
}

// How a source's answer reads in evidence: "http://proxy:3128 (https_proxy)", "DIRECT (mode none)".
std::string describe(const SourceAnswer& a) {
  if (a.error) return "unusable: " + a.error->message;
  if (a.pac && a.pac->error) return "PAC failed: " + a.pac->error->message;
  if (!a.configured) return "not set";
  return proxy::display_routes(a.routes) + " (" + a.via + ")";
}

// What a client effectively does: the first route, DIRECT when the source sets nothing.
ProxyRoute effective_route(const SourceAnswer& a) {
  const ProxyRoute* first = a.configured ? a.first() : nullptr;
  return first != nullptr ? *first : ProxyRoute::make_direct();
}

// An answer that can be compared: read, and not broken (broken ones get their own finding).
bool comparable(const SourceAnswer& a) {
  return a.consulted && !a.error && !(a.pac && a.pac->error);
}

Finding conflict(std::string title, std::vector<Evidence> evidence, std::string fix) {
  return Finding{FindingId::ProxyConfigConflict, Severity::Warn, std::move(title),
                 std::move(evidence), std::move(fix)};
}

// https_proxy and HTTPS_PROXY (and the other pairs) naming different things in one source.
void case_pair_conflicts(const ProxySource& src, std::vector<Finding>& out) {
  const auto value = [&](std::string_view key) -> std::string {
    const ProxyEntry* e = src.find_key(key);
    return e != nullptr ? e->value : std::string();
  };
  const auto same = [](std::string_view a, std::string_view b, bool is_list) {
    if (is_list) return a == b;
    auto pa = proxy::parse_proxy_url(a);
    auto pb = proxy::parse_proxy_url(b);
    if (pa && pb) return pa->scheme == pb->scheme && pa->same_endpoint(*pb);
    return a == b;
  };
  const std::string where =
      src.kind == ProxySourceKind::ProcessEnvironment ? "the environment" : "/etc/environment";
  for (const auto& [low, up] : {std::pair{"http_proxy", "HTTP_PROXY"},
                                std::pair{"https_proxy", "HTTPS_PROXY"},
                                std::pair{"ftp_proxy", "FTP_PROXY"},
                                std::pair{"all_proxy", "ALL_PROXY"},
                                std::pair{"no_proxy", "NO_PROXY"}}) {
    const std::string lv = value(low);
    const std::string uv = value(up);
    const bool is_list = std::string_view(low) == "no_proxy";
    if (!lv.empty() && !uv.empty() && !same(lv, uv, is_list)) {
      out.push_back(conflict(
          std::string(low) + " and " + up + " in " + where + " say different things",
          {{low, proxy::redact_credentials(lv)}, {up, proxy::redact_credentials(uv)},
           {"source", src.origin}},
          std::string("Give ") + low + " and " + up + " the same value: curl reads " + low +
              ", some other programs read " + up + "."));
    }
  }
  if (value("http_proxy").empty() && !value("HTTP_PROXY").empty()) {
    out.push_back(conflict(
        "HTTP_PROXY is set without http_proxy, so curl ignores it for http:// addresses",
        {{"HTTP_PROXY", proxy::redact_credentials(value("HTTP_PROXY"))}, {"source", src.origin}},
        "Also set http_proxy (lower case) to the same value; curl never reads HTTP_PROXY."));
  }
}

void source_conflicts(const proxy::EffectiveProxy& eff, std::vector<Finding>& out) {
  const SourceAnswer& cli = eff.command_line();
  const SourceAnswer& etc = eff.answer(ProxySourceKind::EtcEnvironment);
  // /etc/environment is what the next login session gets; a session that differs from it was
  // changed by a shell profile, or lost its variables (sudo, cron, a system service).
  if (etc.consulted && etc.configured && comparable(etc) && comparable(cli) &&
      !effective_route(etc).same_as(effective_route(cli))) {
    out.push_back(conflict(
        "This session's proxy differs from the one in /etc/environment",
        {{"environment", describe(cli)}, {"/etc/environment", describe(etc)}},
        "Decide which proxy is right and set it in /etc/environment, then log out and back in "
        "(under sudo, keep the variables with sudo -E or env_keep)."));
  }
  if (const SourceAnswer* desk = eff.desktop_answer();
      desk != nullptr && desk->configured && comparable(*desk) && comparable(cli) &&
      !effective_route(*desk).same_as(effective_route(cli))) {
    const std::string desktop = source_label(desk->source);
    out.push_back(conflict(
        "Command-line programs and the " + desktop + " desktop use different proxies",
        {{"command line", describe(cli)}, {desktop, describe(*desk)}, {"url", eff.url}},
        "Make the proxy environment variables (https_proxy, http_proxy, no_proxy) match the " +
            desktop + " proxy settings: browsers follow the desktop, curl, git and pip follow "
            "the variables."));
  }
  const SourceAnswer& gnome = eff.answer(ProxySourceKind::Gnome);
  const SourceAnswer& kde = eff.answer(ProxySourceKind::Kde);
  if (gnome.configured && kde.configured && comparable(gnome) && comparable(kde) &&
      !effective_route(gnome).same_as(effective_route(kde))) {
    out.push_back(conflict("The GNOME and KDE proxy settings disagree",
                           {{"GNOME", describe(gnome)}, {"KDE", describe(kde)}},
                           "Set the same proxy in both desktops' network settings, so that "
                           "applications from either toolkit take the same route."));
  }
}

void credential_findings(const platform::ProxySettings& settings, std::vector<Finding>& out) {
  std::vector<Evidence> places;
  for (const auto& src : settings.sources) {
    for (const auto& e : src.entries) {
      if (!names_proxy(e.role) && e.role != ProxyRole::PacUrl) continue;
      const std::string redacted = proxy::redact_credentials(e.value);
      if (redacted != e.value) places.push_back({e.key + " (" + source_label(src.kind) + ")", redacted});
    }
  }
  if (places.empty()) return;
  out.push_back(Finding{FindingId::ProxyCredentialsInUrl, Severity::Warn,
                        "A proxy address contains a user name and password", std::move(places),
                        "Take the user name and password out of the proxy address and give them "
                        "to programs another way (for curl, a ~/.netrc readable only by you): "
                        "anyone who can read these settings can read the password."});
}

std::string unreachable_fix(proxy::ReachFailure failure) {
  switch (failure) {
    case proxy::ReachFailure::DoesNotResolve:
      return "Check the proxy's host name for typos; if only the company network knows it, "
             "connect to the VPN or ask IT for the current proxy address.";
    case proxy::ReachFailure::Refused:
      return "Check the port in the proxy setting and ask IT whether the proxy address is still "
             "current; nothing accepts connections there.";
    default:
      return "A firewall or a disconnected VPN is dropping traffic to the proxy: connect the VPN "
             "or ask IT whether the proxy address is still current.";
  }
}

void unreachable_findings(const ProxyObservations& seen, std::vector<Finding>& out) {
  for (const auto& probe : seen.probes) {
    if (probe.reach.reachable()) continue;
    const auto failure = probe.reach.failure;
    const std::string what =
        failure == proxy::ReachFailure::DoesNotResolve ? "its name does not resolve"
        : failure == proxy::ReachFailure::Refused      ? "it refuses connections"
        : failure == proxy::ReachFailure::TimedOut     ? "it does not answer"
                                                       : "it cannot be reached";
    out.push_back(Finding{FindingId::ProxyUnreachable, Severity::Fail,
                          "The proxy " + probe.proxy.host_port() + " cannot be used: " + what,
                          {{"proxy", probe.proxy.display()},
                           {"used_by", probe.used_by},
                           {"failure", std::string(proxy::to_string(failure))},
                           {"error", proxy::redact_credentials(probe.reach.error)},
                           {"elapsed_ms", std::to_string(probe.reach.elapsed.count())}},
                          unreachable_fix(failure)});
  }
  // A proxy address the client cannot even parse fails every connection just the same.
  for (const SourceAnswer* a : {&seen.effective.command_line(), seen.effective.desktop_answer()}) {
    if (a == nullptr || !a->error) continue;
    out.push_back(Finding{FindingId::ProxyUnreachable, Severity::Fail,
                          "The proxy setting " + a->error->input + " is not a usable address",
                          {{"setting", a->error->input},
                           {"source", source_label(a->source)},
                           {"error", a->error->message}},
                          "Write the proxy as http://host:port (for example "
                          "http://proxy.example.com:3128) in " + a->error->input + "."});
  }
}

std::string pac_fix(PacFailure failure) {
  switch (failure) {
    case PacFailure::NotJavaScript:
    case PacFailure::TooLarge:
      return "The PAC address returns something other than a proxy script (often a login or "
             "error page): ask IT for the correct PAC address.";
    case PacFailure::ScriptError:
    case PacFailure::BadAnswer:
      return "The PAC script itself is broken: send the error shown to whoever maintains it.";
    case PacFailure::EvalTimeout:
      return "The PAC script takes too long (an endless loop, or slow DNS lookups in "
             "dnsResolve/isInNet): check DNS, and ask IT to fix the script.";
    default:
      return "Check the automatic proxy configuration (PAC) address in the desktop's network "
             "settings; it must be reachable without the proxy. Ask IT for the current address.";
  }
}

void pac_findings(const ProxyObservations& seen, std::vector<Finding>& out) {
  std::set<std::string> reported;
  for (const auto& a : seen.effective.per_source) {
    if (!a.pac || !a.pac->error) continue;
    const auto failure = a.pac->error->failure;
    const std::string urls = a.pac->urls.empty() ? "(none)" : a.pac->urls.back();
    if (!reported.insert(urls).second) continue;
    // Auto-detection that finds no WPAD server is common and harmless where there is none;
    // a PAC file that exists but does not work breaks every browser that uses it.
    const bool nothing_found = a.pac->wpad && (failure == PacFailure::Unreachable ||
                                               failure == PacFailure::HttpStatus ||
                                               failure == PacFailure::FetchTimeout);
    // A broken PAC in the desktop in use breaks its browsers; one left in another desktop's
    // settings only matters if that desktop is used again.
    const bool in_use = seen.effective.desktop == a.source;
    std::vector<Evidence> evidence{{"source", source_label(a.source)},
                                   {a.pac->wpad ? "wpad_url" : "pac_url", urls},
                                   {"failure", std::string(proxy::to_string(failure))},
                                   {"error", a.pac->error->message}};
    if (nothing_found) {
      out.push_back(Finding{FindingId::ProxyPacFailed, Severity::Warn,
                            "Automatic proxy detection is on, but no proxy configuration was found",
                            std::move(evidence),
                            "If this network has no proxy, turn automatic proxy detection off in "
                            "the " + source_label(a.source) + " network settings; otherwise ask IT "
                            "for the PAC address and enter it there."});
    } else {
      out.push_back(Finding{FindingId::ProxyPacFailed, in_use ? Severity::Fail : Severity::Warn,
                            "The automatic proxy configuration (PAC) file does not work",
                            std::move(evidence), pac_fix(failure)});
    }
  }
}

bool uses_proxy(const SourceAnswer& a) {
  if (a.pac) return true;
  return std::any_of(a.routes.begin(), a.routes.end(), [](const ProxyRoute& r) { return !r.direct; });
}

void in_use_finding(const ProxyObservations& seen, std::vector<Finding>& out) {
  const auto& eff = seen.effective;
  if (std::none_of(eff.per_source.begin(), eff.per_source.end(), uses_proxy)) return;
  std::vector<Evidence> evidence;
  for (const auto& a : eff.per_source) {
    if (a.configured) evidence.push_back({source_label(a.source), describe(a)});
  }
  evidence.push_back({"url", eff.url});
  evidence.push_back({"command line uses", proxy::display_routes({effective_route(eff.command_line())})});
  if (const SourceAnswer* desk = eff.desktop_answer(); desk != nullptr && desk->configured) {
    evidence.push_back({"desktop uses", describe(*desk)});
  }
  out.push_back(Finding{FindingId::ProxyInUse, Severity::Info, "A proxy is configured",
                        std::move(evidence), ""});
}

// "proxy.corp:3128 (https_proxy)" or "direct".
std::string short_route(const SourceAnswer& a) {
  if (a.error) return "unusable proxy setting (" + a.error->input + ")";
  if (a.pac && a.pac->error) return "PAC failed";
  const ProxyRoute route = effective_route(a);
  if (route.direct) return a.configured ? "direct (" + a.via + ")" : "direct";
  return "via " + route.proxy.host_port() + " (" + a.via + ")";
}

// A 5xx to CONNECT says the proxy could not reach the destination itself (the reference may be
// down): that is not the proxy's rules, and the reference's own check reports it.
bool destination_unreachable(const tls::Handshake& h) {
  const long status = h.proxy ? h.proxy->connect_status : 0;
  return status >= 500 && status <= 599;
}

// The proxy answered CONNECT with 407 or a refusal: reachable, but it will not carry this
// machine's TLS (the reference's route stands for every site's).
void tunnel_findings(const ProxyObservations& seen, std::vector<Finding>& out) {
  if (!seen.tunnel) return;
  const auto& t = *seen.tunnel;
  const std::vector<Evidence> evidence{{"proxy", t.proxy},
                                       {"destination", t.destination},
                                       {"failure", std::string(tls::to_string(t.handshake.failure))},
                                       {"detail", t.handshake.detail}};
  if (t.handshake.failure == tls::Failure::ProxyAuthRequired) {
    out.push_back(Finding{FindingId::ProxyAuthRequired, Severity::Fail,
                          "The proxy " + t.proxy + " asks for credentials, and none it accepts are configured",
                          evidence,
                          "Put your proxy credentials in the proxy settings (the proxy URL, or the system's proxy "
                          "configuration), or ask IT which account the proxy expects."});
  } else if (t.handshake.failure == tls::Failure::ProxyRefused && !destination_unreachable(t.handshake)) {
    out.push_back(Finding{FindingId::ProxyDenied, Severity::Fail,
                          "The proxy " + t.proxy + " refuses to open a tunnel to " + t.destination, evidence,
                          "The proxy's rules block this destination or port: ask whoever runs the proxy to allow "
                          "HTTPS (CONNECT) to it."});
  }
}

}  // namespace

std::string source_label(ProxySourceKind kind) {
  switch (kind) {
    case ProxySourceKind::ProcessEnvironment: return "environment";
    case ProxySourceKind::EtcEnvironment: return "/etc/environment";
    case ProxySourceKind::Gnome: return "GNOME";
    case ProxySourceKind::Kde: return "KDE";
  }
  return "unknown";
}

std::vector<std::pair<std::string, proxy::ProxyUrl>> proxies_to_probe(
    const proxy::EffectiveProxy& effective) {
  std::vector<std::pair<std::string, proxy::ProxyUrl>> out;
  const SourceAnswer& cli = effective.command_line();
  if (const ProxyRoute* r = cli.configured ? cli.first() : nullptr; r != nullptr && !r->direct) {
    out.emplace_back("command line (" + cli.via + ")", r->proxy);
  }
  if (const SourceAnswer* desk = effective.desktop_answer(); desk != nullptr && desk->configured) {
    const ProxyRoute* r = desk->first();
    const bool already = !out.empty() && r != nullptr && !r->direct &&
                         out.front().second.same_endpoint(r->proxy);
    if (r != nullptr && !r->direct && !already) {
      out.emplace_back("desktop (" + source_label(desk->source) + ", " + desk->via + ")", r->proxy);
    } else if (already) {
      out.front().first += " and desktop (" + source_label(desk->source) + ")";
    }
  }
  return out;
}

std::vector<Finding> judge_proxy(const ProxyObservations& seen) {
  std::vector<Finding> findings;
  unreachable_findings(seen, findings);
  tunnel_findings(seen, findings);
  pac_findings(seen, findings);
  for (const auto& src : seen.settings.sources) {
    if (src.kind == ProxySourceKind::ProcessEnvironment || src.kind == ProxySourceKind::EtcEnvironment) {
      case_pair_conflicts(src, findings);
    }
  }
  source_conflicts(seen.effective, findings);
  credential_findings(seen.settings, findings);
  in_use_finding(seen, findings);
  return findings;
}

std::string summarize_proxy(const ProxyObservations& seen) {
  const auto& eff = seen.effective;
  if (std::none_of(eff.per_source.begin(), eff.per_source.end(), uses_proxy)) return "no proxy";
  const auto target = proxy::parse_request_url(eff.url);
  const std::string scheme = target ? target->scheme : "https";
  std::string line = scheme + " " + short_route(eff.command_line());
  if (const SourceAnswer* desk = eff.desktop_answer(); desk != nullptr && desk->configured) {
    const bool same = comparable(*desk) && comparable(eff.command_line()) &&
                      effective_route(*desk).same_as(effective_route(eff.command_line()));
    if (!same) line += "; desktop (" + source_label(desk->source) + ") " + short_route(*desk);
  }
  return line;
}

}  // namespace tlsdoctor::checks
