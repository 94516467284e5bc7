// Judges one target's name resolution against the hosts file and the reference's answers.
#include "checks/target_dns.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "platform/text.h"
#include "reference/server/address_policy.h"

namespace tlsdoctor::checks {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The answers DNS filters give for a blocked name.
bool sinkhole(const std::string& text) {
  const auto address = reference::parse_ip_address(text);
  if (!address) return false;
  static const std::array<reference::Cidr, 4> kSinkholes{
      reference::parse_cidr("0.0.0.0/32").value(), reference::parse_cidr("127.0.0.0/8").value(),
      reference::parse_cidr("::/128").value(), reference::parse_cidr("::1/128").value()};
  return std::any_of(kSinkholes.begin(), kSinkholes.end(), [&](const reference::Cidr& c) { return c.contains(*address); });
}

bool is_public(const std::string& text) {
  const auto address = reference::parse_ip_address(text);
  return address && !reference::forbidden_reason(*address);
}

bool is_localhost(const std::string& host) {
  const auto name = platform::to_lower(host);
  return name == "localhost" || name.ends_with(".localhost");
}

}  // namespace

std::optional<Finding> judge_dns(const DnsEvidence& e) {
  std::vector<Evidence> evidence{{"target", e.target}, {"resolver_answers", joined(e.local.addresses)}};
  if (e.reference_addresses) evidence.push_back({"reference_answers", joined(*e.reference_addresses)});
  if (!e.hosts_file.empty()) {
    const bool reference_disagrees =
        e.reference_addresses && !e.reference_addresses->empty() &&
        std::none_of(e.hosts_file.begin(), e.hosts_file.end(), [&](const std::string& a) {
          return std::find(e.reference_addresses->begin(), e.reference_addresses->end(), a) != e.reference_addresses->end();
        });
    const bool matters = e.target_failed || reference_disagrees;
    evidence.push_back({e.hosts_path, joined(e.hosts_file)});
    return Finding{FindingId::LocalHostsOverride, matters ? Severity::Warn : Severity::Info,
                   fmt::format("{} sends {} to {}, whatever DNS says", e.hosts_path, e.host, joined(e.hosts_file)),
                   std::move(evidence),
                   matters ? fmt::format("Remove or correct the line for {} in {} (a leftover from testing or a "
                                         "migration, or software redirecting the site), then try again.",
                                         e.host, e.hosts_path)
                           : ""};
  }
  if (e.local.source != tls::DnsObservation::Source::Resolver || e.local.addresses.empty()) return std::nullopt;
  if (!is_localhost(e.host) && std::all_of(e.local.addresses.begin(), e.local.addresses.end(), sinkhole)) {
    return Finding{FindingId::PathDnsMismatch, Severity::Fail,
                   fmt::format("DNS answers {} for {}: a DNS filter blocks the name", joined(e.local.addresses), e.host),
                   std::move(evidence),
                   "A DNS filter (the network's, a router's, or an ad or malware blocker on this machine) blocks this "
                   "name: ask whoever runs it to allow the site, or check the filter's block list."};
  }
  if (e.reference_addresses && !e.reference_addresses->empty() &&
      std::all_of(e.reference_addresses->begin(), e.reference_addresses->end(), is_public) &&
      std::none_of(e.local.addresses.begin(), e.local.addresses.end(), is_public)) {
    return Finding{FindingId::PathDnsMismatch, Severity::Fail,
                   fmt::format("DNS here answers private addresses for {}, while the reference resolves it to "
                               "public ones",
                               e.host),
                   std::move(evidence),
                   "This network's DNS answers for the name itself (split-horizon DNS, a VPN's resolver or a "
                   "filter): if the site should be reached on the internet, ask the network's operator why."};
  }
  return std::nullopt;
}

}  // namespace tlsdoctor::checks
