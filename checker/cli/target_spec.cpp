// Builds a target's default ProbeSpec from what the user typed and how this machine routes HTTPS.
#include "cli/target_spec.h"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "cli/target.h"
#include "proxy/environment_proxy.h"
#include "proxy/proxy_url.h"

namespace tlsdoctor::cli {
namespace {

tl::expected<tls::RouteSpec, std::string> route_of(const TargetSpecOptions& options, const platform::Env& env,
                                                   const Target& target, std::string& why) {
  if (options.no_proxy) {
    why = "direct (--no-proxy)";
    return tls::RouteSpec::direct();
  }
  std::string url;
  if (options.proxy) {
    url = *options.proxy;
    why = "--proxy";
  } else {
    const proxy::RequestTarget request{"https", target.host, target.port};
    const auto choice =
        proxy::choose_environment_proxy(request, [&](const std::string& name) { return env.var(name); });
    if (!choice) {
      why = "direct (no proxy variable set)";
      return tls::RouteSpec::direct();
    }
    if (choice->bypass_entry) {
      why = fmt::format("direct ({} entry {})", *choice->bypass_variable, *choice->bypass_entry);
      return tls::RouteSpec::direct();
    }
    url = choice->value;
    why = choice->variable;
  }
  auto parsed = proxy::parse_proxy_url(url);
  if (!parsed) {
    return tl::unexpected(fmt::format("{} '{}': {}", why, parsed.error().input, parsed.error().message));
  }
  if (parsed->scheme != proxy::ProxyScheme::Http) {
    return tl::unexpected(fmt::format("{} '{}': probes go through HTTP proxies (CONNECT) only; {} proxies are not supported",
                                      why, parsed->display(), proxy::to_string(parsed->scheme)));
  }
  return tls::RouteSpec::http_proxy(url);
}

}  // namespace

tl::expected<tls::ProbeSpec, std::string> target_spec(const std::string& text, const TargetSpecOptions& options,
                                                      const platform::Env& env, std::string& route_why) {
  auto target = parse_target(text);
  if (!target) return tl::unexpected(target.error().message);
  tls::ProbeSpec spec;
  spec.label = "default";
  spec.host = target->host;
  spec.port = target->port;
  spec.addresses = resolved_addresses(options.resolve, spec.host, spec.port);
  if (options.ca_file) {
    const auto& file = *options.ca_file;
    std::ifstream in(file);
    if (!in) return tl::unexpected(fmt::format("--ca-file '{}': cannot be read", file));
    spec.trust = tls::TrustSpec::from_file(std::filesystem::absolute(file).string());
  }
  auto route = route_of(options, env, *target, route_why);
  if (!route) return tl::unexpected(route.error());
  spec.route = std::move(*route);
  return spec;
}

}  // namespace tlsdoctor::cli
