// PROXY protocol v2 headers (HAProxy's send-proxy-v2): how many bytes to read, and the client address they carry.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include <tl/expected.hpp>

#include "core/error.h"
#include "reference/protocol/messages.h"

namespace tlsdoctor::reference {

// The first 12 bytes of every v2 header (haproxy doc/proxy-protocol.txt, section 2.2).
inline constexpr std::array<std::uint8_t, 12> kProxyV2Signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                                                   0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
// The signature, version/command, family/transport and length: always this many bytes.
inline constexpr std::size_t kProxyV2FixedBytes = 16;
// The most bytes we accept after the fixed part (addresses plus TLVs). The largest address
// block is AF_UNIX's 216 bytes; HAProxy adds at most a few TLVs (ALPN, authority, a unique id of
// up to 128 bytes, CRC32C, an SSL block). 1024 holds all of that, and a peer announcing more is
// not a proxy we run behind: refusing it keeps a stranger from making us buffer 64 KiB.
inline constexpr std::size_t kMaxProxyV2Remaining = 1024;

struct ProxiedPeer {
  bool local = false;                      // LOCAL command (a health check): keep the socket's own peer
  std::optional<PeerAddress> source;       // the client, for TCP (or UDP) over IPv4 or IPv6
  std::optional<PeerAddress> destination;  // the address the client dialed on the proxy
};

// How many bytes follow the fixed part, so that a server reads exactly the header and not one
// byte of what comes after it. An Error when these 16 bytes are not a v2 header we accept: no
// signature (a client that sent TLS directly, or a v1 text header, each named as such), another
// version, an unknown command, family or transport, a length over kMaxProxyV2Remaining, or a
// PROXY header whose length cannot hold its family's addresses.
tl::expected<std::size_t, Error> proxy_v2_remaining(std::span<const std::uint8_t, kProxyV2FixedBytes> fixed);

// The whole header: `fixed`, then `rest` of exactly proxy_v2_remaining(fixed) bytes.
// - LOCAL: `local`, no addresses (the spec says to ignore the family and use the real endpoints).
// - PROXY over AF_INET or AF_INET6 with transport STREAM or DGRAM: both addresses. DGRAM is
//   accepted although this server speaks TCP: the layout is the same and the addresses are still
//   the client's, and the transport is the proxy's business, not a reason to drop the client.
// - PROXY with AF_UNSPEC, or with transport UNSPEC: no addresses (the spec says to ignore them).
// - PROXY over AF_UNIX: no address (a socket path is not a peer the echo can report).
// TLVs are skipped unread; they only count against kMaxProxyV2Remaining.
tl::expected<ProxiedPeer, Error> parse_proxy_v2(std::span<const std::uint8_t, kProxyV2FixedBytes> fixed,
                                                std::span<const std::uint8_t> rest);

}  // namespace tlsdoctor::reference
