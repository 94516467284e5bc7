// Chooses the proxy for one of the run's own requests: the flags first, then the proxy variables.
#include "cli/route.h"

#include "cli/target.h"
#include "proxy/environment_proxy.h"

namespace tlsdoctor::cli {

std::optional<std::string> route_for(const Options& opts, const platform::Env& env, const std::string& url) {
  if (opts.no_proxy) return std::nullopt;
  if (opts.proxy) return *opts.proxy;
  const auto where = parse_target(url);
  if (!where) return std::nullopt;
  const proxy::RequestTarget request{"https", where->host, where->port};
  const auto route = proxy::choose_environment_proxy(request, [&](const std::string& name) { return env.var(name); });
  if (route && !route->bypass_entry) return route->value;
  return std::nullopt;
}

}  // namespace tlsdoctor::cli
