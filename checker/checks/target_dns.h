// What a target's name resolution says: a hosts-file override, a DNS filter's answer, or private answers for a public name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "tls/handshake.h"

namespace tlsdoctor::checks {

struct DnsEvidence {
  std::string target;                   // "example.com:443"
  std::string host;                     // the name looked up
  tls::DnsObservation local;            // what this machine's resolver answered
  std::string hosts_path;               // "/etc/hosts"
  std::vector<std::string> hosts_file;  // the addresses that file gives the name
  std::optional<std::vector<std::string>> reference_addresses;  // the reference's DNS, when it observed
  bool target_failed = false;           // the target's own handshake did not verify
};

// local.hosts_override for a name the hosts file sets (warn when the target fails or the
// reference resolves the name elsewhere, info otherwise); else path.dns_mismatch (fail) when the
// resolver answered only a sinkhole address (0.0.0.0, ::, loopback) for a name other than
// localhost, or only private addresses while the reference got public ones. Names given with
// --resolve are not judged.
std::optional<Finding> judge_dns(const DnsEvidence& evidence);

}  // namespace tlsdoctor::checks
