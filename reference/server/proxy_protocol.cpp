// Parses the binary PROXY v2 header (haproxy doc/proxy-protocol.txt, section 2.2); TLVs are skipped.
#include "reference/server/proxy_protocol.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>

namespace tlsdoctor::reference {
namespace {

// Code points of section 2.2: the high nibble of byte 13 is the version, the low one the
// command; byte 14 holds the address family (high nibble) and the transport (low nibble).
constexpr unsigned kVersion2 = 0x2;
enum class Command : unsigned { Local = 0x0, Proxy = 0x1 };
enum class Family : unsigned { Unspec = 0x0, Inet = 0x1, Inet6 = 0x2, Unix = 0x3 };
enum class Transport : unsigned { Unspec = 0x0, Stream = 0x1, Dgram = 0x2 };
constexpr unsigned kLastFamily = 0x3;
constexpr unsigned kLastTransport = 0x2;

// Address blocks: two addresses, then two ports for IP families.
constexpr std::size_t kInetBlock = 2 * 4 + 2 * 2;
constexpr std::size_t kInet6Block = 2 * 16 + 2 * 2;
constexpr std::size_t kUnixBlock = 2 * 108;

// What a client that skipped the proxy sends first: a TLS record header, content type 22
// (handshake) and a 3.x legacy version (RFC 8446, section 5.1).
constexpr std::uint8_t kTlsHandshakeRecord = 0x16;
constexpr std::uint8_t kTlsMajorVersion = 0x03;
// Version 1 of the protocol is a text line starting with these letters (section 2.1).
constexpr std::string_view kVersion1Prefix = "PROXY";

struct FixedPart {
  Command command = Command::Local;
  Family family = Family::Unspec;
  Transport transport = Transport::Unspec;
  std::size_t length = 0;  // bytes after the fixed part
};

Error invalid(std::string message) { return Error{"PROXY v2 header", std::move(message)}; }

std::uint16_t big_endian_16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

std::string signature_mismatch(std::span<const std::uint8_t, kProxyV2FixedBytes> fixed) {
  if (std::equal(kVersion1Prefix.begin(), kVersion1Prefix.end(), fixed.begin())) {
    return "a PROXY protocol version 1 (text) header; this server reads only version 2 "
           "(HAProxy: send-proxy-v2, not send-proxy)";
  }
  if (fixed[0] == kTlsHandshakeRecord && fixed[1] == kTlsMajorVersion) {
    return "a TLS record instead of a PROXY v2 header: the client connected directly, not through the proxy";
  }
  return "no PROXY v2 signature: the connection did not come through a proxy that sends PROXY protocol v2";
}

const char* family_name(Family family) {
  switch (family) {
    case Family::Unspec: return "AF_UNSPEC";
    case Family::Inet: return "IPv4";
    case Family::Inet6: return "IPv6";
    case Family::Unix: return "AF_UNIX";
  }
  return "?";
}

// Bytes the family's addresses take, 0 when the spec says to ignore them (AF_UNSPEC, or
// transport UNSPEC, whose layout is not defined).
std::size_t address_block(Family family, Transport transport) {
  if (transport == Transport::Unspec) return 0;
  switch (family) {
    case Family::Unspec: return 0;
    case Family::Inet: return kInetBlock;
    case Family::Inet6: return kInet6Block;
    case Family::Unix: return kUnixBlock;
  }
  return 0;
}

tl::expected<FixedPart, Error> read_fixed_part(std::span<const std::uint8_t, kProxyV2FixedBytes> fixed) {
  if (!std::equal(kProxyV2Signature.begin(), kProxyV2Signature.end(), fixed.begin())) {
    return tl::unexpected(invalid(signature_mismatch(fixed)));
  }
  const unsigned version = fixed[12] >> 4U;
  if (version != kVersion2) {
    return tl::unexpected(invalid("PROXY protocol version " + std::to_string(version) + "; only version 2 is read"));
  }
  const unsigned command = fixed[12] & 0x0FU;
  if (command != static_cast<unsigned>(Command::Local) && command != static_cast<unsigned>(Command::Proxy)) {
    return tl::unexpected(invalid("unknown command " + std::to_string(command) + " (only LOCAL 0 and PROXY 1 exist)"));
  }
  FixedPart part;
  part.command = static_cast<Command>(command);
  part.length = big_endian_16(fixed, 14);
  if (part.length > kMaxProxyV2Remaining) {
    return tl::unexpected(invalid(std::to_string(part.length) + " bytes of addresses and TLVs announced, more than the " +
                                  std::to_string(kMaxProxyV2Remaining) + " accepted"));
  }
  // A LOCAL header's family is ignored (section 2.2), so only PROXY's is checked.
  if (part.command == Command::Local) return part;
  const unsigned family = fixed[13] >> 4U;
  const unsigned transport = fixed[13] & 0x0FU;
  if (family > kLastFamily) return tl::unexpected(invalid("unknown address family " + std::to_string(family)));
  if (transport > kLastTransport) return tl::unexpected(invalid("unknown transport " + std::to_string(transport)));
  part.family = static_cast<Family>(family);
  part.transport = static_cast<Transport>(transport);
  if (const std::size_t needed = address_block(part.family, part.transport); part.length < needed) {
    return tl::unexpected(invalid(std::to_string(part.length) + " bytes cannot hold the " + family_name(part.family) +
                                  " addresses (" + std::to_string(needed) + " bytes)"));
  }
  return part;
}

// The address at `at` (4 or 16 bytes by family) and the port at `port_at`, as inet_ntop writes it.
PeerAddress address_at(std::span<const std::uint8_t> block, int family, std::size_t at, std::size_t port_at) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  ::inet_ntop(family, block.data() + at, text.data(), text.size());
  return PeerAddress{text.data(), big_endian_16(block, port_at)};
}

}  // namespace

tl::expected<std::size_t, Error> proxy_v2_remaining(std::span<const std::uint8_t, kProxyV2FixedBytes> fixed) {
  return read_fixed_part(fixed).map([](const FixedPart& part) { return part.length; });
}

tl::expected<ProxiedPeer, Error> parse_proxy_v2(std::span<const std::uint8_t, kProxyV2FixedBytes> fixed,
                                                std::span<const std::uint8_t> rest) {
  const auto part = read_fixed_part(fixed);
  if (!part) return tl::unexpected(part.error());
  if (rest.size() != part->length) {
    return tl::unexpected(invalid("the header announces " + std::to_string(part->length) + " bytes after its first " +
                                  std::to_string(kProxyV2FixedBytes) + ", but " + std::to_string(rest.size()) +
                                  " were given"));
  }
  ProxiedPeer peer;
  if (part->command == Command::Local) {
    peer.local = true;
    return peer;
  }
  if (address_block(part->family, part->transport) == 0) return peer;
  if (part->family == Family::Inet) {
    peer.source = address_at(rest, AF_INET, 0, 8);
    peer.destination = address_at(rest, AF_INET, 4, 10);
  } else if (part->family == Family::Inet6) {
    peer.source = address_at(rest, AF_INET6, 0, 32);
    peer.destination = address_at(rest, AF_INET6, 16, 34);
  }
  return peer;
}

}  // namespace tlsdoctor::reference
