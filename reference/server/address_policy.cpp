// The special-purpose address table the observe guard refuses, strict address and CIDR parsing, and the allow list.
#include "reference/server/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace tlsdoctor::reference {
namespace {

constexpr unsigned kV4Bits = 32;
constexpr unsigned kV6Bits = 128;
// A dotted-quad part is at most "255"; a prefix length at most "128".
constexpr std::size_t kMaxDecimalDigits = 3;

unsigned bits_of(IpFamily family) { return family == IpFamily::V4 ? kV4Bits : kV6Bits; }

// Plain decimal with no sign, no leading zero (except "0" itself) and at most `max_digits`:
// the one spelling every parser reads the same way.
std::optional<unsigned> parse_canonical_decimal(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  if (text.size() > 1 && text.front() == '0') return std::nullopt;
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

std::optional<IpAddress> parse_dotted_quad(std::string_view text) {
  IpAddress address;
  address.family = IpFamily::V4;
  std::size_t part = 0;
  while (true) {
    const auto dot = text.find('.');
    const auto value = parse_canonical_decimal(text.substr(0, dot), kMaxDecimalDigits);
    if (!value || *value > 255 || part == 4) return std::nullopt;
    address.bytes[part++] = static_cast<std::uint8_t>(*value);
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  if (part != 4) return std::nullopt;
  return address;
}

std::optional<IpAddress> parse_ipv6(std::string_view text) {
  // inet_pton reads a C string: refuse anything but the characters IPv6 text is made of, so an
  // embedded NUL, a zone ("%eth0") or brackets cannot slip past it.
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
  });
  if (!plain) return std::nullopt;
  const std::string copy(text);
  in6_addr raw{};
  if (inet_pton(AF_INET6, copy.c_str(), &raw) != 1) return std::nullopt;
  IpAddress address;
  address.family = IpFamily::V6;
  std::memcpy(address.bytes.data(), &raw, sizeof(raw));
  return address;
}

std::string ipv4_text(const std::uint8_t* bytes) {
  return std::to_string(bytes[0]) + "." + std::to_string(bytes[1]) + "." + std::to_string(bytes[2]) + "." +
         std::to_string(bytes[3]);
}

// Where a special-purpose IPv6 range carries an IPv4 address, so the reason can name it.
enum class Embedding {
  None,
  Last32,     // bits 96..127: mapped, compatible, translated, NAT64 /96
  SixToFour,  // bits 16..47: 2002:AABB:CCDD::/48 is the 6to4 site of A.B.C.D
  Teredo,     // bits 32..63 the Teredo server; bits 96..127 the client, every bit inverted
  Unknown,    // the operator picks the prefix length, and with it where the IPv4 address sits
};

struct SpecialRange {
  std::string_view cidr;
  std::string_view name;
  std::string_view source;
  Embedding embedding = Embedding::None;
};

// Taken from the IANA IPv4 and IPv6 Special-Purpose Address Registries
// (https://www.iana.org/assignments/iana-ipv4-special-registry,
//  https://www.iana.org/assignments/iana-ipv6-special-registry; RFC 6890), plus multicast,
// class E and site-local from the address-space registries. The guard refuses every row, even
// the few registry entries marked globally reachable (192.0.0.9/32, 2001:1::1/128...): an
// observe target is a public TLS server, and none of those is one. First match wins, so a
// narrow row comes before a wider one that holds it (255.255.255.255 before 240/4, ::1 before ::/96).
constexpr SpecialRange kSpecialRanges[] = {
    // IPv4
    {"0.0.0.0/8", "this network", "RFC 791, RFC 1122"},
    {"10.0.0.0/8", "private", "RFC 1918"},
    {"100.64.0.0/10", "shared address space (CGNAT)", "RFC 6598"},
    {"127.0.0.0/8", "loopback", "RFC 1122"},
    {"169.254.0.0/16", "link-local (cloud metadata services live here)", "RFC 3927"},
    {"172.16.0.0/12", "private", "RFC 1918"},
    {"192.0.0.0/24", "IETF protocol assignments", "RFC 6890"},
    {"192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737"},
    {"192.88.99.0/24", "6to4 relay anycast", "RFC 7526"},
    {"192.168.0.0/16", "private", "RFC 1918"},
    {"198.18.0.0/15", "benchmarking", "RFC 2544"},
    {"198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737"},
    {"203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737"},
    {"224.0.0.0/4", "multicast", "RFC 5771"},
    {"255.255.255.255/32", "limited broadcast", "RFC 919, RFC 8190"},
    {"240.0.0.0/4", "reserved (class E)", "RFC 1112"},
    // IPv6
    {"::/128", "unspecified", "RFC 4291"},
    {"::1/128", "loopback", "RFC 4291"},
    {"::ffff:0:0/96", "IPv4-mapped", "RFC 4291", Embedding::Last32},
    {"::/96", "IPv4-compatible (deprecated)", "RFC 4291", Embedding::Last32},
    {"::ffff:0:0:0/96", "IPv4-translated (SIIT)", "RFC 2765", Embedding::Last32},
    {"64:ff9b::/96", "NAT64 well-known prefix", "RFC 6052", Embedding::Last32},
    {"64:ff9b:1::/48", "NAT64 local-use prefix", "RFC 8215", Embedding::Unknown},
    {"100::/64", "discard-only", "RFC 6666"},
    {"2001::/32", "Teredo", "RFC 4380", Embedding::Teredo},
    {"2001:2::/48", "benchmarking", "RFC 5180"},
    {"2001:10::/28", "ORCHID (deprecated)", "RFC 4843"},
    {"2001:20::/28", "ORCHIDv2", "RFC 7343"},
    {"2001::/23", "IETF protocol assignments", "RFC 2928"},
    {"2001:db8::/32", "documentation", "RFC 3849"},
    {"2002::/16", "6to4", "RFC 3056", Embedding::SixToFour},
    {"3fff::/20", "documentation", "RFC 9637"},
    {"fc00::/7", "unique local", "RFC 4193"},
    {"fe80::/10", "link-local", "RFC 4291"},
    {"fec0::/10", "site-local (deprecated)", "RFC 3879"},
    {"ff00::/8", "multicast", "RFC 4291"},
    // What is left outside 2000::/3, the only space IANA allocates for global unicast (IANA IPv6
    // Address Space registry; RFC 4291 §2.4): no public server has an address there.
    {"::/3", "reserved (outside global unicast 2000::/3)", "RFC 4291"},
    {"4000::/2", "reserved (outside global unicast 2000::/3)", "RFC 4291"},
    {"8000::/1", "reserved (outside global unicast 2000::/3)", "RFC 4291"},
};

struct ParsedRange {
  Cidr cidr;
  const SpecialRange* row;
};

// The table parsed once. A row that does not parse is a typo in the table above; the unit
// tests read every row, so it cannot ship.
const std::vector<ParsedRange>& special_ranges() {
  static const std::vector<ParsedRange> parsed = [] {
    std::vector<ParsedRange> out;
    for (const auto& row : kSpecialRanges) {
      if (auto cidr = parse_cidr(row.cidr)) out.push_back({*cidr, &row});
    }
    return out;
  }();
  return parsed;
}

std::string embedded_ipv4(const IpAddress& address, Embedding embedding) {
  const auto* b = address.bytes.data();
  switch (embedding) {
    case Embedding::None: return "";
    case Embedding::Last32: return " embedding " + ipv4_text(b + 12);
    case Embedding::SixToFour: return " embedding " + ipv4_text(b + 2);
    case Embedding::Teredo: {
      const std::uint8_t client[4] = {static_cast<std::uint8_t>(~b[12]), static_cast<std::uint8_t>(~b[13]),
                                      static_cast<std::uint8_t>(~b[14]), static_cast<std::uint8_t>(~b[15])};
      return " embedding client " + ipv4_text(client) + " via server " + ipv4_text(b + 4);
    }
    case Embedding::Unknown: return " embedding an IPv4 address at an operator-chosen position";
  }
  return "";
}

}  // namespace

std::optional<IpAddress> parse_ip_address(std::string_view text) {
  if (text.find(':') != std::string_view::npos) return parse_ipv6(text);
  return parse_dotted_quad(text);
}

std::optional<IpAddress> ip_address_of(const sockaddr_storage& address) {
  IpAddress out;
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    out.family = IpFamily::V4;
    std::memcpy(out.bytes.data(), &v4->sin_addr, 4);
    return out;
  }
  if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    out.family = IpFamily::V6;
    std::memcpy(out.bytes.data(), &v6->sin6_addr, 16);
    return out;
  }
  return std::nullopt;
}

std::string to_string(const IpAddress& address) {
  if (address.family == IpFamily::V4) return ipv4_text(address.bytes.data());
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, address.bytes.data(), text, sizeof(text));
  return text;
}

bool Cidr::contains(const IpAddress& address) const {
  if (address.family != family) return false;
  const unsigned whole = prefix_length / 8;
  if (!std::equal(network.begin(), network.begin() + whole, address.bytes.begin())) return false;
  const unsigned rest = prefix_length % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (address.bytes[whole] & mask) == network[whole];
}

std::string to_string(const Cidr& cidr) {
  return to_string(IpAddress{cidr.family, cidr.network}) + "/" + std::to_string(cidr.prefix_length);
}

tl::expected<Cidr, Error> parse_cidr(std::string_view text) {
  const std::string input(text);
  const auto slash = text.find('/');
  const auto address_text = text.substr(0, slash);
  const auto address = parse_ip_address(address_text);
  if (!address) {
    return tl::unexpected(Error{input, "\"" + std::string(address_text) +
                                           "\" is not an IP address in canonical form (a dotted quad without "
                                           "leading zeros, or IPv6 without a zone)"});
  }
  Cidr cidr;
  cidr.family = address->family;
  cidr.prefix_length = bits_of(address->family);
  if (slash != std::string_view::npos) {
    const auto length_text = text.substr(slash + 1);
    const auto length = parse_canonical_decimal(length_text, kMaxDecimalDigits);
    if (!length || *length > bits_of(address->family)) {
      return tl::unexpected(Error{input, "prefix length \"" + std::string(length_text) + "\" is not a number from 0 to " +
                                             std::to_string(bits_of(address->family))});
    }
    cidr.prefix_length = *length;
  }
  for (unsigned byte = 0; byte < 16; ++byte) {
    const unsigned first_bit = byte * 8;
    std::uint8_t mask = 0;
    if (cidr.prefix_length >= first_bit + 8) {
      mask = 0xff;
    } else if (cidr.prefix_length > first_bit) {
      mask = static_cast<std::uint8_t>(0xff << (8 - (cidr.prefix_length - first_bit)));
    }
    cidr.network[byte] = static_cast<std::uint8_t>(address->bytes[byte] & mask);
  }
  return cidr;
}

std::optional<std::string> forbidden_reason(const IpAddress& address) {
  for (const auto& range : special_ranges()) {
    if (!range.cidr.contains(address)) continue;
    const auto& row = *range.row;
    return std::string(row.name) + " " + std::string(row.cidr) + " (" + std::string(row.source) + ")" +
           embedded_ipv4(address, row.embedding);
  }
  return std::nullopt;
}

std::optional<std::string> refusal(const AddressPolicy& policy, const IpAddress& address) {
  const bool allowed =
      std::any_of(policy.allow.begin(), policy.allow.end(), [&](const Cidr& cidr) { return cidr.contains(address); });
  if (allowed) return std::nullopt;
  return forbidden_reason(address);
}

}  // namespace tlsdoctor::reference
