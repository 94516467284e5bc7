// Which hosts bypass the proxy: NO_PROXY as libcurl reads it, and desktop ignore lists
// (GNOME ignore-hosts, KDE NoProxyFor) as GLib's proxy resolver reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsdoctor::proxy {

// The list entry that exempts a host, or nullopt when the host goes through the proxy.
using BypassMatch = std::optional<std::string>;

// libcurl's rules (Debian 12 ships 7.88): "*" alone exempts everything; entries are separated
// by commas or blanks; a name entry matches the host itself and every host below it, with or
// without a leading dot, case-insensitively, ignoring trailing dots; for an IP literal host,
// entries are addresses or CIDR ranges ("10.0.0.0/8", "fd00::/8"). libcurl has no wildcards
// and no ports: "*.corp" and "host:8080" never match anything.
BypassMatch curl_no_proxy_match(std::string_view host, std::string_view no_proxy);

// The entries libcurl reads literally although their writer meant a pattern ("*.corp",
// "host:8080", ".corp/16"): they never match, which surprises people.
std::vector<std::string> curl_no_proxy_ignored_entries(std::string_view no_proxy);

// GLib's rules for a desktop ignore list: entries separated by commas; "example.com",
// ".example.com" and "*.example.com" all match example.com and its subdomains; an address
// matches itself; "10.0.0.0/8" matches addresses in the range; "name:port" or "[v6]:port"
// match only that port.
BypassMatch desktop_ignore_match(std::string_view host, std::uint16_t port,
                                 std::string_view ignore_list);

}  // namespace tlsdoctor::proxy
