// The table behind Failure: each class's stable string, its stage and what it means in plain words.
#include "tls/failure.h"

#include <array>

#include <fmt/format.h>

namespace tlsdoctor::tls {
namespace {

using enum Failure;
constexpr ProbeStage kDns = ProbeStage::Dns;
constexpr ProbeStage kProxy = ProbeStage::Proxy;
constexpr ProbeStage kConnect = ProbeStage::Connect;
constexpr ProbeStage kHandshake = ProbeStage::Handshake;
constexpr ProbeStage kVerify = ProbeStage::Verify;

constexpr std::array kFailures{
    FailureInfo{None, "", ProbeStage::Done, "The handshake completed and the chain verified."},
    FailureInfo{DnsNxdomain, "dns_nxdomain", kDns, "The name does not exist in DNS."},
    FailureInfo{DnsNoAddress, "dns_no_address", kDns, "The name exists in DNS but has no IPv4 or IPv6 address."},
    FailureInfo{DnsTimeout, "dns_timeout", kDns, "DNS gave no answer before the deadline."},
    FailureInfo{DnsError, "dns_error", kDns, "DNS failed: no resolver answered, or it answered with an error."},
    FailureInfo{TcpRefused, "tcp_refused", kConnect, "The server's address refused the connection: nothing listens on that port, or a firewall rejects it."},
    FailureInfo{TcpTimeout, "tcp_timeout", kConnect, "No answer to the connection attempt: a firewall drops it, or the host is down."},
    FailureInfo{TcpUnreachable, "tcp_unreachable", kConnect, "This machine has no route to the server's address."},
    FailureInfo{TcpReset, "tcp_reset", kConnect, "The connection was reset before TLS began."},
    FailureInfo{TcpError, "tcp_error", kConnect, "The connection failed for a reason other than refusal, timeout or routing."},
    FailureInfo{ProxyUnreachable, "proxy_unreachable", kProxy, "The proxy itself could not be reached: its name does not resolve or it refuses connections."},
    FailureInfo{ProxyAuthRequired, "proxy_auth_required", kProxy, "The proxy wants credentials (407) and none were accepted."},
    FailureInfo{ProxyRefused, "proxy_refused", kProxy, "The proxy refused to open a tunnel to this host and port (its policy, or the destination failed)."},
    FailureInfo{ProxyClosed, "proxy_closed", kProxy, "The proxy closed the connection without a proper answer to CONNECT."},
    FailureInfo{ProxyTimeout, "proxy_timeout", kProxy, "The proxy did not answer CONNECT before the deadline."},
    FailureInfo{ProxyError, "proxy_error", kProxy, "The proxy exchange failed for another reason."},
    FailureInfo{TlsTimeout, "tls_timeout", kHandshake, "The TLS handshake did not finish before the deadline: the server or something on the path stopped answering."},
    FailureInfo{TlsEof, "tls_eof", kHandshake, "The connection was closed in the middle of the TLS handshake."},
    FailureInfo{TlsReset, "tls_reset", kHandshake, "The connection was reset in the middle of the TLS handshake, typically by a firewall or filter on the path."},
    FailureInfo{TlsNotTls, "tls_not_tls", kHandshake, "The other end answered with something that is not TLS (a plain HTTP server, a proxy's error page, or a filter)."},
    FailureInfo{TlsProtocolVersion, "tls_protocol_version", kHandshake, "There is no TLS version that both this client and the server allow."},
    FailureInfo{TlsNoSharedCipher, "tls_no_shared_cipher", kHandshake, "There is no cipher suite or key-exchange group that both this client and the server allow."},
    FailureInfo{TlsWeakDh, "tls_weak_dh", kHandshake, "The server's Diffie-Hellman group is too small for this machine's security level."},
    FailureInfo{TlsMessageTooLarge, "tls_message_too_large", kHandshake, "The server sent a handshake message larger than any real server sends (an enormous certificate or chain)."},
    FailureInfo{TlsClientCertRequired, "tls_client_cert_required", kHandshake, "The server requires a client certificate, and none was presented."},
    FailureInfo{TlsHandshakeError, "tls_handshake_error", kHandshake, "The TLS handshake failed on this side; the detail has OpenSSL's reason."},
    FailureInfo{TlsAlertUnexpectedMessage, "tls_alert_unexpected_message", kHandshake, "The server sent the unexpected_message alert: it received a message it did not expect."},
    FailureInfo{TlsAlertBadRecordMac, "tls_alert_bad_record_mac", kHandshake, "The server sent the bad_record_mac alert: a record failed its integrity check, often a broken middlebox."},
    FailureInfo{TlsAlertRecordOverflow, "tls_alert_record_overflow", kHandshake, "The server sent the record_overflow alert: a record was too long for it."},
    FailureInfo{TlsAlertHandshakeFailure, "tls_alert_handshake_failure", kHandshake, "The server sent the handshake_failure alert: it found no acceptable parameters (versions, ciphers, groups) in what was offered."},
    FailureInfo{TlsAlertBadCertificate, "tls_alert_bad_certificate", kHandshake, "The server sent the bad_certificate alert about a certificate it received."},
    FailureInfo{TlsAlertUnsupportedCertificate, "tls_alert_unsupported_certificate", kHandshake, "The server sent the unsupported_certificate alert."},
    FailureInfo{TlsAlertCertificateRevoked, "tls_alert_certificate_revoked", kHandshake, "The server sent the certificate_revoked alert."},
    FailureInfo{TlsAlertCertificateExpired, "tls_alert_certificate_expired", kHandshake, "The server sent the certificate_expired alert."},
    FailureInfo{TlsAlertCertificateUnknown, "tls_alert_certificate_unknown", kHandshake, "The server sent the certificate_unknown alert."},
    FailureInfo{TlsAlertIllegalParameter, "tls_alert_illegal_parameter", kHandshake, "The server sent the illegal_parameter alert: a field in the ClientHello was out of range or inconsistent."},
    FailureInfo{TlsAlertUnknownCa, "tls_alert_unknown_ca", kHandshake, "The server sent the unknown_ca alert: it does not trust the CA of a certificate it received."},
    FailureInfo{TlsAlertAccessDenied, "tls_alert_access_denied", kHandshake, "The server sent the access_denied alert: it refuses this client by policy."},
    FailureInfo{TlsAlertDecodeError, "tls_alert_decode_error", kHandshake, "The server sent the decode_error alert: it could not parse a message, possibly altered on the path."},
    FailureInfo{TlsAlertDecryptError, "tls_alert_decrypt_error", kHandshake, "The server sent the decrypt_error alert: a signature or Finished check failed."},
    FailureInfo{TlsAlertInsufficientSecurity, "tls_alert_insufficient_security", kHandshake, "The server sent the insufficient_security alert: it wants stronger parameters than were offered."},
    FailureInfo{TlsAlertInternalError, "tls_alert_internal_error", kHandshake, "The server sent the internal_error alert: it failed on its side."},
    FailureInfo{TlsAlertInappropriateFallback, "tls_alert_inappropriate_fallback", kHandshake, "The server sent the inappropriate_fallback alert: the client retried with a lower version than both support."},
    FailureInfo{TlsAlertUserCanceled, "tls_alert_user_canceled", kHandshake, "The server sent the user_canceled alert and gave up the handshake."},
    FailureInfo{TlsAlertMissingExtension, "tls_alert_missing_extension", kHandshake, "The server sent the missing_extension alert: the ClientHello lacked an extension it requires."},
    FailureInfo{TlsAlertUnsupportedExtension, "tls_alert_unsupported_extension", kHandshake, "The server sent the unsupported_extension alert."},
    FailureInfo{TlsAlertUnrecognizedName, "tls_alert_unrecognized_name", kHandshake, "The server sent the unrecognized_name alert: it does not serve the name sent in SNI (or needs one)."},
    FailureInfo{TlsAlertBadCertificateStatusResponse, "tls_alert_bad_certificate_status_response", kHandshake, "The server sent the bad_certificate_status_response alert."},
    FailureInfo{TlsAlertUnknownPskIdentity, "tls_alert_unknown_psk_identity", kHandshake, "The server sent the unknown_psk_identity alert."},
    FailureInfo{TlsAlertCertificateRequired, "tls_alert_certificate_required", kHandshake, "The server sent the certificate_required alert: it needs a client certificate."},
    FailureInfo{TlsAlertNoApplicationProtocol, "tls_alert_no_application_protocol", kHandshake, "The server sent the no_application_protocol alert: it supports none of the ALPN protocols offered."},
    FailureInfo{TlsAlertOther, "tls_alert_other", kHandshake, "The server sent an alert with no common name; the detail has its number."},
    FailureInfo{CertExpired, "cert_expired", kVerify, "A certificate in the server's chain has expired (or this machine's clock is ahead)."},
    FailureInfo{CertNotYetValid, "cert_not_yet_valid", kVerify, "A certificate in the server's chain is not valid yet (or this machine's clock is behind)."},
    FailureInfo{CertUntrustedRoot, "cert_untrusted_root", kVerify, "The chain leads to a root that the trust store in use does not hold."},
    FailureInfo{CertIncompleteChain, "cert_incomplete_chain", kVerify, "The server did not send the intermediate certificate(s) needed to link its certificate to a trusted root; browsers may hide this by fetching them, other clients fail."},
    FailureInfo{CertNameMismatch, "cert_name_mismatch", kVerify, "The certificate is not valid for the name that was asked for."},
    FailureInfo{CertSelfSigned, "cert_self_signed", kVerify, "The server's certificate is signed by itself rather than by a certificate authority."},
    FailureInfo{CertWeakKey, "cert_weak_key", kVerify, "A key in the chain is too small for this machine's security level (such as RSA-1024)."},
    FailureInfo{CertWeakSignature, "cert_weak_signature", kVerify, "A certificate in the chain is signed with a hash this machine's security level refuses (SHA-1, MD5)."},
    FailureInfo{CertRevoked, "cert_revoked", kVerify, "A certificate in the chain has been revoked by its issuer."},
    FailureInfo{CertWrongPurpose, "cert_wrong_purpose", kVerify, "The certificate is not issued for TLS servers (its extended key usage lacks serverAuth)."},
    FailureInfo{CertChainTooLong, "cert_chain_too_long", kVerify, "The server sent more certificates than any real chain has."},
    FailureInfo{CertInvalid, "cert_invalid", kVerify, "A certificate in the chain failed verification for another reason (the detail says which)."},
    FailureInfo{CertChainOrder, "cert_chain_order", kVerify, "The server sent a certificate authority's certificate first, where its own belongs: its chain file is in the wrong order."},
};

constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < kFailures.size(); ++i) {
    if (static_cast<std::size_t>(kFailures[i].failure) != i) return false;
  }
  return true;
}
static_assert(table_in_enum_order(), "kFailures must list every Failure in enum order");
static_assert(kFailures.back().failure == CertChainOrder, "a Failure was added without a table row");

// RFC 8446 section 6 and RFC 5246 section 7.2 (alerts TLS 1.3 dropped are kept: older servers send them).
struct AlertInfo {
  std::uint8_t number;
  std::string_view name;
  Failure failure;
};
constexpr std::array kAlerts{
    AlertInfo{0, "close_notify", TlsEof},
    AlertInfo{10, "unexpected_message", TlsAlertUnexpectedMessage},
    AlertInfo{20, "bad_record_mac", TlsAlertBadRecordMac},
    AlertInfo{21, "decryption_failed", TlsAlertBadRecordMac},
    AlertInfo{22, "record_overflow", TlsAlertRecordOverflow},
    AlertInfo{30, "decompression_failure", TlsAlertOther},
    AlertInfo{40, "handshake_failure", TlsAlertHandshakeFailure},
    AlertInfo{41, "no_certificate", TlsAlertOther},
    AlertInfo{42, "bad_certificate", TlsAlertBadCertificate},
    AlertInfo{43, "unsupported_certificate", TlsAlertUnsupportedCertificate},
    AlertInfo{44, "certificate_revoked", TlsAlertCertificateRevoked},
    AlertInfo{45, "certificate_expired", TlsAlertCertificateExpired},
    AlertInfo{46, "certificate_unknown", TlsAlertCertificateUnknown},
    AlertInfo{47, "illegal_parameter", TlsAlertIllegalParameter},
    AlertInfo{48, "unknown_ca", TlsAlertUnknownCa},
    AlertInfo{49, "access_denied", TlsAlertAccessDenied},
    AlertInfo{50, "decode_error", TlsAlertDecodeError},
    AlertInfo{51, "decrypt_error", TlsAlertDecryptError},
    AlertInfo{60, "export_restriction", TlsAlertOther},
    AlertInfo{70, "protocol_version", TlsProtocolVersion},
    AlertInfo{71, "insufficient_security", TlsAlertInsufficientSecurity},
    AlertInfo{80, "internal_error", TlsAlertInternalError},
    AlertInfo{86, "inappropriate_fallback", TlsAlertInappropriateFallback},
    AlertInfo{90, "user_canceled", TlsAlertUserCanceled},
    AlertInfo{100, "no_renegotiation", TlsAlertOther},
    AlertInfo{109, "missing_extension", TlsAlertMissingExtension},
    AlertInfo{110, "unsupported_extension", TlsAlertUnsupportedExtension},
    AlertInfo{111, "certificate_unobtainable", TlsAlertOther},
    AlertInfo{112, "unrecognized_name", TlsAlertUnrecognizedName},
    AlertInfo{113, "bad_certificate_status_response", TlsAlertBadCertificateStatusResponse},
    AlertInfo{114, "bad_certificate_hash_value", TlsAlertOther},
    AlertInfo{115, "unknown_psk_identity", TlsAlertUnknownPskIdentity},
    AlertInfo{116, "certificate_required", TlsAlertCertificateRequired},
    AlertInfo{120, "no_application_protocol", TlsAlertNoApplicationProtocol},
};

const AlertInfo* find_alert(std::uint8_t description) {
  for (const auto& a : kAlerts) {
    if (a.number == description) return &a;
  }
  return nullptr;
}

}  // namespace

std::string_view to_string(ProbeStage stage) {
  switch (stage) {
    case ProbeStage::Dns: return "dns";
    case ProbeStage::Proxy: return "proxy";
    case ProbeStage::Connect: return "connect";
    case ProbeStage::Handshake: return "handshake";
    case ProbeStage::Verify: return "verify";
    case ProbeStage::Done: return "done";
  }
  return "done";
}

const FailureInfo& info(Failure failure) { return kFailures[static_cast<std::size_t>(failure)]; }

std::string_view to_string(Failure failure) { return info(failure).id; }

std::optional<Failure> failure_from_string(std::string_view id) {
  if (id.empty()) return std::nullopt;
  for (const auto& f : kFailures) {
    if (f.id == id) return f.failure;
  }
  return std::nullopt;
}

std::span<const FailureInfo> all_failures() { return std::span(kFailures).subspan(1); }

Failure failure_for_received_alert(std::uint8_t description) {
  const AlertInfo* alert = find_alert(description);
  return alert != nullptr ? alert->failure : TlsAlertOther;
}

std::string alert_name(std::uint8_t description) {
  const AlertInfo* alert = find_alert(description);
  return alert != nullptr ? std::string(alert->name) : fmt::format("alert_{}", description);
}

bool handshake_interrupted(Failure failure) {
  switch (failure) {
    case Failure::TlsTimeout:
    case Failure::TlsEof:
    case Failure::TlsReset:
    case Failure::TlsNotTls:
    case Failure::TlsAlertHandshakeFailure:
    case Failure::TlsAlertAccessDenied:
    case Failure::TlsAlertInternalError:
    case Failure::TlsAlertOther:
      return true;
    default:
      return false;
  }
}

}  // namespace tlsdoctor::tls
