// Scenarios whose fault is the site's: nginx serving the broken configurations the suite's table names.
#include "scenarios/scenario_sites.h"

namespace tlsdoctor::scenarios {
namespace {

using lab::Behaviour;
using lab::NginxSite;

Scenario nginx_scenario(std::string name, std::string situation, Expected expected, std::function<Sites()> sites) {
  return Scenario{std::move(name), std::move(situation), std::move(expected), {"nginx"},
                  [sites = std::move(sites)](const Workspace&) { return targeting(sites()); }};
}

}  // namespace

std::vector<Scenario> server_scenarios() {
  return {
      nginx_scenario("healthy-direct", "a well-configured site, reached directly", {"none", "", 0},
                     [] { return one_site(lab_site(Behaviour::Good)); }),
      nginx_scenario("server-expired", "the site's certificate expired", {"server", "server.cert_expired", 1},
                     [] { return one_site(lab_site(Behaviour::Expired)); }),
      nginx_scenario("server-wrong-host", "the site serves a certificate for another name",
                     {"server", "server.name_mismatch", 1}, [] { return one_site(lab_site(Behaviour::WrongHost)); }),
      nginx_scenario("server-incomplete-chain", "the site leaves its intermediate out",
                     {"server", "server.incomplete_chain", 1}, [] { return one_site(lab_site(Behaviour::IncompleteChain)); }),
      nginx_scenario("server-self-signed", "the site's certificate is self-signed", {"server", "server.self_signed", 1},
                     [] { return one_site(lab_site(Behaviour::SelfSigned)); }),
      nginx_scenario("server-tls10-only", "the site speaks only TLS 1.0", {"server", "server.protocol_obsolete", 1},
                     [] {
                       return one_site(lab_site(Behaviour::Tls10Only, [](NginxSite& s) {
                         s.protocols = "TLSv1";
                         s.ciphers = "DEFAULT:@SECLEVEL=0";
                       }));
                     }),
      nginx_scenario("server-sni-required", "the site has no default server: an unknown name is refused",
                     {"server", "server.sni_required", 1},
                     [] {
                       auto other = lab_site(Behaviour::Good, [](NginxSite& s) {
                         s.server_name = "other.lab.tlsdoctor.test";
                         s.default_server = false;
                       });
                       if (!other) return Sites(tl::unexpect, other.error());
                       NginxSite refuse;
                       refuse.default_server = true;
                       refuse.reject_handshake = true;
                       std::vector<NginxSite> sites;
                       sites.push_back(std::move(refuse));
                       sites.push_back(std::move(*other));
                       return Sites(std::move(sites));
                     }),
      nginx_scenario("server-client-cert", "the site requires a client certificate",
                     {"none", "", 0, "server.client_cert_required"},
                     [] { return one_site(lab_site(Behaviour::Good, [](NginxSite& s) { s.require_client_certificate = true; })); }),
      nginx_scenario("server-weak-dh", "the site offers only DHE with a 1024-bit group", {"server", "server.weak_key", 1},
                     [] {
                       return one_site(lab_site(Behaviour::WeakDh, [](NginxSite& s) {
                         s.protocols = "TLSv1.2";
                         s.ciphers = "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0";
                         s.weak_dh = true;
                       }));
                     }),
  };
}

}  // namespace tlsdoctor::scenarios
