// Per-source proxy answers for one URL, each source read by the rules of the programs that use it.
#include "proxy/effective_proxy.h"

#include <array>
#include <cctype>

#include "proxy/environment_proxy.h"
#include "proxy/no_proxy.h"
#include "platform/text.h"

namespace tlsdoctor::proxy {
namespace {

using platform::DesktopProxyMode;
using platform::ProxyEntry;
using platform::ProxyRole;
using platform::ProxySource;
using platform::ProxySourceKind;

using platform::to_lower;
// A source's answer before its routes are known.
SourceAnswer start_answer(const ProxySource& src) {
  SourceAnswer a;
  a.source = src.kind;
  a.consulted = src.readable;
  return a;
}

void set_proxy(SourceAnswer& a, std::string_view text, std::string via) {
  a.configured = true;
  a.via = std::move(via);
  auto url = parse_proxy_url(text);
  if (!url) {
    a.error = Error{a.via, url.error().message + " (" + url.error().input + ")"};
    return;
  }
  a.routes.push_back(ProxyRoute::via(std::move(*url)));
}

// --- environment variables, as libcurl 7.88 reads them -------------------------------------

SourceAnswer answer_environment(const ProxySource& src, const RequestTarget& target) {
  SourceAnswer a = start_answer(src);
  if (!src.readable) return a;
  const auto choice = choose_environment_proxy(target, [&](const std::string& name) -> std::optional<std::string> {
    const ProxyEntry* e = src.find_key(name);
    if (e == nullptr) return std::nullopt;
    return e->value;
  });
  if (!choice) return a;
  if (choice->bypass_entry) {
    a.configured = true;
    a.via = *choice->bypass_variable + " entry " + *choice->bypass_entry;
    a.routes.push_back(ProxyRoute::make_direct());
    return a;
  }
  set_proxy(a, choice->value, choice->variable);
  return a;
}

// --- PAC and WPAD --------------------------------------------------------------------------

void answer_with_pac(SourceAnswer& a, const std::string& pac_url, const RequestTarget& target,
                     std::string_view url, PacResolver& pac) {
  a.configured = true;
  a.via = "PAC " + redact_credentials(pac_url);
  PacUse use;
  use.urls.push_back(redact_credentials(pac_url));
  auto routes = pac.find(pac_url, url, target.host);
  if (routes) {
    a.routes = std::move(*routes);
  } else {
    use.error = routes.error();
  }
  a.pac = std::move(use);
}

void answer_with_wpad(SourceAnswer& a, const platform::ProxySettings& settings,
                      const RequestTarget& target, std::string_view url, PacResolver& pac) {
  a.configured = true;
  a.via = "automatic proxy discovery (WPAD)";
  PacUse use;
  use.wpad = true;
  if (settings.wpad_urls.empty()) {
    use.error = PacError{PacFailure::Unreachable,
                         "automatic proxy discovery has nowhere to look: " +
                             settings.wpad_unavailable_reason};
  }
  for (const auto& candidate : settings.wpad_urls) {
    use.urls.push_back(candidate);
    auto routes = pac.find(candidate, url, target.host);
    if (routes) {
      a.routes = std::move(*routes);
      a.via = "WPAD " + candidate;
      use.error.reset();
      break;
    }
    use.error = routes.error();
  }
  a.pac = std::move(use);
}

// --- GNOME, as GLib's proxy resolver reads it ----------------------------------------------

SourceAnswer answer_gnome(const ProxySource& src, const platform::ProxySettings& settings,
                          const RequestTarget& target, std::string_view url, PacResolver& pac) {
  SourceAnswer a = start_answer(src);
  if (!src.readable) return a;
  switch (src.mode) {
    case DesktopProxyMode::NotSet:
    case DesktopProxyMode::FromEnvironment: return a;
    case DesktopProxyMode::None:
      a.configured = true;
      a.via = "mode none";
      a.routes.push_back(ProxyRoute::make_direct());
      return a;
    case DesktopProxyMode::PacUrl:
      if (const ProxyEntry* pac_url = src.find_role(ProxyRole::PacUrl)) {
        answer_with_pac(a, pac_url->value, target, url, pac);
      }
      return a;
    case DesktopProxyMode::AutoDetect: answer_with_wpad(a, settings, target, url, pac); return a;
    case DesktopProxyMode::Manual: break;
  }
  a.configured = true;
  if (const ProxyEntry* ignore = src.find_role(ProxyRole::NoProxy)) {
    if (auto match = desktop_ignore_match(target.host, target.port, ignore->value)) {
      a.via = "ignore-hosts entry " + *match;
      a.routes.push_back(ProxyRoute::make_direct());
      return a;
    }
  }
  // GLib uses the HTTP proxy for https:// when no HTTPS proxy is set, and the SOCKS proxy as the
  // next choice; the host:port settings name proxies spoken to in plain HTTP (CONNECT).
  const ProxyEntry* chosen = nullptr;
  if (target.scheme == "https") chosen = src.find_role(ProxyRole::Https);
  if (target.scheme == "ftp") chosen = src.find_role(ProxyRole::Ftp);
  if (chosen == nullptr && target.scheme != "ftp") chosen = src.find_role(ProxyRole::Http);
  if (chosen != nullptr) {
    set_proxy(a, "http://" + chosen->value,
              "mode manual, " + std::string(platform::to_string(chosen->role)) + " proxy");
  }
  if (const ProxyEntry* socks = src.find_role(ProxyRole::Socks); socks && !a.error) {
    auto socks_url = parse_proxy_url("socks5://" + socks->value);
    if (socks_url) a.routes.push_back(ProxyRoute::via(std::move(*socks_url)));
    if (chosen == nullptr) a.via = "mode manual, socks proxy";
  }
  if (a.routes.empty() && !a.error) {
    a.via = "mode manual, no proxy host for " + target.scheme;
    a.routes.push_back(ProxyRoute::make_direct());
  }
  return a;
}

// --- KDE, as KIO reads kioslaverc ----------------------------------------------------------

// KIO writes "http://proxy.corp 3128" (a space before the port) and "socks://" for SOCKS5.
std::string kde_proxy_text(std::string_view raw) {
  std::string text(raw);
  const auto space = text.rfind(' ');
  if (space != std::string::npos && space + 1 < text.size() &&
      text.find_first_not_of("0123456789", space + 1) == std::string::npos) {
    text[space] = ':';
  }
  if (to_lower(text).starts_with("socks://")) text = "socks5://" + text.substr(8);
  return text;
}

SourceAnswer answer_kde(const ProxySource& src, const platform::ProxySettings& settings,
                        const RequestTarget& target, std::string_view url, PacResolver& pac) {
  SourceAnswer a = start_answer(src);
  if (!src.readable) return a;
  const bool from_env = src.mode == DesktopProxyMode::FromEnvironment;
  switch (src.mode) {
    case DesktopProxyMode::NotSet: return a;
    case DesktopProxyMode::None:
      a.configured = true;
      a.via = "ProxyType 0 (no proxy)";
      a.routes.push_back(ProxyRoute::make_direct());
      return a;
    case DesktopProxyMode::PacUrl:
      if (const ProxyEntry* script = src.find_role(ProxyRole::PacUrl); script && !script->value.empty()) {
        answer_with_pac(a, script->value, target, url, pac);
      } else {
        a.configured = true;
        a.via = "ProxyType 2 (PAC)";
        a.error = Error{"Proxy Config Script", "PAC mode is set but no script URL is"};
      }
      return a;
    case DesktopProxyMode::AutoDetect: answer_with_wpad(a, settings, target, url, pac); return a;
    case DesktopProxyMode::Manual:
    case DesktopProxyMode::FromEnvironment: break;
  }
  a.configured = true;
  // In ProxyType 4 each setting names an environment variable; its value is the setting.
  const auto setting = [&](ProxyRole role) -> std::optional<std::string> {
    const ProxyEntry* e = src.find_role(role);
    if (e == nullptr) return std::nullopt;
    auto v = from_env ? e->variable_value : std::optional<std::string>(e->value);
    if (!v || v->empty()) return std::nullopt;
    return v;
  };
  if (auto list = setting(ProxyRole::NoProxy)) {
    const ProxyEntry* reversed = src.find_key("ReversedException");
    const bool only_listed = reversed != nullptr && to_lower(reversed->value) == "true";
    const auto match = desktop_ignore_match(target.host, target.port, *list);
    if (match.has_value() != only_listed) {
      a.via = only_listed ? "NoProxyFor (proxy only for listed hosts)" : "NoProxyFor entry " + *match;
      a.routes.push_back(ProxyRoute::make_direct());
      return a;
    }
  }
  const ProxyRole role = target.scheme == "https" ? ProxyRole::Https
                         : target.scheme == "ftp" ? ProxyRole::Ftp
                                                  : ProxyRole::Http;
  if (auto value = setting(role)) {
    set_proxy(a, kde_proxy_text(*value), src.find_role(role)->key);
  }
  if (auto socks = setting(ProxyRole::Socks); socks && !a.error) {
    auto socks_url = parse_proxy_url(kde_proxy_text(*socks));
    if (socks_url) a.routes.push_back(ProxyRoute::via(std::move(*socks_url)));
    if (a.via.empty()) a.via = "socksProxy";
  }
  if (a.routes.empty() && !a.error) {
    a.via = "no proxy set for " + target.scheme;
    a.routes.push_back(ProxyRoute::make_direct());
  }
  return a;
}

bool desktop_sets_proxy(const ProxySource& src) {
  return src.readable && src.mode != DesktopProxyMode::NotSet &&
         src.mode != DesktopProxyMode::None;
}

}  // namespace

tl::expected<RequestTarget, Error> parse_request_url(std::string_view url) {
  const auto fail = [&](std::string message) {
    return tl::unexpected(Error{redact_credentials(url), std::move(message)});
  };
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return fail("not a URL (no scheme)");
  RequestTarget t;
  t.scheme = to_lower(url.substr(0, sep));
  static constexpr std::array kDefaultPorts{std::pair{"http", 80}, std::pair{"https", 443},
                                            std::pair{"ftp", 21}, std::pair{"ws", 80},
                                            std::pair{"wss", 443}};
  int default_port = 0;
  for (const auto& [scheme, port] : kDefaultPorts) {
    if (t.scheme == scheme) default_port = port;
  }
  if (default_port == 0) return fail("unsupported scheme \"" + t.scheme + "\"");
  // Reuse the proxy-address parser for the authority: same host and port rules.
  auto authority = url.substr(sep + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  auto parsed = parse_proxy_url(authority);
  if (!parsed) return fail(parsed.error().message);
  t.host = parsed->host;
  t.port = parsed->port_given ? parsed->port : static_cast<std::uint16_t>(default_port);
  return t;
}

const SourceAnswer& EffectiveProxy::answer(ProxySourceKind kind) const {
  for (const auto& a : per_source) {
    if (a.source == kind) return a;
  }
  static const SourceAnswer kNone{};  // only for a hand-built EffectiveProxy
  return kNone;
}

std::optional<ProxySourceKind> choose_desktop(const platform::ProxySettings& settings) {
  // XDG_CURRENT_DESKTOP is a ':'-separated list ("ubuntu:GNOME").
  static constexpr std::array kGnomeFamily{"GNOME", "Unity", "X-Cinnamon", "Budgie", "Pantheon"};
  std::string_view list = settings.current_desktop;
  while (!list.empty()) {
    const auto colon = list.find(':');
    const auto name = list.substr(0, colon);
    list = colon == std::string_view::npos ? std::string_view() : list.substr(colon + 1);
    if (name == "KDE") return ProxySourceKind::Kde;
    for (const char* gnome : kGnomeFamily) {
      if (name == gnome) return ProxySourceKind::Gnome;
    }
  }
  if (!settings.current_desktop.empty()) return std::nullopt;  // a desktop we do not read
  const bool gnome = desktop_sets_proxy(settings.source(ProxySourceKind::Gnome));
  const bool kde = desktop_sets_proxy(settings.source(ProxySourceKind::Kde));
  if (gnome != kde) return gnome ? ProxySourceKind::Gnome : ProxySourceKind::Kde;
  return std::nullopt;
}

EffectiveProxy resolve_effective_proxy(const platform::ProxySettings& settings,
                                       std::string_view url, PacResolver& pac) {
  EffectiveProxy result;
  result.url = redact_credentials(url);
  result.desktop = choose_desktop(settings);
  auto target = parse_request_url(url);
  for (const auto& src : settings.sources) {
    if (!target) {
      SourceAnswer a = start_answer(src);
      a.error = target.error();
      result.per_source.push_back(std::move(a));
      continue;
    }
    switch (src.kind) {
      case ProxySourceKind::ProcessEnvironment:
      case ProxySourceKind::EtcEnvironment:
        result.per_source.push_back(answer_environment(src, *target));
        break;
      case ProxySourceKind::Gnome:
        result.per_source.push_back(answer_gnome(src, settings, *target, url, pac));
        break;
      case ProxySourceKind::Kde:
        result.per_source.push_back(answer_kde(src, settings, *target, url, pac));
        break;
    }
  }
  return result;
}

}  // namespace tlsdoctor::proxy
