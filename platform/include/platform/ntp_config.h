// The NTP servers named in an NTP client's configuration text (chrony, ntpd, OpenNTPD, systemd-timesyncd).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tlsdoctor::platform {

// A configuration naming more servers than this is unusual (chrony recommends 4-8); the
// report needs a few names, not an unbounded list.
inline constexpr std::size_t kMaxServersListed = 16;

// "server NAME ...", "servers", "pool" and "peer" lines (chrony, ntpd, OpenNTPD), '#' comments
// ignored; each name once, appended to `servers` up to kMaxServersListed.
void keyword_servers(std::string_view text, std::vector<std::string>& servers);

// timesyncd's "NTP=" and "FallbackNTP=" (systemd.syntax(7)): an empty assignment resets the
// list; '#' and ';' start comments. Appends to `servers` and `fallback`, each capped likewise.
void timesyncd_servers(std::string_view text, std::vector<std::string>& servers, std::vector<std::string>& fallback);

}  // namespace tlsdoctor::platform
