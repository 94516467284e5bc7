// Reads the reference URL's host and port, and the curl-style resolve entries that pin them.
#include "refclient/reference_endpoint.h"

#include "platform/text.h"
#include "proxy/proxy_url.h"

namespace tlsdoctor::refclient {

std::optional<ReferenceEndpoint> endpoint_of(const ReferenceTarget& target) {
  // The proxy-URL reader takes any http(s)://host[:port][/path]; 443 is its https default too.
  const auto url = proxy::parse_proxy_url(target.url);
  if (!url || !url->scheme_given || url->scheme != proxy::ProxyScheme::Https || url->has_credentials()) {
    return std::nullopt;
  }
  ReferenceEndpoint out{url->host, url->port, {}};
  // Resolve entries: HOST:PORT:ADDR, ADDR possibly bracketed.
  for (const auto& entry : target.resolve) {
    const auto first = entry.find(':');
    const auto second = first == std::string::npos ? std::string::npos : entry.find(':', first + 1);
    // Host names match whatever their case, as libcurl matches CURLOPT_RESOLVE entries (the URL's
    // host is lower-cased already).
    if (second == std::string::npos || !platform::iequals(entry.substr(0, first), out.host)) continue;
    if (entry.substr(first + 1, second - first - 1) != std::to_string(out.port)) continue;
    std::string address = entry.substr(second + 1);
    if (address.size() > 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
    out.addresses.push_back(std::move(address));
  }
  return out;
}

}  // namespace tlsdoctor::refclient
