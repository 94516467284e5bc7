// The static host table (/etc/hosts on Linux): names this machine resolves without asking DNS.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "platform/env.h"
#include "platform/error.h"

namespace tlsdoctor::platform {

struct HostsEntry {
  std::string address;             // as written
  std::vector<std::string> names;  // canonical name, then aliases
  int line = 0;                    // 1-based, for the evidence
};

// Every "ADDRESS NAME [ALIAS...]" line; comments (#) and lines without a name are skipped.
std::vector<HostsEntry> parse_hosts_file(std::string_view text);

// The addresses the table gives `name` (ASCII case-insensitive, a final dot ignored), in order.
std::vector<std::string> hosts_addresses(const std::vector<HostsEntry>& entries, std::string_view name);

// The table this OS's resolver reads, and its path for messages ("/etc/hosts").
std::string_view hosts_file_path();
tl::expected<std::vector<HostsEntry>, Error> hosts_entries(const Env& env);

}  // namespace tlsdoctor::platform
