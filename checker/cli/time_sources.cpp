// Builds the clock check's Date sources from the options: the default hosts, the user's, or none.
#include "cli/time_sources.h"

#include "cli/route.h"

namespace tlsdoctor::cli {

std::vector<nettime::DateSource> date_sources(const Options& opts, const platform::Env& env) {
  std::vector<nettime::DateSource> out;
  if (opts.offline) return out;
  std::vector<std::string> urls = opts.time_sources;
  if (urls.empty()) urls.assign(kDefaultTimeSources.begin(), kDefaultTimeSources.end());
  for (auto& url : urls) {
    auto route = route_for(opts, env, url);
    out.push_back({std::move(url), std::move(route)});
  }
  return out;
}

nettime::DateFetchOptions date_fetch_options(const Options& opts) {
  nettime::DateFetchOptions out;
  out.ca_file = opts.ca_file;
  out.resolve = opts.resolve;
  return out;
}

}  // namespace tlsdoctor::cli
