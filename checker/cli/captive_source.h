// The page the captive-portal check asks: --captive-url, else the reference's own, and its route.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "cli/options.h"
#include "cli/parse_args.h"
#include "cli/target.h"
#include "platform/env.h"

namespace tlsdoctor::cli {

// host and port of an http:// URL ("http://portal.test:8080/v1/captive"); a message naming
// the text for any other scheme, a user@ part, or a bad host or port.
tl::expected<Target, UsageError> parse_http_url(std::string_view url);

struct CaptiveSource {
  std::string url;
  std::optional<std::string> proxy;
};

// --captive-url; else http://<the reference's host>/v1/captive when a live reference is set
// (its operator serves the page with --captive-listen on port 80); none offline or without both.
// The route: --proxy/--no-proxy, else the http_proxy variables as libcurl reads them.
std::optional<CaptiveSource> captive_source(const Options& opts, const platform::Env& env,
                                            const std::optional<std::string>& reference_url);

}  // namespace tlsdoctor::cli
