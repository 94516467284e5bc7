// Parsing and redacted display of proxy addresses, following libcurl's rules for proxy strings.
#include "proxy/proxy_url.h"

#include <array>
#include <cctype>
#include <utility>
#include "platform/text.h"

namespace tlsdoctor::proxy {
namespace {

constexpr std::array kSchemes{
    std::pair{std::string_view("http"), ProxyScheme::Http},
    std::pair{std::string_view("https"), ProxyScheme::Https},
    std::pair{std::string_view("socks"), ProxyScheme::Socks4},
    std::pair{std::string_view("socks4"), ProxyScheme::Socks4},
    std::pair{std::string_view("socks4a"), ProxyScheme::Socks4a},
    std::pair{std::string_view("socks5"), ProxyScheme::Socks5},
    std::pair{std::string_view("socks5h"), ProxyScheme::Socks5h},
};

using platform::to_lower;
using platform::trim;
bool host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

bool ipv6_char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.' || c == '%';
}

}  // namespace

std::string_view to_string(ProxyScheme scheme) {
  switch (scheme) {
    case ProxyScheme::Http: return "http";
    case ProxyScheme::Https: return "https";
    case ProxyScheme::Socks4: return "socks4";
    case ProxyScheme::Socks4a: return "socks4a";
    case ProxyScheme::Socks5: return "socks5";
    case ProxyScheme::Socks5h: return "socks5h";
  }
  return "http";
}

std::uint16_t default_proxy_port(ProxyScheme scheme) {
  // libcurl's CURL_DEFAULT_HTTPS_PROXY_PORT and CURL_DEFAULT_PROXY_PORT.
  return scheme == ProxyScheme::Https ? 443 : 1080;
}

std::string ProxyUrl::host_port() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string ProxyUrl::display() const {
  return std::string(to_string(scheme)) + "://" + (has_credentials() ? "***@" : "") + host_port();
}

std::string redact_credentials(std::string_view text) {
  // The last '@' ends the credentials even when an unencoded '@' or '/' sits in the password.
  const auto at = text.rfind('@');
  if (at == std::string_view::npos) return std::string(text);
  const auto scheme_end = text.find("://");
  const auto start = scheme_end != std::string_view::npos && scheme_end < at ? scheme_end + 3 : 0;
  return std::string(text.substr(0, start)) + "***" + std::string(text.substr(at));
}

tl::expected<ProxyUrl, Error> parse_proxy_url(std::string_view text) {
  const std::string shown = redact_credentials(text);
  const auto fail = [&](std::string message) {
    return tl::unexpected(Error{shown, std::move(message)});
  };
  std::string_view rest = trim(text);
  if (rest.empty()) return fail("empty proxy address");
  ProxyUrl url;
  if (const auto sep = rest.find("://"); sep != std::string_view::npos) {
    const std::string scheme = to_lower(rest.substr(0, sep));
    bool known = false;
    for (const auto& [name, value] : kSchemes) {
      if (scheme == name) {
        url.scheme = value;
        known = true;
      }
    }
    if (!known) return fail("unsupported proxy scheme \"" + scheme + "\"");
    url.scheme_given = true;
    rest = rest.substr(sep + 3);
  }

  const auto at = rest.rfind('@');
  if (at != std::string_view::npos) {
    const auto userinfo = rest.substr(0, at);
    const auto colon = userinfo.find(':');
    url.has_user = !userinfo.substr(0, colon).empty();
    url.has_password = colon != std::string_view::npos && colon + 1 < userinfo.size();
    rest = rest.substr(at + 1);
  }
  rest = rest.substr(0, rest.find_first_of("/?#"));

  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return fail("unterminated IPv6 address");
    host = rest.substr(1, close - 1);
    const auto after = rest.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return fail("text after the IPv6 address");
    if (!after.empty()) port = after.substr(1);
    for (const char c : host) {
      if (!ipv6_char(c)) return fail("invalid IPv6 address");
    }
  } else {
    const auto colon = rest.find(':');
    if (colon != std::string_view::npos) {
      if (rest.find(':', colon + 1) != std::string_view::npos) {
        return fail("an IPv6 address must be written in brackets");
      }
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
    }
    for (const char c : host) {
      if (!host_char(c)) return fail("invalid character in host name");
    }
  }
  if (host.empty()) return fail("no host name");
  url.host = to_lower(host);

  if (!port.empty()) {
    unsigned long value = 0;
    for (const char c : port) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) return fail("port is not a number");
      value = value * 10 + static_cast<unsigned long>(c - '0');
      if (value > 65535) return fail("port out of range");
    }
    if (value == 0) return fail("port 0");
    url.port = static_cast<std::uint16_t>(value);
    url.port_given = true;
  } else {
    url.port = default_proxy_port(url.scheme);
  }
  return url;
}

}  // namespace tlsdoctor::proxy
