// Verification of a probe's peer chain against the spec's anchors, time and name, as an observation.
#pragma once

#include <span>

#include <openssl/types.h>

#include "tls/handshake.h"
#include "tls/probe_spec.h"

namespace tlsdoctor::tls {

// Verifies `chain` (the TLS library's certificates as the server sent them, leaf first) with pki::verify_chain: anchors from spec.trust,
// time spec.verify_time or now, name effective_verify_name(spec), at `security_level` (the
// client's, so that a weak key fails exactly when the client's policy would refuse it). The
// outcome is mapped to one failure class with chain_failure. An empty chain is not verified.
// A `truncated` chain (the server sent more than kMaxPeerChainLength) is cert_chain_too_long
// whatever the kept part says.
VerifyObservation verify_peer_chain(const ProbeSpec& spec, std::span<X509* const> chain, bool truncated,
                                    int security_level);

}  // namespace tlsdoctor::tls
