// One way to reach a URL: directly, or through a proxy. PAC scripts and proxy settings both
// answer with an ordered list of these (the client tries them in order).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"
#include "proxy/proxy_url.h"

namespace tlsdoctor::proxy {

struct ProxyRoute {
  bool direct = true;
  ProxyUrl proxy;  // meaningful when !direct

  static ProxyRoute make_direct() { return {}; }
  static ProxyRoute via(ProxyUrl url) { return {false, std::move(url)}; }

  // "DIRECT" or the proxy's redacted display form ("http://proxy.corp:3128").
  std::string display() const;
  // Same route: both direct, or proxies at the same host and port.
  bool same_as(const ProxyRoute& other) const;
};

// "DIRECT; http://proxy:3128" for a list; "" for an empty one.
std::string display_routes(const std::vector<ProxyRoute>& routes);

// Parses what FindProxyForURL returns: "PROXY h:p; SOCKS h:p; DIRECT", case-insensitive,
// ';'-separated, blanks and empty items tolerated. PROXY means an HTTP proxy (port 80 when
// none is given, as browsers assume), HTTPS an HTTPS proxy (443), SOCKS a SOCKS4 proxy and
// SOCKS4 / SOCKS5 those (1080). An empty string means DIRECT, as browsers read it. Unknown
// keywords or malformed addresses are an error naming the item.
tl::expected<std::vector<ProxyRoute>, Error> parse_pac_answer(std::string_view answer);

}  // namespace tlsdoctor::proxy
