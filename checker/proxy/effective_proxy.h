// Which proxy each source would use for a URL, which one a command-line client actually uses
// (the environment, read as libcurl reads it) and which one the desktop uses (GNOME or KDE).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"
#include "platform/proxy_settings.h"
#include "proxy/pac_error.h"
#include "proxy/proxy_route.h"

namespace tlsdoctor::proxy {

// The parts of a request URL that proxy choice depends on.
struct RequestTarget {
  std::string scheme;  // lower case: "https"
  std::string host;    // lower case, IPv6 without brackets
  std::uint16_t port = 0;
};

// "https://host[:port]/..." (http, https, ftp, ws, wss). Errors name the URL.
tl::expected<RequestTarget, Error> parse_request_url(std::string_view url);

// Answers "what does this PAC file say for this URL". The live one fetches and runs the
// script (pac_resolver.h); tests give canned answers.
class PacResolver {
 public:
  virtual ~PacResolver() = default;
  virtual tl::expected<std::vector<ProxyRoute>, PacError> find(std::string_view pac_url,
                                                               std::string_view url,
                                                               std::string_view host) = 0;
};

// How a source's PAC file was used.
struct PacUse {
  bool wpad = false;              // found by auto-detection rather than configured
  std::vector<std::string> urls;  // the PAC URL, or each WPAD candidate tried (redacted)
  std::optional<PacError> error;  // why no answer came (the last candidate's error for WPAD)
};

struct SourceAnswer {
  platform::ProxySourceKind source = platform::ProxySourceKind::ProcessEnvironment;
  bool consulted = false;   // the source could be read
  bool configured = false;  // it says something for this URL: a proxy, an explicit DIRECT, a PAC
  std::vector<ProxyRoute> routes;  // in the order a client tries them; empty if unusable
  // The setting that decided, in the user's words: "https_proxy", "HTTPS_PROXY",
  // "no_proxy entry .corp.example", "mode none", "PAC", "ignore-hosts entry *.corp".
  std::string via;
  std::optional<PacUse> pac;
  std::optional<Error> error;  // a proxy address that cannot be used (input redacted)

  // The route tried first, when there is one.
  const ProxyRoute* first() const { return routes.empty() ? nullptr : &routes.front(); }
};

struct EffectiveProxy {
  std::string url;
  std::vector<SourceAnswer> per_source;  // in ProxySettings::sources order
  // The desktop whose settings GUI applications follow (choose_desktop), if any.
  std::optional<platform::ProxySourceKind> desktop;

  const SourceAnswer& answer(platform::ProxySourceKind kind) const;
  // What curl, wget, git, pip and tlsdoctor's own probes use: the process environment.
  const SourceAnswer& command_line() const {
    return answer(platform::ProxySourceKind::ProcessEnvironment);
  }
  // What the desktop's browsers and apps use; nullptr when no desktop applies.
  const SourceAnswer* desktop_answer() const { return desktop ? &answer(*desktop) : nullptr; }
};

// The desktop whose proxy settings apply: from $XDG_CURRENT_DESKTOP (GNOME and the desktops
// built on it read gsettings; KDE reads kioslaverc), as GLib's and libproxy's resolvers decide.
// With no desktop session (ssh, a service), the one desktop source that sets a proxy mode other
// than none, if exactly one does.
std::optional<platform::ProxySourceKind> choose_desktop(const platform::ProxySettings& settings);

// Each source's answer for `url`, following each consumer's own rules: libcurl's for the two
// environment sources (lower case first, never HTTP_PROXY, empty means unset, NO_PROXY),
// GLib's for GNOME, KIO's for KDE; PAC and WPAD through `pac`.
EffectiveProxy resolve_effective_proxy(const platform::ProxySettings& settings,
                                       std::string_view url, PacResolver& pac);

}  // namespace tlsdoctor::proxy
