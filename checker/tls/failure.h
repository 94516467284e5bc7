// Failure classes of one probe: one enum with stable strings (part of the report schema).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tlsdoctor::tls {

// The stage a probe had reached when it stopped.
enum class ProbeStage { Dns, Proxy, Connect, Handshake, Verify, Done };
std::string_view to_string(ProbeStage stage);  // "dns", "proxy", "connect", "handshake", "verify", "done"

// Never renumber, rename or reuse a class: MDM rules and SIEM queries match on the strings.
// Add new classes at the end of their group.
enum class Failure {
  None,
  // name resolution
  DnsNxdomain,    // dns_nxdomain: the name does not exist
  DnsNoAddress,   // dns_no_address: the name exists but has no A/AAAA record
  DnsTimeout,     // dns_timeout
  DnsError,       // dns_error: SERVFAIL, no resolver reachable, anything else
  // TCP
  TcpRefused,      // tcp_refused: RST to our SYN
  TcpTimeout,      // tcp_timeout: no SYN-ACK before the connect deadline
  TcpUnreachable,  // tcp_unreachable: no route, network or host unreachable
  TcpReset,        // tcp_reset: reset after connecting, before TLS began
  TcpError,        // tcp_error
  // HTTP proxy (CONNECT)
  ProxyUnreachable,     // proxy_unreachable: the proxy itself cannot be resolved or connected to
  ProxyAuthRequired,    // proxy_auth_required: 407 (no or rejected credentials)
  ProxyRefused,         // proxy_refused: CONNECT answered 403, 405, 502, ... (not 407)
  ProxyClosed,          // proxy_closed: the proxy hung up or sent no HTTP answer
  ProxyTimeout,         // proxy_timeout
  ProxyError,           // proxy_error
  // TLS handshake, as seen from the client
  TlsTimeout,           // tls_timeout: no complete handshake before the handshake deadline
  TlsEof,               // tls_eof: the peer closed the connection during the handshake
  TlsReset,             // tls_reset: the peer reset the connection during the handshake
  TlsNotTls,            // tls_not_tls: the peer answered with bytes that are not TLS
  TlsProtocolVersion,   // tls_protocol_version: no version both sides allow
  TlsNoSharedCipher,    // tls_no_shared_cipher: no cipher suite or group both sides allow
  TlsWeakDh,            // tls_weak_dh: the server's DH group is below our security level
  TlsMessageTooLarge,   // tls_message_too_large: a handshake message beyond our size caps
  TlsClientCertRequired,// tls_client_cert_required: the server asked for a client certificate and then failed
  TlsHandshakeError,    // tls_handshake_error: any other local failure (the OpenSSL reason is in the detail)
  // TLS alerts received from the peer: tls_alert_<RFC 8446 name>
  TlsAlertUnexpectedMessage,
  TlsAlertBadRecordMac,
  TlsAlertRecordOverflow,
  TlsAlertHandshakeFailure,
  TlsAlertBadCertificate,
  TlsAlertUnsupportedCertificate,
  TlsAlertCertificateRevoked,
  TlsAlertCertificateExpired,
  TlsAlertCertificateUnknown,
  TlsAlertIllegalParameter,
  TlsAlertUnknownCa,
  TlsAlertAccessDenied,
  TlsAlertDecodeError,
  TlsAlertDecryptError,
  TlsAlertInsufficientSecurity,
  TlsAlertInternalError,
  TlsAlertInappropriateFallback,
  TlsAlertUserCanceled,
  TlsAlertMissingExtension,
  TlsAlertUnsupportedExtension,
  TlsAlertUnrecognizedName,
  TlsAlertBadCertificateStatusResponse,
  TlsAlertUnknownPskIdentity,
  TlsAlertCertificateRequired,
  TlsAlertNoApplicationProtocol,
  TlsAlertOther,  // tls_alert_other: an alert number with no name above
  // certificate outcomes (the handshake completed; verification against the probe's store failed)
  CertExpired,          // cert_expired
  CertNotYetValid,      // cert_not_yet_valid
  CertUntrustedRoot,    // cert_untrusted_root: anchored in a root the store does not hold
  CertIncompleteChain,  // cert_incomplete_chain: an intermediate is missing from what the server sent
  CertNameMismatch,     // cert_name_mismatch
  CertSelfSigned,       // cert_self_signed: the leaf is its own issuer
  CertWeakKey,          // cert_weak_key: a key below the security level (RSA-1024, ...)
  CertWeakSignature,    // cert_weak_signature: SHA-1 or MD5 signatures below the security level
  CertRevoked,          // cert_revoked (only when revocation data was available)
  CertWrongPurpose,     // cert_wrong_purpose: no serverAuth extended key usage
  CertChainTooLong,     // cert_chain_too_long: more certificates than kMaxPeerChainLength
  CertInvalid,          // cert_invalid: any other verification error (bad signature, malformed, ...)
  CertChainOrder,       // cert_chain_order: a CA certificate came first, where the server's own belongs
};

struct FailureInfo {
  Failure failure;
  std::string_view id;     // "tls_alert_unrecognized_name"
  ProbeStage stage;        // the stage this class belongs to
  std::string_view meaning;  // one sentence for people: what it means
};

const FailureInfo& info(Failure failure);
std::string_view to_string(Failure failure);  // "" for Failure::None

// The handshake was cut, stalled or garbled rather than refused for a stated reason: EOF,
// reset, timeout, bytes that are not TLS, or a generic alert (handshake_failure, access_denied,
// internal_error, an unnamed one). What a filter or middlebox in the path produces, and also
// a broken server: the checks tell the two apart with follow-up handshakes.
bool handshake_interrupted(Failure failure);
std::optional<Failure> failure_from_string(std::string_view id);
// Every class in enum order (None excluded), for listings and tests.
std::span<const FailureInfo> all_failures();

// The class for a TLS alert number received from the peer (RFC 8446 section 6 and RFC 5246
// names); TlsAlertOther for a number with no class of its own. protocol_version (70) maps to
// TlsProtocolVersion.
Failure failure_for_received_alert(std::uint8_t description);
// "handshake_failure" for 40; "alert_<n>" for a number without a name.
std::string alert_name(std::uint8_t description);

}  // namespace tlsdoctor::tls
