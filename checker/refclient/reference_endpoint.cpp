// Reads the reference URL's host and port, and the curl-style resolve entries that pin them.
#include "refclient/reference_endpoint.h"

#include <charconv>

namespace tlsdoctor::refclient {
namespace {

std::optional<std::uint16_t> port_number(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// "host:port" or "[v6]:port" (or without the port) into its parts.
std::optional<std::pair<std::string, std::optional<std::uint16_t>>> split_host_port(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string host(text.substr(1, close - 1));
    if (close + 1 == text.size()) return std::pair{host, std::optional<std::uint16_t>{}};
    if (text[close + 1] != ':') return std::nullopt;
    const auto port = port_number(text.substr(close + 2));
    if (!port) return std::nullopt;
    return std::pair{host, std::optional<std::uint16_t>{*port}};
  }
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::pair{std::string(text), std::optional<std::uint16_t>{}};
  const auto port = port_number(text.substr(colon + 1));
  if (!port) return std::nullopt;
  return std::pair{std::string(text.substr(0, colon)), std::optional<std::uint16_t>{*port}};
}

}  // namespace

std::optional<ReferenceEndpoint> endpoint_of(const ReferenceTarget& target) {
  constexpr std::string_view kScheme = "https://";
  std::string_view url = target.url;
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  const auto parts = split_host_port(url.substr(0, url.find('/')));
  if (!parts || parts->first.empty()) return std::nullopt;
  ReferenceEndpoint out{parts->first, parts->second.value_or(443), {}};
  // Resolve entries: HOST:PORT:ADDR, ADDR possibly bracketed.
  for (const auto& entry : target.resolve) {
    const auto first = entry.find(':');
    const auto second = first == std::string::npos ? std::string::npos : entry.find(':', first + 1);
    if (second == std::string::npos || entry.substr(0, first) != out.host) continue;
    if (port_number(std::string_view(entry).substr(first + 1, second - first - 1)) != out.port) continue;
    std::string address = entry.substr(second + 1);
    if (address.size() > 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
    out.addresses.push_back(std::move(address));
  }
  return out;
}

}  // namespace tlsdoctor::refclient
