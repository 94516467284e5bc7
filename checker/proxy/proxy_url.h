// Proxy addresses as libcurl reads them ("http://user:pass@host:3128"), with a display form
// that never shows the credentials.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor::proxy {

// The protocol spoken to the proxy (libcurl's names: "socks" alone means SOCKS4).
enum class ProxyScheme { Http, Https, Socks4, Socks4a, Socks5, Socks5h };

std::string_view to_string(ProxyScheme scheme);  // "http", "https", "socks4", ..., "socks5h"

// libcurl's default when a proxy address names no port: 443 for an HTTPS proxy, else 1080.
std::uint16_t default_proxy_port(ProxyScheme scheme);

struct ProxyUrl {
  ProxyScheme scheme = ProxyScheme::Http;
  bool scheme_given = false;  // "proxy:3128" has none; libcurl assumes http://
  std::string host;           // lower case; IPv6 literals without brackets
  std::uint16_t port = 0;     // the given port, else default_proxy_port(scheme)
  bool port_given = false;
  // Whether the address carries credentials. The user name and password themselves are not
  // kept, so nothing built from a ProxyUrl can leak them.
  bool has_user = false;
  bool has_password = false;

  bool has_credentials() const { return has_user || has_password; }
  // "proxy.corp:3128", "[::1]:3128".
  std::string host_port() const;
  // "http://proxy.corp:3128", "http://***@proxy.corp:3128" when credentials were given.
  std::string display() const;
  // Same proxy for routing purposes: host and port (the scheme spelled differently, e.g. a
  // bare "proxy:3128" against "http://proxy:3128", is the same proxy).
  bool same_endpoint(const ProxyUrl& other) const {
    return host == other.host && port == other.port;
  }
};

// Parses `text` the way libcurl takes a proxy string: optional scheme (http, https, socks,
// socks4, socks4a, socks5, socks5h), optional user[:password]@, host or [IPv6], optional
// :port, optional trailing path (ignored). Error messages never repeat the input's
// credentials: Error::input is redact_credentials(text).
tl::expected<ProxyUrl, Error> parse_proxy_url(std::string_view text);

// `text` with any user[:password]@ part of a URL-like string replaced by "***@". Safe for any
// proxy-related value (a URL, "user:pass@host:port", a list of hosts); other text is unchanged.
std::string redact_credentials(std::string_view text);

}  // namespace tlsdoctor::proxy
