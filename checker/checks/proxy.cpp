// The proxy check: reads the settings, asks each source for the check URL's route, tries the
// proxies in use, and judges.
#include "checks/proxy.h"

#include <future>

#include "checks/proxy_facts.h"
#include "checks/proxy_judgement.h"
#include "platform/proxy_settings.h"
#include "proxy/pac_resolver.h"
#include "proxy/reachability.h"
#include "refclient/reference_endpoint.h"
#include "tls/probe.h"

namespace tlsdoctor::checks {
namespace {

// A CONNECT and one handshake through a working proxy: a few round trips.
constexpr std::chrono::seconds kProxyTunnelBudget{5};

}  // namespace

CheckResult ProxyCheck::run(const Context& ctx) const {
  ProxyObservations seen;
  seen.settings = platform::read_proxy_settings(ctx.env);
  proxy::LivePacResolver pac(ctx.deadline, proxy::PacFetchOptions{options_.connect_to, ctx.env.sysroot});
  seen.effective = proxy::resolve_effective_proxy(seen.settings, options_.url, pac);

  // At most two proxies (the command line's and the desktop's), tried at the same time so that
  // two dead proxies cost one connect budget, not two.
  const proxy::ReachOptions reach_options{options_.connect_to};
  const Deadline connect_deadline = ctx.deadline.sub(proxy::kProxyConnectBudget);
  // Declared before the tasks that point into it, so that it outlives them whatever happens.
  const auto targets = proxies_to_probe(seen.effective);
  std::vector<std::future<proxy::Reachability>> pending;
  for (const auto& [used_by, url] : targets) {
    pending.push_back(std::async(std::launch::async, [&url = url, &connect_deadline, &reach_options] {
      return proxy::check_proxy_reachable(url, connect_deadline, reach_options);
    }));
  }
  // With a live reference behind a proxy, the proxy is asked for a tunnel to it: a proxy that
  // accepts connections can still demand credentials or refuse CONNECT.
  std::future<std::optional<ProxyTunnel>> tunnel;
  if (const auto endpoint = ctx.reference && ctx.reference->proxy ? refclient::endpoint_of(*ctx.reference) : std::nullopt) {
    tunnel = std::async(std::launch::async, [&ctx, endpoint]() -> std::optional<ProxyTunnel> {
      auto parsed = proxy::parse_proxy_url(*ctx.reference->proxy);
      if (!parsed) return std::nullopt;
      tls::ProbeSpec spec;
      spec.label = "proxy tunnel";
      spec.host = endpoint->host;
      spec.port = endpoint->port;
      spec.addresses = endpoint->addresses;
      spec.route = tls::RouteSpec::http_proxy(*ctx.reference->proxy);
      return ProxyTunnel{parsed->display(), endpoint->host + ":" + std::to_string(endpoint->port),
                         tls::run_probe(spec, ctx.deadline.sub(kProxyTunnelBudget))};
    });
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    seen.probes.push_back({targets[i].first, targets[i].second, pending[i].get()});
  }
  if (tunnel.valid()) seen.tunnel = tunnel.get();

  CheckResult result;
  result.id = std::string(id());
  result.title = std::string(title());
  result.findings = judge_proxy(seen);
  result.status = status_from_findings(result.findings);
  result.summary = summarize_proxy(seen);
  result.facts = proxy_facts(seen);
  return result;
}

}  // namespace tlsdoctor::checks
