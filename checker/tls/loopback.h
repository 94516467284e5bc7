// The loopback measurement: which TLS versions this machine's OpenSSL policy lets a client use.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "core/deadline.h"
#include "core/error.h"
#include "tls/tls_version.h"

namespace tlsdoctor::tls {

// Connecting to our own listening socket on 127.0.0.1 takes microseconds; 300 ms leaves room
// for a machine under heavy load or a sanitizer build without stalling a 15 s run.
inline constexpr std::chrono::milliseconds kLoopbackConnectTimeout{300};
// A loopback handshake (P-256 or P-384 certificate) takes 1-5 ms; 500 ms is a hundredfold margin.
inline constexpr std::chrono::milliseconds kLoopbackHandshakeTimeout{500};
// How long the client waits for the server to record its side of a connection (evidence only).
inline constexpr std::chrono::milliseconds kLoopbackServerReportWait{100};

enum class LoopbackOutcome {
  Accepted,  // the handshake completed at that version
  Refused,   // OpenSSL on the client side would not (or could not) use that version
  NotRun,    // the measurement for that version did not happen (timeout, deadline, socket error)
};
std::string_view to_string(LoopbackOutcome outcome);  // "accepted", "refused", "not_run"

struct LoopbackResult {
  TlsVersion version = TlsVersion::Tls1_2;
  LoopbackOutcome outcome = LoopbackOutcome::NotRun;
  std::string negotiated;     // "TLSv1.3" when accepted
  std::string cipher;         // "TLS_AES_256_GCM_SHA384" when accepted
  std::string reason;         // OpenSSL's reason when refused ("no protocols available"), or why not run
  std::string detail;         // OpenSSL's full error line
  std::optional<std::string> alert;          // "sent: protocol version", "received: handshake failure"
  std::optional<std::string> server_reason;  // the server side's own failure, when it had one
  std::chrono::milliseconds duration{0};
};

struct LoopbackReport {
  std::vector<LoopbackResult> results;  // in the order of the versions asked for
  std::chrono::milliseconds duration{0};
};

// Starts an in-process server on 127.0.0.1 and, for each version, connects a client made with
// SSL_CTX_new(TLS_client_method()) under this process's system OpenSSL configuration, with its
// maximum version lowered to the version under test and nothing else changed. Error only when
// the measurement cannot start at all (no certificate, no socket).
tl::expected<LoopbackReport, Error> measure_loopback(const Deadline& deadline,
                                                     std::span<const TlsVersion> versions = kMeasuredTlsVersions);

// The same clients against a server that accepts every version at `address` (the embedded
// reference): the policy alone decides, since the server refuses nothing. No server-side view.
LoopbackReport measure_loopback_at(const sockaddr_in& address, const Deadline& deadline,
                                   std::span<const TlsVersion> versions = kMeasuredTlsVersions);

}  // namespace tlsdoctor::tls
