// Proxy bypass lists: libcurl's NO_PROXY rules and GLib's ignore-hosts rules, kept apart because
// the same list means different things to the two.
#include "proxy/no_proxy.h"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <cstring>
#include "platform/text.h"

namespace tlsdoctor::proxy {
namespace {

using platform::trim;
using platform::iequals;
// An IP address in network byte order: 4 bytes for IPv4, 16 for IPv6.
struct IpAddress {
  std::array<unsigned char, 16> bytes{};
  std::size_t size = 0;
};

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.empty() || text.size() >= 64) return std::nullopt;
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress ip;
  if (::inet_pton(AF_INET, buf, ip.bytes.data()) == 1) {
    ip.size = 4;
    return ip;
  }
  if (::inet_pton(AF_INET6, buf, ip.bytes.data()) == 1) {
    ip.size = 16;
    return ip;
  }
  return std::nullopt;
}

bool prefix_equal(const IpAddress& a, const IpAddress& b, unsigned bits) {
  if (a.size != b.size || bits > a.size * 8) return false;
  const unsigned whole = bits / 8;
  if (std::memcmp(a.bytes.data(), b.bytes.data(), whole) != 0) return false;
  const unsigned rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xffu << (8 - rest));
  return ((a.bytes[whole] ^ b.bytes[whole]) & mask) == 0;
}

// "10.0.0.0/8" against an address. libcurl reads "/0" (or no slash) as "this exact address"
// for IPv4 and as /128 for IPv6; GLib uses the same meaning for a bare address.
bool ip_entry_matches(const IpAddress& host, std::string_view entry) {
  unsigned bits = static_cast<unsigned>(host.size * 8);
  if (const auto slash = entry.find('/'); slash != std::string_view::npos) {
    const auto digits = entry.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return false;
    unsigned value = 0;
    for (const char c : digits) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value != 0) bits = value;
    entry = entry.substr(0, slash);
  }
  const auto net = parse_ip(entry);
  return net && prefix_equal(host, *net, bits);
}

// The host itself, or a host below the entry's domain ("www.example.com" under "example.com").
bool domain_matches(std::string_view host, std::string_view domain) {
  if (domain.empty()) return false;
  if (domain.size() == host.size()) return iequals(domain, host);
  return domain.size() < host.size() && host[host.size() - domain.size() - 1] == '.' &&
         iequals(domain, host.substr(host.size() - domain.size()));
}

std::string_view strip_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

// libcurl's tokenizer: blanks and commas separate entries.
std::vector<std::string_view> curl_tokens(std::string_view list) {
  std::vector<std::string_view> tokens;
  std::size_t pos = 0;
  while (pos < list.size()) {
    const auto start = list.find_first_not_of(" \t,", pos);
    if (start == std::string_view::npos) break;
    const auto end = list.find_first_of(" \t,", start);
    tokens.push_back(list.substr(start, end == std::string_view::npos ? end : end - start));
    pos = end == std::string_view::npos ? list.size() : end;
  }
  return tokens;
}

}  // namespace

BypassMatch curl_no_proxy_match(std::string_view host, std::string_view no_proxy) {
  host = strip_brackets(host);
  if (host.empty() || no_proxy.empty()) return std::nullopt;
  if (no_proxy == "*") return std::string("*");
  const auto ip = parse_ip(host);
  if (!ip && host.back() == '.') host.remove_suffix(1);
  for (const auto token : curl_tokens(no_proxy)) {
    if (ip) {
      if (ip_entry_matches(*ip, token)) return std::string(token);
      continue;
    }
    auto name = token;
    if (name.back() == '.') name.remove_suffix(1);
    if (!name.empty() && name.front() == '.') name.remove_prefix(1);
    if (domain_matches(host, name)) return std::string(token);
  }
  return std::nullopt;
}

std::vector<std::string> curl_no_proxy_ignored_entries(std::string_view no_proxy) {
  std::vector<std::string> ignored;
  if (trim(no_proxy) == "*") return ignored;
  for (const auto token : curl_tokens(no_proxy)) {
    const auto slash = token.find('/');
    const bool wildcard = token.find('*') != std::string_view::npos;
    const bool ip_or_range = parse_ip(token.substr(0, slash)).has_value();
    const bool has_port = !ip_or_range && token.find(':') != std::string_view::npos;
    const bool bad_range = slash != std::string_view::npos && !ip_or_range;
    if (wildcard || has_port || bad_range) ignored.emplace_back(token);
  }
  return ignored;
}

BypassMatch desktop_ignore_match(std::string_view host, std::uint16_t port,
                                 std::string_view ignore_list) {
  host = strip_brackets(host);
  if (host.empty()) return std::nullopt;
  const auto ip = parse_ip(host);
  if (!ip && host.back() == '.') host.remove_suffix(1);
  std::size_t pos = 0;
  while (pos <= ignore_list.size()) {
    const auto end = ignore_list.find(',', pos);
    const auto raw = trim(ignore_list.substr(pos, end == std::string_view::npos ? end : end - pos));
    pos = end == std::string_view::npos ? ignore_list.size() + 1 : end + 1;
    if (raw.empty()) continue;
    std::string_view entry = raw;
    // A trailing ":port" restricts the entry to one port ("[v6]:port" for IPv6 addresses).
    std::optional<std::string_view> entry_port;
    if (entry.front() == '[') {
      const auto close = entry.find(']');
      if (close == std::string_view::npos) continue;
      if (close + 1 < entry.size() && entry[close + 1] == ':') entry_port = entry.substr(close + 2);
      entry = entry.substr(1, close - 1);
    } else if (entry.find(':') == entry.rfind(':') && entry.find(':') != std::string_view::npos) {
      entry_port = entry.substr(entry.find(':') + 1);
      entry = entry.substr(0, entry.find(':'));
    }
    if (entry_port && *entry_port != std::to_string(port)) continue;
    if (ip) {
      if (ip_entry_matches(*ip, entry)) return std::string(raw);
      continue;
    }
    if (entry.starts_with("*.")) entry.remove_prefix(2);
    if (entry.starts_with('.')) entry.remove_prefix(1);
    if (entry == "*" || domain_matches(host, entry)) return std::string(raw);
  }
  return std::nullopt;
}

}  // namespace tlsdoctor::proxy
