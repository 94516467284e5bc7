// Name resolution for probes: every address in resolver order, bounded by a deadline getaddrinfo itself does not have.
#pragma once

#include <netdb.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/deadline.h"
#include "tls/failure.h"
#include "tls/handshake.h"

namespace tlsdoctor::tls {

// Lookups still running after their caller gave up (see resolve_host). Each holds one thread
// blocked in getaddrinfo; a resolver that never answers must not make a long run pile up
// threads, so beyond this many a new lookup fails at once with dns_error.
inline constexpr std::size_t kMaxAbandonedLookups = 32;
// A resolver may return the same host many times over (round-robin pools); more addresses than
// this are of no use to a probe and are not kept.
inline constexpr std::size_t kMaxResolvedAddresses = 32;

// One address to connect to, in the socket API's form and as text ("127.0.0.1", "::1").
struct ResolvedAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  std::string text;
};

struct Resolution {
  DnsObservation observation;  // what goes into the Handshake record
  std::vector<ResolvedAddress> addresses;
  Failure failure = Failure::None;  // a dns_* class when no address came back
  std::string detail;
};

// True for an IPv4 dotted quad or an IPv6 address (brackets allowed: "[::1]").
bool is_ip_literal(std::string_view host);
// The address for an IP literal and port; nullopt when `host` is not one.
std::optional<ResolvedAddress> literal_address(std::string_view host, std::uint16_t port);

// The failure class of a getaddrinfo error code (EAI_*), as a pure function.
Failure classify_getaddrinfo_error(int code);
// Words for a getaddrinfo error: gai_strerror, with "temporary" made explicit for EAI_AGAIN
// and errno's text for EAI_SYSTEM.
std::string describe_getaddrinfo_error(int code, int system_errno);

// Addresses for host:port. IP literals skip DNS (Source::Literal); `given` addresses, when not
// empty, skip DNS too (Source::Given; a given entry that is not an IP literal is an error).
// Otherwise getaddrinfo(AF_UNSPEC) runs on a thread of its own: if `deadline` passes first,
// this returns dns_timeout and the thread finishes later by itself.
Resolution resolve_host(const std::string& host, std::uint16_t port, const std::vector<std::string>& given,
                        const Deadline& deadline);

// getaddrinfo's signature; its results are released with freeaddrinfo.
using AddressLookup = int (*)(const char* host, const char* service, const addrinfo* hints, addrinfo** result);
// The same with another lookup function in getaddrinfo's place, so tests can stand in a slow
// resolver without sending queries anywhere.
Resolution resolve_host(const std::string& host, std::uint16_t port, const std::vector<std::string>& given,
                        const Deadline& deadline, AddressLookup lookup);

}  // namespace tlsdoctor::tls
