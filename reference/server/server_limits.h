// The reference server's limits, each with why that number.
#pragma once

#include <chrono>
#include <cstddef>

namespace tlsdoctor::reference {

// A TLS handshake on any real path takes well under a second; ten covers a satellite link
// and a slow client, and bounds what a connection that never finishes one can hold.
inline constexpr std::chrono::seconds kHandshakeTimeout{10};
// From the first byte of a request to its last: a slowloris client feeding a header a byte at
// a time is cut off here, whatever its pace.
inline constexpr std::chrono::seconds kRequestTimeout{10};
// How long a kept-alive connection may sit between requests.
inline constexpr std::chrono::seconds kIdleTimeout{15};
// Writing an answer (at most an observe answer of ~1 MiB) to a reader that does not read.
inline constexpr std::chrono::seconds kWriteTimeout{10};
// The checker's requests carry a few short headers; 8 KiB is what common servers allow.
inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
// Open connections at once; the rest are closed as they arrive (each costs a descriptor and
// ~50 KiB of TLS state). The server raises its descriptor limit to fit at start.
inline constexpr std::size_t kMaxConnections = 2000;
// Requests on one kept-alive connection before the server closes it.
inline constexpr std::size_t kMaxRequestsPerConnection = 100;
// Observations run at once across all clients (each is ~5 handshakes to the target on engine
// threads); more are answered 429 "busy" rather than queued, so that a burst cannot pile up
// outbound connections.
inline constexpr std::size_t kMaxConcurrentObserves = 8;
// Per client (IPv4 address or IPv6 /64): a burst of this many observations, then one more per
// kObserveRefillInterval; beyond that 429 "rate_limited" with Retry-After. A checker run makes
// one observation per target, so five at once covers a run with several targets.
inline constexpr std::size_t kObserveBurst = 5;
inline constexpr std::chrono::seconds kObserveRefillInterval{12};
// Clients whose buckets are remembered; full buckets are dropped first when room is needed.
inline constexpr std::size_t kMaxTrackedClients = 10000;

// On SIGTERM, connections in flight get this long to finish before the server stops.
inline constexpr std::chrono::seconds kShutdownGrace{5};

}  // namespace tlsdoctor::reference
