// Chooses the captive-portal page and the proxy a plain-HTTP request to it would take.
#include "cli/captive_source.h"

#include <fmt/format.h>

#include "proxy/environment_proxy.h"
#include "reference/protocol/protocol_version.h"

namespace tlsdoctor::cli {

tl::expected<Target, UsageError> parse_http_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return tl::unexpected(UsageError{fmt::format("'{}' is not an http:// URL", url)});
  std::string_view rest = url.substr(kScheme.size());
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.empty() || rest.find('@') != std::string_view::npos) {
    return tl::unexpected(UsageError{fmt::format("'{}': no host, or a user@ part", url)});
  }
  // host[:port] with port 80 unless given; parse_target validates host and port.
  const bool bracketed = rest.front() == '[';
  const auto colon = bracketed ? rest.find("]:") : rest.rfind(':');
  const bool has_port = colon != std::string_view::npos && (bracketed || rest.find(':') == colon);
  auto target = parse_target(has_port ? std::string(rest) : std::string(rest) + ":80");
  if (!target) return tl::unexpected(UsageError{fmt::format("'{}': {}", url, target.error().message)});
  return target;
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
