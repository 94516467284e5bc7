// The default handshake with a target as this machine would make it: its route, its trust, --resolve.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "platform/env.h"
#include "tls/probe_spec.h"

namespace tlsdoctor::cli {

struct TargetSpecOptions {
  std::optional<std::string> ca_file;  // instead of the system store
  std::optional<std::string> proxy;    // instead of the proxy variables' route
  bool no_proxy = false;               // direct, whatever the variables say
  std::vector<std::string> resolve;    // --resolve entries
};

// The spec labelled "default" for `text` (https://host[:port] or host[:port]). The route is the
// one this machine's command-line programs would take (the proxy variables as libcurl reads
// them) unless the options name one; `route_why` says what decided, for the text output. An
// error, in words naming the input, for a bad target, an unreadable CA file or a proxy the
// probe engine cannot use.
tl::expected<tls::ProbeSpec, std::string> target_spec(const std::string& text, const TargetSpecOptions& options,
                                                      const platform::Env& env, std::string& route_why);

}  // namespace tlsdoctor::cli
