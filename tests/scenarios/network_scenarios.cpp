// Scenarios whose fault is the network: tlsdoctor in a network namespace whose iptables rules reset, drop or redirect.
#include "lab/network_namespace.h"
#include "scenarios/scenario_sites.h"

namespace tlsdoctor::scenarios {
namespace {

using lab::Behaviour;

// Segments longer than this (IP length) are dropped for large-hello intolerance: an ordinary
// ClientHello fits in one, a 1600-byte one does not.
constexpr int kLargeSegmentBytes = 1000;

struct Network {
  lab::NetworkNamespace* ns = nullptr;
  std::uint16_t target_port = 0;  // 0 without a target
  std::uint16_t other_port = 0;   // the second site, for redirection
  std::uint16_t reference_port = 0;
};

// tlsdoctor inside a fresh namespace; the servers (a good site when `with_target`, a site from
// another root when `with_other`) on its host end; then `rules` applied inside.
tl::expected<Staged, std::string> in_namespace(const Workspace& w, bool with_target, bool with_other,
                                               const std::function<tl::expected<void, std::string>(Network&)>& rules) {
  auto ns = lab::NetworkNamespace::create();
  if (!ns) return tl::unexpected(ns.error());
  Staged staged;
  auto& space = keep(staged, std::move(*ns), "network namespace");
  staged.address = space.host_address();
  staged.prefix = space.exec_prefix();
  Network net{&space, 0, 0, w.reference_port};
  if (with_target) {
    auto port = add_target(staged, one_site(lab_site(Behaviour::Good)), space.host_address());
    if (!port) return tl::unexpected(port.error());
    net.target_port = *port;
  }
  if (with_other) {
    // Another server, not a target: it only receives what the rules redirect.
    auto port = add_nginx(staged, one_site(lab_site(Behaviour::UntrustedRoot)), space.host_address(),
                          "nginx (the other server)");
    if (!port) return tl::unexpected(port.error());
    net.other_port = *port;
  }
  if (auto applied = rules(net); !applied) return tl::unexpected(applied.error());
  return staged;
}

std::string port_text(std::uint16_t port) { return std::to_string(port); }

}  // namespace

std::vector<Scenario> network_scenarios() {
  return {
      {"path-sni-reset", "a firewall resets connections whose ClientHello names the site (string match)",
       {"path", "path.sni_filtered", 1}, {"root", "nginx", "iptables", "ip"},
       [](const Workspace& w) {
         return in_namespace(w, true, false, [](Network& n) {
           return n.ns->iptables({"-A", "OUTPUT", "-p", "tcp", "--dport", port_text(n.target_port), "-m", "string",
                                  "--string", lab::kLabHostName, "--algo", "bm", "-j", "REJECT", "--reject-with",
                                  "tcp-reset"});
         });
       }},
      {"path-port-blocked", "a firewall drops every packet to the site's port", {"path", "path.port_blocked", 1},
       {"root", "nginx", "iptables", "ip"},
       [](const Workspace& w) {
         return in_namespace(w, true, false, [](Network& n) {
           return n.ns->iptables({"-A", "OUTPUT", "-p", "tcp", "--dport", port_text(n.target_port), "-j", "DROP"});
         });
       }},
      {"path-large-hello", "a middlebox drops TCP segments over 1000 bytes (a 1600-byte ClientHello never arrives)",
       {"path", "path.large_hello_intolerance", 1}, {"root", "iptables", "ip"},
       [](const Workspace& w) {
         return in_namespace(w, false, false, [](Network& n) {
           return n.ns->iptables({"-A", "OUTPUT", "-p", "tcp", "--dport", port_text(n.reference_port), "-m", "length",
                                  "--length", std::to_string(kLargeSegmentBytes) + ":65535", "-j", "DROP"});
         });
       }},
      {"path-redirected", "connections to the site are redirected (DNAT) to another server with another certificate",
       {"path", "path.interception", 1}, {"root", "nginx", "iptables", "ip"},
       [](const Workspace& w) {
         return in_namespace(w, true, true, [](Network& n) {
           return n.ns->iptables({"-t", "nat", "-A", "OUTPUT", "-p", "tcp", "--dport", port_text(n.target_port), "-j",
                                  "DNAT", "--to-destination",
                                  n.ns->host_address() + ":" + port_text(n.other_port)});
         });
       }},
  };
}

}  // namespace tlsdoctor::scenarios
