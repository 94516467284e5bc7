// Which IP addresses the reference refuses to dial for POST /v1/observe, and the CIDR allow list that lifts that.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor::reference {

enum class IpFamily { V4, V6 };

// An address as the guard sees it: IPv4 in the first 4 bytes, IPv6 in all 16, network order.
// An IPv4-mapped IPv6 address stays IPv6 here: the guard refuses every IPv4 embedding as such
// rather than unwrapping it, so a V4 allow entry never matches ::ffff:a.b.c.d.
struct IpAddress {
  IpFamily family = IpFamily::V4;
  std::array<std::uint8_t, 16> bytes{};

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// The canonical text forms only: a dotted quad without leading zeros, or IPv6 without a zone
// ("fe80::1%eth0") or brackets. nullopt for anything else, including the forms inet_aton reads
// ("127.1", "0x7f.0.0.1", "2130706433").
std::optional<IpAddress> parse_ip_address(std::string_view text);
// The address of an AF_INET or AF_INET6 socket address; nullopt for any other family.
std::optional<IpAddress> ip_address_of(const sockaddr_storage& address);
std::string to_string(const IpAddress& address);  // inet_ntop's form

struct Cidr {
  IpFamily family = IpFamily::V4;
  std::array<std::uint8_t, 16> network{};  // host bits always zero
  unsigned prefix_length = 0;              // 0..32 for V4, 0..128 for V6

  // False for an address of the other family.
  bool contains(const IpAddress& address) const;
};
std::string to_string(const Cidr& cidr);  // "10.0.0.0/8"

// "10.0.0.0/8", "fd00::/8"; a bare address is a /32 or /128. Host bits are masked off
// ("192.168.1.10/24" is 192.168.1.0/24: an operator who writes a host inside the network means
// the network). Errors name the input: a prefix length out of range or not plain decimal, an
// address that is not in canonical form ("010.0.0.0/8" would read as octal to some tools).
tl::expected<Cidr, Error> parse_cidr(std::string_view text);

// nullopt when `address` is public; otherwise a short reason naming the range, e.g.
// "loopback 127.0.0.0/8 (RFC 1122)". For the IPv6 forms that embed an IPv4 address the reason
// says which embedding and the IPv4 address it carries.
std::optional<std::string> forbidden_reason(const IpAddress& address);

// The guard's configuration: addresses inside an `allow` network are dialed whatever range they
// are in (a company observing intranet hosts; the lab's 127.0.0.0/8).
struct AddressPolicy {
  std::vector<Cidr> allow;
};

// nullopt when the policy lets the reference dial `address`; otherwise why not.
std::optional<std::string> refusal(const AddressPolicy& policy, const IpAddress& address);

}  // namespace tlsdoctor::reference
