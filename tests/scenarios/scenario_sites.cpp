// Builds the scenarios' nginx sites from the lab's identities and points a staged run at them.
#include "scenarios/scenario_sites.h"

#include "lab/scenario_pki.h"

namespace tlsdoctor::scenarios {

tl::expected<lab::NginxSite, std::string> lab_site(lab::Behaviour behaviour,
                                                   const std::function<void(lab::NginxSite&)>& adjust) {
  lab::ScenarioOptions options;
  options.behaviour = behaviour;
  auto identity = lab::default_identity(options);
  if (!identity) return tl::unexpected(identity.error());
  lab::NginxSite site;
  site.server_name = lab::kLabHostName;
  site.default_server = true;
  site.identity = std::move(*identity);
  if (adjust) adjust(site);
  return site;
}

Sites one_site(tl::expected<lab::NginxSite, std::string> site) {
  if (!site) return tl::unexpected(site.error());
  std::vector<lab::NginxSite> sites;
  sites.push_back(std::move(*site));
  return sites;
}

tl::expected<std::uint16_t, std::string> add_nginx(Staged& staged, const Sites& sites, const std::string& address,
                                                   const std::string& name) {
  if (!sites) return tl::unexpected(sites.error());
  auto nginx = lab::NginxServer::start(*sites, address);
  if (!nginx) return tl::unexpected(nginx.error());
  const auto port = (*nginx)->port();
  keep(staged, std::move(*nginx), name);
  return port;
}

tl::expected<std::uint16_t, std::string> add_target(Staged& staged, const Sites& sites, const std::string& address) {
  auto port = add_nginx(staged, sites, address, "nginx (the target)");
  if (!port) return port;
  staged.args.insert(staged.args.end(), {lab_url(*port), "--resolve", lab_resolve(*port, address)});
  staged.observe_ports.push_back(*port);
  return port;
}

tl::expected<Staged, std::string> targeting(const Sites& sites) {
  Staged staged;
  if (auto port = add_target(staged, sites); !port) return tl::unexpected(port.error());
  return staged;
}

}  // namespace tlsdoctor::scenarios
