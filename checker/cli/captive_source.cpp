// Chooses the captive-portal page and the proxy a plain-HTTP request to it would take.
#include "cli/captive_source.h"

#include <fmt/format.h>

#include "proxy/environment_proxy.h"
#include "proxy/proxy_url.h"
#include "reference/protocol/protocol_version.h"

namespace tlsdoctor::cli {

tl::expected<Target, UsageError> parse_http_url(std::string_view url) {
  // The proxy-URL reader takes any http://host[:port][/path]; only its default port differs.
  const auto parsed = proxy::parse_proxy_url(url);
  if (parsed && (!parsed->scheme_given || parsed->scheme != proxy::ProxyScheme::Http)) {
    return tl::unexpected(UsageError{fmt::format("'{}' is not an http:// URL", url)});
  }
  if (!parsed) return tl::unexpected(UsageError{fmt::format("'{}': {}", url, parsed.error().message)});
  if (parsed->has_credentials()) return tl::unexpected(UsageError{fmt::format("'{}': a user@ part is not allowed", url)});
  return Target{parsed->host, parsed->port_given ? parsed->port : std::uint16_t{80}};
}

std::optional<CaptiveSource> captive_source(const Options& opts, const platform::Env& env,
                                            const std::optional<std::string>& reference_url) {
  if (opts.offline) return std::nullopt;
  CaptiveSource source;
  if (opts.captive_url) {
    source.url = *opts.captive_url;
  } else if (reference_url) {
    const auto where = parse_target(*reference_url);
    if (!where) return std::nullopt;
    const std::string host = where->host.find(':') != std::string::npos ? "[" + where->host + "]" : where->host;
    source.url = "http://" + host + std::string(reference::kCaptivePortalPath);
  } else {
    return std::nullopt;
  }
  if (opts.proxy) {
    source.proxy = *opts.proxy;
  } else if (!opts.no_proxy) {
    if (const auto where = parse_http_url(source.url)) {
      const proxy::RequestTarget request{"http", where->host, where->port};
      const auto route = proxy::choose_environment_proxy(request, [&](const std::string& name) { return env.var(name); });
      if (route && !route->bypass_entry) source.proxy = route->value;
    }
  }
  return source;
}

}  // namespace tlsdoctor::cli
