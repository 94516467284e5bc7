// Parses the binary PROXY v2 header (haproxy doc/proxy-protocol.txt, section 2.2); TLVs are skipped.
#include "reference/server/proxy_protocol.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

namespace tlsdoctor::reference {
namespace {

constexpr std::array<std::uint8_t, 12> kSignature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                                     0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
constexpr std::uint8_t kVersion2 = 0x2;
constexpr std::uint8_t kCommandLocal = 0x0;
constexpr std::uint8_t kCommandProxy = 0x1;
constexpr std::uint8_t kFamilyInet = 0x1;
constexpr std::uint8_t kFamilyInet6 = 0x2;
constexpr std::size_t kInetBlock = 12;   // two IPv4 addresses, two ports
constexpr std::size_t kInet6Block = 36;  // two IPv6 addresses, two ports

Error invalid(const std::string& message) { return Error{"PROXY v2 header", message}; }

std::uint16_t port_at(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

PeerAddress address_at(std::span<const std::uint8_t> bytes, int family, std::size_t at, std::size_t port_at_offset) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  ::inet_ntop(family, bytes.data() + at, text.data(), text.size());
  return PeerAddress{text.data(), port_at(bytes, port_at_offset)};
}

}  // namespace

tl::expected<std::size_t, Error> proxy_v2_remaining(std::span<const std::uint8_t, kProxyV2FixedBytes> fixed) {
  if (!std::equal(kSignature.begin(), kSignature.end(), fixed.begin())) {
    if (fixed[0] == 'P' && fixed[1] == 'R') return tl::unexpected(invalid("a PROXY v1 (text) header; v2 is required"));
    return tl::unexpected(invalid("the connection did not start with a PROXY v2 signature"));
  }
  if ((fixed[12] >> 4) != kVersion2) return tl::unexpected(invalid("version " + std::to_string(fixed[12] >> 4)));
  const std::size_t length = port_at(fixed, 14);
  if (length > kMaxProxyV2Remaining) {
    return tl::unexpected(invalid(std::to_string(length) + " bytes of addresses and TLVs, more than " +
                                  std::to_string(kMaxProxyV2Remaining)));
  }
  return length;
}

tl::expected<ProxiedPeer, Error> parse_proxy_v2(std::span<const std::uint8_t, kProxyV2FixedBytes> fixed,
                                                std::span<const std::uint8_t> rest) {
  auto length = proxy_v2_remaining(fixed);
  if (!length) return tl::unexpected(length.error());
  if (rest.size() != *length) return tl::unexpected(invalid("the header is truncated"));
  const std::uint8_t command = fixed[12] & 0x0F;
  if (command == kCommandLocal) return ProxiedPeer{true, std::nullopt, std::nullopt};
  if (command != kCommandProxy) return tl::unexpected(invalid("unknown command " + std::to_string(command)));
  // Any transport is accepted; only TCP/UDP over IPv4 and IPv6 carry an address we use.
  const std::uint8_t family = fixed[13] >> 4;
  ProxiedPeer peer;
  if (family == kFamilyInet) {
    if (rest.size() < kInetBlock) return tl::unexpected(invalid("too short for two IPv4 addresses"));
    peer.source = address_at(rest, AF_INET, 0, 8);
    peer.destination = address_at(rest, AF_INET, 4, 10);
  } else if (family == kFamilyInet6) {
    if (rest.size() < kInet6Block) return tl::unexpected(invalid("too short for two IPv6 addresses"));
    peer.source = address_at(rest, AF_INET6, 0, 32);
    peer.destination = address_at(rest, AF_INET6, 16, 34);
  }
  return peer;
}

}  // namespace tlsdoctor::reference
