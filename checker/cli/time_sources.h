// The HTTPS hosts whose Date the clock check asks when no reference gives the time.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "cli/options.h"
#include "nettime/date_fetch.h"
#include "platform/env.h"

namespace tlsdoctor::cli {

// Large, independently run sites on anycast networks, each behind a different CDN or its own:
// one of them being down or wrong does not move the median. The policy file and --time-source
// replace the list.
inline constexpr std::array<std::string_view, 5> kDefaultTimeSources{
    "https://www.google.com/", "https://www.cloudflare.com/", "https://www.microsoft.com/",
    "https://www.apple.com/",  "https://www.wikipedia.org/",
};

// --time-source URLs, else the default list; none with --offline. Each with the route
// route_for gives it.
std::vector<nettime::DateSource> date_sources(const Options& opts, const platform::Env& env);

// --ca-file for the time sources (else the system store) and --resolve.
nettime::DateFetchOptions date_fetch_options(const Options& opts);

}  // namespace tlsdoctor::cli
