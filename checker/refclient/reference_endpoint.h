// Where the reference's TLS listener is, for handshakes made straight to it (not through libcurl).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "refclient/reference_client.h"

namespace tlsdoctor::refclient {

struct ReferenceEndpoint {
  std::string host;  // IPv6 literals without brackets
  std::uint16_t port = 443;
  std::vector<std::string> addresses;  // from the target's resolve entries for host:port
};

// The host and port of target.url ("https://host[:port][/prefix]") and the addresses its
// resolve entries give them; nullopt when the URL is not of that form.
std::optional<ReferenceEndpoint> endpoint_of(const ReferenceTarget& target);

}  // namespace tlsdoctor::refclient
