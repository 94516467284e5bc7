// Targets and --resolve entries as users type them: "https://host[:port]", "host[:port]", "[v6]:port", "HOST:PORT:ADDR".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "cli/parse_args.h"

namespace tlsdoctor::cli {

struct Target {
  std::string host;  // lower case; IPv6 literals without brackets
  std::uint16_t port = 443;
  std::string display() const;  // "host:443", "[::1]:8443"
};

// Accepts https://host[:port][/path] (the path is ignored), host[:port], [IPv6][:port] and a
// bare IPv6 literal. Other URL schemes, empty hosts, bad ports and user@ parts are refused with
// a message naming the text.
tl::expected<Target, UsageError> parse_target(std::string_view text);

struct ResolveEntry {
  std::string host;
  std::uint16_t port = 0;
  std::string address;  // an IPv4 or IPv6 literal (brackets removed)
};

// curl's --resolve form HOST:PORT:ADDR; ADDR may be [IPv6] or a bare IPv6 literal.
tl::expected<ResolveEntry, UsageError> parse_resolve(std::string_view text);

// The addresses --resolve entries give for host:port, in order (entries were validated when
// the command line was parsed; one that does not parse is skipped).
std::vector<std::string> resolved_addresses(const std::vector<std::string>& entries, const std::string& host,
                                            std::uint16_t port);

}  // namespace tlsdoctor::cli
