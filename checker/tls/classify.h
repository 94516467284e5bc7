// Turns what went wrong in a handshake or a chain verification into one failure class, as pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "pki/chain_verify.h"
#include "tls/failure.h"
#include "tls/handshake.h"
#include "tls/openssl_errors.h"

namespace tlsdoctor::tls {

// The one class for a chain that failed verification (cert_invalid when `verification` holds no
// error at all). `chain_length_sent` is how many certificates the server sent: with a single
// certificate, a missing issuer cannot be blamed on a root the store lacks, only on the server
// leaving its intermediates out. The priority among several errors is documented in classify.cpp
// and docs/report-schema.md.
Failure chain_failure(const pki::ChainVerification& verification, std::size_t chain_length_sent);

// Everything a failed SSL_connect left behind, gathered by the probe.
struct HandshakeOutcome {
  bool timed_out = false;      // the handshake deadline passed
  int ssl_error = 0;           // SSL_get_error() of the failing call
  int system_errno = 0;        // errno when ssl_error is SSL_ERROR_SYSCALL
  std::vector<OpenSslError> errors;  // the thread's OpenSSL error queue, oldest first
  std::vector<AlertRecord> alerts;   // alerts sent and received (from the message callback)
  bool certificate_requested = false;  // the server sent CertificateRequest
  bool server_bytes_seen = false;      // any byte at all came back from the server
  // A ServerHello (or HelloRetryRequest) was parsed: the peer speaks TLS. Without one, the
  // record-layer complaints that garbage produces (wrong version number, a record too long)
  // mean "not TLS" rather than "TLS with a message beyond our caps".
  bool server_hello_received = false;
};

struct Classification {
  Failure failure = Failure::None;
  // What the class rests on: OpenSSL's reason ("wrong version number"), the alert's name, the
  // system error text, or a sentence for the timeout. Never empty for a failure.
  std::string detail;
};

// The class of a handshake that did not complete. Pure: looks only at `outcome`.
Classification classify_handshake(const HandshakeOutcome& outcome);

}  // namespace tlsdoctor::tls
