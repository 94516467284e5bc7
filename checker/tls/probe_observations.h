// Turns what OpenSSL and the observer saw of one handshake into the Handshake record's fields.
#pragma once

#include <openssl/ssl.h>

#include "tls/handshake.h"
#include "tls/observer.h"

namespace tlsdoctor::tls {

// The first ClientHello as sent, its parse and fingerprints, and how many were sent.
void record_client_hello(Handshake& handshake, const HandshakeObserver& observer);

// The ServerHello as received (the real one after a HelloRetryRequest); nullopt when none came.
// After a completed handshake, `ssl` adds what only OpenSSL knows (group and signature names).
std::optional<ServerHelloObservation> observe_server_hello(const HandshakeObserver& observer, SSL* ssl,
                                                           bool completed);

// The peer's certificates as sent, in order, at most kMaxPeerChainLength (the rest is dropped
// and the chain marked truncated). Works after a failed handshake too, if the chain arrived.
void record_peer_chain(Handshake& handshake, SSL* ssl);

// The signature scheme the server signed the handshake with, as its IANA name
// ("ecdsa_secp256r1_sha256"); "" when unknown.
std::string peer_signature_scheme(SSL* ssl);

// Whether the server stapled an OCSP response.
bool ocsp_stapled(SSL* ssl);

}  // namespace tlsdoctor::tls
