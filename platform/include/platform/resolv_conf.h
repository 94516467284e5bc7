// A reader for the resolver configuration (/etc/resolv.conf): the DNS search domains.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tlsdoctor::platform {

// The search list as glibc's resolver takes it: the last "search" or "domain" line wins
// ("domain x" is a search list of one). Trailing dots are dropped; empty when neither is set.
std::vector<std::string> resolv_conf_search_domains(std::string_view text);

}  // namespace tlsdoctor::platform
