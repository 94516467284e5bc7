// Parses targets and --resolve entries, refusing anything ambiguous with a message naming it.
#include "cli/target.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace tlsdoctor::cli {
namespace {

bool is_ipv6_literal(const std::string& text) {
  in6_addr address{};
  return inet_pton(AF_INET6, text.c_str(), &address) == 1;
}

bool is_ip_literal(const std::string& text) {
  in_addr v4{};
  return inet_pton(AF_INET, text.c_str(), &v4) == 1 || is_ipv6_literal(text);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

tl::expected<std::uint16_t, std::string> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
      value > 65535) {
    return tl::unexpected(fmt::format("'{}' is not a port (1-65535)", text));
  }
  return static_cast<std::uint16_t>(value);
}

// Host names as DNS carries them: letters, digits, '-', '_' (seen in the wild) and dots.
bool is_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  return std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_';
  });
}

}  // namespace

std::string Target::display() const {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port)
                                             : fmt::format("{}:{}", host, port);
}

tl::expected<Target, UsageError> parse_target(std::string_view text) {
  const auto fail = [&](std::string_view why) {
    return tl::unexpected(UsageError{fmt::format("target '{}': {}", text, why)});
  };
  std::string_view rest = text;
  if (const auto scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    const std::string scheme = lower(rest.substr(0, scheme_end));
    if (scheme != "https") return fail("only https:// URLs (or host[:port]) can be probed");
    rest.remove_prefix(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
  }
  if (rest.find('@') != std::string_view::npos) return fail("user names in targets are not supported");
  Target target;
  const std::string whole(rest);
  if (is_ipv6_literal(whole)) {
    target.host = lower(whole);
    return target;
  }
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return fail("an IPv6 address in brackets needs its ']'");
    target.host = lower(rest.substr(1, close - 1));
    if (!is_ipv6_literal(target.host)) return fail("the part in brackets is not an IPv6 address");
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("expected ':port' after the IPv6 address");
      port_text = after.substr(1);
      if (port_text.empty()) return fail("the port after ':' is missing");
    }
  } else {
    const auto colon = rest.rfind(':');
    target.host = lower(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return fail("the port after ':' is missing");
    }
    if (target.host.empty()) return fail("the host name is empty");
    if (!is_host_name(target.host)) return fail("the host name has characters DNS names cannot have");
  }
  if (!port_text.empty()) {
    auto port = parse_port(port_text);
    if (!port) return fail(port.error());
    target.port = *port;
  }
  return target;
}

tl::expected<ResolveEntry, UsageError> parse_resolve(std::string_view text) {
  const auto fail = [&](std::string_view why) {
    return tl::unexpected(UsageError{fmt::format("--resolve '{}': {} (expected HOST:PORT:ADDRESS)", text, why)});
  };
  const auto first = text.find(':');
  if (first == std::string_view::npos) return fail("no port");
  const auto second = text.find(':', first + 1);
  if (second == std::string_view::npos) return fail("no address");
  ResolveEntry entry;
  entry.host = lower(text.substr(0, first));
  if (!is_host_name(entry.host)) return fail("the host name is not a DNS name");
  auto port = parse_port(text.substr(first + 1, second - first - 1));
  if (!port) return fail(port.error());
  entry.port = *port;
  std::string address(text.substr(second + 1));
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  if (!is_ip_literal(address)) return fail(fmt::format("'{}' is not an IP address", address));
  entry.address = lower(address);
  return entry;
}

std::vector<std::string> resolved_addresses(const std::vector<std::string>& entries, const std::string& host,
                                            std::uint16_t port) {
  std::vector<std::string> out;
  for (const auto& text : entries) {
    auto entry = parse_resolve(text);
    if (entry && entry->host == host && entry->port == port) out.push_back(entry->address);
  }
  return out;
}

}  // namespace tlsdoctor::cli
