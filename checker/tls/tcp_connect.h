// TCP to the first address that answers: each address in order with its share of the connect timeout.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/deadline.h"
#include "tls/dns.h"
#include "tls/failure.h"
#include "tls/handshake.h"
#include "tls/handshake_io.h"

namespace tlsdoctor::tls {

struct TcpConnection {
  UniqueFd fd;                 // connected, non-blocking; empty when every address failed
  std::optional<std::size_t> used;  // index into the addresses of the one that connected
  std::vector<ConnectAttempt> attempts;
  Failure failure = Failure::None;  // the last attempt's class when none connected
  std::string detail;
};

// The failure class of a connect errno (ECONNREFUSED -> tcp_refused, ENETUNREACH ->
// tcp_unreachable, ...), as a pure function; 0 means the deadline passed (tcp_timeout).
Failure classify_connect_errno(int system_errno);

// Tries `addresses` in order and stops at the first that connects. Attempt i may use the time
// left divided by the addresses not yet tried, so one black-holed address cannot eat the whole
// budget, while a fast refusal hands its share on to the next address. Bounded by `deadline`.
TcpConnection connect_first(std::span<const ResolvedAddress> addresses, const Deadline& deadline);

}  // namespace tlsdoctor::tls
