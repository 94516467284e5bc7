// Loopback ports for programs the lab starts (squid, haproxy): a free one, and waiting until one accepts.
#pragma once

#include <chrono>
#include <cstdint>

namespace tlsdoctor::lab {

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read, released). For
// programs that must be told their port; another process may take it first, so callers retry.
std::uint16_t unused_loopback_port();

// Whether a TCP connection to 127.0.0.1:port succeeds before `until` (tried every 20 ms): a
// program's "listening" line can come just before its listen() does.
bool loopback_port_accepts(std::uint16_t port, std::chrono::steady_clock::time_point until);

}  // namespace tlsdoctor::lab
