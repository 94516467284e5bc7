// The proxy check's facts: settings per source, answers for the check's URL, connection attempts.
#include "checks/proxy_facts.h"

#include "proxy/no_proxy.h"

namespace tlsdoctor::checks {
namespace {

using nlohmann::ordered_json;

ordered_json routes_json(const std::vector<proxy::ProxyRoute>& routes) {
  ordered_json out = ordered_json::array();
  for (const auto& r : routes) out.push_back(r.display());
  return out;
}

ordered_json answer_json(const proxy::SourceAnswer& a) {
  ordered_json j;
  j["configured"] = a.configured;
  j["via"] = a.via;
  j["routes"] = routes_json(a.routes);
  j["error"] = a.error ? ordered_json(a.error->input + ": " + a.error->message) : ordered_json();
  if (a.pac) {
    ordered_json pac;
    pac["wpad"] = a.pac->wpad;
    pac["urls"] = a.pac->urls;
    pac["failure"] = a.pac->error ? ordered_json(proxy::to_string(a.pac->error->failure))
                                  : ordered_json();
    pac["error"] = a.pac->error ? ordered_json(a.pac->error->message) : ordered_json();
    j["pac"] = std::move(pac);
  }
  return j;
}

ordered_json source_json(const platform::ProxySource& src, const proxy::EffectiveProxy& eff) {
  ordered_json j;
  j["source"] = platform::to_string(src.kind);
  j["origin"] = src.origin;
  j["readable"] = src.readable;
  if (!src.readable) j["unavailable_reason"] = src.unavailable_reason;
  if (src.kind == platform::ProxySourceKind::Gnome || src.kind == platform::ProxySourceKind::Kde) {
    j["mode"] = platform::to_string(src.mode);
    j["mode_raw"] = src.mode_raw;
  }
  ordered_json settings = ordered_json::array();
  for (const auto& e : src.entries) {
    ordered_json s;
    s["key"] = e.key;
    s["role"] = platform::to_string(e.role);
    s["value"] = proxy::redact_credentials(e.value);
    if (e.variable_value) s["variable_value"] = proxy::redact_credentials(*e.variable_value);
    settings.push_back(std::move(s));
  }
  j["settings"] = std::move(settings);
  if (src.readable) j["answer"] = answer_json(eff.answer(src.kind));
  return j;
}

// NO_PROXY entries curl reads literally ("*.corp", "host:8080"), from both environment sources.
ordered_json curl_ignored_no_proxy(const platform::ProxySettings& settings) {
  ordered_json out = ordered_json::array();
  for (const auto kind : {platform::ProxySourceKind::ProcessEnvironment,
                          platform::ProxySourceKind::EtcEnvironment}) {
    for (const auto& e : settings.source(kind).entries) {
      if (e.role != platform::ProxyRole::NoProxy) continue;
      for (const auto& entry : proxy::curl_no_proxy_ignored_entries(e.value)) {
        out.push_back({{"source", platform::to_string(kind)}, {"key", e.key}, {"entry", entry}});
      }
    }
  }
  return out;
}

}  // namespace

nlohmann::ordered_json proxy_facts(const ProxyObservations& seen) {
  ordered_json facts;
  facts["url"] = seen.effective.url;
  facts["current_desktop"] = seen.settings.current_desktop;
  facts["desktop"] = seen.effective.desktop
                         ? ordered_json(platform::to_string(*seen.effective.desktop))
                         : ordered_json();
  ordered_json sources = ordered_json::array();
  for (const auto& src : seen.settings.sources) sources.push_back(source_json(src, seen.effective));
  facts["sources"] = std::move(sources);
  facts["command_line"] = answer_json(seen.effective.command_line());
  if (const auto* desk = seen.effective.desktop_answer()) facts["desktop_answer"] = answer_json(*desk);
  facts["wpad"] = {{"requested", seen.settings.wpad_requested},
                   {"candidates", seen.settings.wpad_urls},
                   {"unavailable_reason", seen.settings.wpad_unavailable_reason}};
  facts["no_proxy_entries_curl_ignores"] = curl_ignored_no_proxy(seen.settings);
  if (seen.tunnel) {
    facts["tunnel"] = {{"proxy", seen.tunnel->proxy},
                       {"destination", seen.tunnel->destination},
                       {"completed", seen.tunnel->handshake.completed},
                       {"failure", std::string(tls::to_string(seen.tunnel->handshake.failure))}};
  }
  ordered_json probes = ordered_json::array();
  for (const auto& p : seen.probes) {
    probes.push_back({{"proxy", p.proxy.display()},
                      {"used_by", p.used_by},
                      {"reachable", p.reach.reachable()},
                      {"failure", p.reach.reachable() ? ordered_json()
                                                      : ordered_json(proxy::to_string(p.reach.failure))},
                      {"error", p.reach.error},
                      {"elapsed_ms", p.reach.elapsed.count()}});
  }
  facts["probes"] = std::move(probes);
  return facts;
}

}  // namespace tlsdoctor::checks
