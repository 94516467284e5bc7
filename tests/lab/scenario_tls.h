// The server side of a real TLS handshake through memory BIOs, so the lab decides when OpenSSL's bytes reach the socket.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <openssl/ssl.h>

#include "lab/scenario_io.h"

namespace tlsdoctor::lab {

// OneBytePerSecond's interval between two bytes.
inline constexpr std::chrono::milliseconds kTrickleInterval{1000};
// What the server buffers from a client while it is busy trickling; a real client sends nothing
// then, and a flooding one is not read further until the handshake wants more.
inline constexpr std::size_t kMaxBufferedClientBytes = 64 * 1024;

enum class Pacing {
  AllAtOnce,         // a well-behaved server
  OneBytePerSecond,  // every byte kTrickleInterval after the previous one
  CutFirstRecord,    // the first flight's first record half sent, then the connection closes
};

struct TlsOutcome {
  bool completed = false;
  std::string failure;                    // "" when completed
  std::vector<std::uint8_t> client_hello; // the first ClientHello message OpenSSL processed
};

// Runs SSL_accept for a new SSL of `ctx` over `io`. `already_read` are bytes the caller took off
// the socket before (DropLargeHello looks at the ClientHello first). On completion the server
// sends close_notify; the caller closes the socket.
TlsOutcome serve_tls(SSL_CTX* ctx, ConnectionIo& io, Pacing pacing, std::span<const std::uint8_t> already_read);

}  // namespace tlsdoctor::lab
