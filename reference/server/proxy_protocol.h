// PROXY protocol v2 headers (HAProxy's send-proxy-v2): how many bytes to read, and the client address they carry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include <tl/expected.hpp>

#include "core/error.h"
#include "reference/protocol/messages.h"

namespace tlsdoctor::reference {

// The signature, version/command, family/transport and length: always this many bytes.
inline constexpr std::size_t kProxyV2FixedBytes = 16;
// Addresses (at most 216 bytes for AF_UNIX) plus the few TLVs HAProxy adds; more is not a proxy we run behind.
inline constexpr std::size_t kMaxProxyV2Remaining = 1024;

struct ProxiedPeer {
  bool local = false;                     // LOCAL command (a health check): keep the socket's own peer
  std::optional<PeerAddress> source;      // the client, for TCP over IPv4 or IPv6
  std::optional<PeerAddress> destination;
};

// How many bytes follow the fixed part; an Error when it is not a PROXY v2 header.
tl::expected<std::size_t, Error> proxy_v2_remaining(std::span<const std::uint8_t, kProxyV2FixedBytes> fixed);
tl::expected<ProxiedPeer, Error> parse_proxy_v2(std::span<const std::uint8_t, kProxyV2FixedBytes> fixed,
                                                std::span<const std::uint8_t> rest);

}  // namespace tlsdoctor::reference
