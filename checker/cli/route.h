// The proxy route the run's own HTTPS requests take (reference, time sources), as the options and environment say.
#pragma once

#include <optional>
#include <string>

#include "cli/options.h"
#include "platform/env.h"

namespace tlsdoctor::cli {

// --no-proxy: direct (nullopt). --proxy URL: that proxy. Otherwise the one this machine's
// programs would take for `url`, from the proxy variables as libcurl reads them (NO_PROXY
// included); nullopt when they give none.
std::optional<std::string> route_for(const Options& opts, const platform::Env& env, const std::string& url);

}  // namespace tlsdoctor::cli
