// The TLS stage of one probe: handshake over a connected socket, observations, verification, the failure class.
#pragma once

#include <chrono>

#include "core/deadline.h"
#include "tls/client_context.h"
#include "tls/handshake.h"

namespace tlsdoctor::tls {

// In TLS 1.3 a server that wanted a client certificate and got none says so only after the
// client's handshake has completed (its alert answers the client's Finished). A probe that saw a
// CertificateRequest waits this long for that verdict — one round trip on any sane path —
// before calling the handshake good; a NewSessionTicket ends the wait early (the server has
// accepted). Bounded by the handshake deadline.
inline constexpr std::chrono::milliseconds kClientCertVerdictWait{1000};

// Runs the handshake of handshake.spec over `fd` (connected, non-blocking) and fills the TLS
// observations, the verification and failure/stage/detail/completed. Bounded by `deadline`.
// With `contexts`, the client's SSL_CTX is shared with the batch's other probes.
void run_tls_stage(Handshake& handshake, int fd, const Deadline& deadline, ClientContextCache* contexts = nullptr);

}  // namespace tlsdoctor::tls
