// Maps OpenSSL's reason codes, alerts and errno to failure classes; picks the class of a failed chain.
#include "tls/classify.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace tlsdoctor::tls {
namespace {

std::optional<Failure> failure_for_reason(int reason, bool tls_seen) {
  switch (reason) {
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_WRONG_SSL_VERSION:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
    case SSL_R_VERSION_TOO_LOW:
    case SSL_R_VERSION_TOO_HIGH:
    // TLS 1.0 and 1.1 sign with MD5+SHA-1, which security level 1 and above refuse: OpenSSL 3
    // negotiates the old version and then fails here, so the version is what is refused.
    case SSL_R_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED:
      return Failure::TlsProtocolVersion;
    case SSL_R_NO_SHARED_CIPHER:
    case SSL_R_NO_CIPHERS_AVAILABLE:
    case SSL_R_NO_SUITABLE_KEY_SHARE:
    case SSL_R_NO_SHARED_GROUPS:
    case SSL_R_WRONG_CIPHER_RETURNED:
    case SSL_R_WRONG_CURVE:
      return Failure::TlsNoSharedCipher;
    case SSL_R_DH_KEY_TOO_SMALL:
      return Failure::TlsWeakDh;
    case SSL_R_EE_KEY_TOO_SMALL:
    case SSL_R_CA_KEY_TOO_SMALL:
      return Failure::CertWeakKey;
    case SSL_R_CA_MD_TOO_WEAK:
      return Failure::CertWeakSignature;
    case SSL_R_EXCESSIVE_MESSAGE_SIZE:
    case SSL_R_DATA_LENGTH_TOO_LONG:
      return Failure::TlsMessageTooLarge;
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_UNKNOWN_PROTOCOL:
#ifdef SSL_R_RECORD_LAYER_FAILURE
    case SSL_R_RECORD_LAYER_FAILURE:  // OpenSSL 3.2 and later wrap record errors in it
#endif
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST:
      // Bytes that do not frame as TLS records: a plain-text server or a filter's page. Once
      // real records have gone by, the same reasons mean a damaged stream instead.
      return tls_seen ? std::optional(Failure::TlsHandshakeError) : std::optional(Failure::TlsNotTls);
    case SSL_R_UNEXPECTED_EOF_WHILE_READING:
      return Failure::TlsEof;
    default:
      return std::nullopt;
  }
}

// The priority chain_failure picks by, lowest rank first. Trust (self-signed, untrusted root,
// incomplete chain) outranks time (expired, not yet valid), which outranks name, key, signature
// and purpose: a wrong clock makes every certificate look expired, and the diagnosis must still
// learn that the chain is also untrusted, which only the trust class says; a fixed clock or
// name does not make an untrusted chain work. Revocation sits just below trust: a revoked
// certificate stays unusable whatever the clock says.
int chain_rank(Failure failure) {
  switch (failure) {
    case Failure::CertSelfSigned: return 0;
    case Failure::CertUntrustedRoot: return 1;
    case Failure::CertIncompleteChain: return 2;
    case Failure::CertRevoked: return 3;
    case Failure::CertExpired: return 4;
    case Failure::CertNotYetValid: return 5;
    case Failure::CertChainOrder: return 6;
    case Failure::CertNameMismatch: return 7;
    case Failure::CertWeakKey: return 8;
    case Failure::CertWeakSignature: return 9;
    case Failure::CertWrongPurpose: return 10;
    case Failure::CertChainTooLong: return 11;
    default: return 12;
  }
}

Failure class_of(const pki::ChainError& error) {
  switch (error.code) {
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: return Failure::CertSelfSigned;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: return Failure::CertUntrustedRoot;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      // The issuer of a CA certificate is missing: the chain reached a root the store lacks.
      // The issuer of the leaf is missing: the server left out its intermediate.
      return error.at_ca ? Failure::CertUntrustedRoot : Failure::CertIncompleteChain;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: return Failure::CertIncompleteChain;
    case X509_V_ERR_CERT_HAS_EXPIRED: return Failure::CertExpired;
    case X509_V_ERR_CERT_NOT_YET_VALID: return Failure::CertNotYetValid;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      // The certificate in the server's own place is a CA's: its name could never match, and
      // the fix is the order of the chain file, not the name.
      return error.depth == 0 && error.at_ca ? Failure::CertChainOrder : Failure::CertNameMismatch;
    case X509_V_ERR_CERT_REVOKED: return Failure::CertRevoked;
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL: return Failure::CertWeakKey;
    case X509_V_ERR_CA_MD_TOO_WEAK: return Failure::CertWeakSignature;
    case X509_V_ERR_INVALID_PURPOSE: return Failure::CertWrongPurpose;
    case X509_V_ERR_CERT_CHAIN_TOO_LONG: return Failure::CertChainTooLong;
    default: return Failure::CertInvalid;
  }
}

}  // namespace

Classification classify_handshake(const HandshakeOutcome& outcome) {
  if (outcome.timed_out) return {Failure::TlsTimeout, "no complete handshake before the deadline"};
  for (const auto& alert : outcome.alerts) {
    if (alert.sent || !alert.fatal) continue;
    const bool about_client_cert = alert.description == 40 || alert.description == 42 || alert.description == 116;
    if (outcome.certificate_requested && about_client_cert) {
      return {Failure::TlsClientCertRequired, "the server sent " + alert.name + " after asking for a client certificate"};
    }
    return {failure_for_received_alert(alert.description), "the server sent the " + alert.name + " alert"};
  }
  // Records the peer sent that framed as TLS: any alert or handshake message it sent proves it.
  const bool tls_seen = outcome.server_hello_received ||
                        std::any_of(outcome.alerts.begin(), outcome.alerts.end(), [](const AlertRecord& a) { return !a.sent; });
  for (const auto& error : outcome.errors) {
    if (ERR_GET_LIB(error.code) != ERR_LIB_SSL) continue;
    if (auto failure = failure_for_reason(ERR_GET_REASON(error.code), tls_seen)) {
      return {*failure, error.reason};
    }
  }
  if (outcome.ssl_error == SSL_ERROR_ZERO_RETURN) return {Failure::TlsEof, "the server closed the connection"};
  if (outcome.ssl_error == SSL_ERROR_SYSCALL) {
    if (outcome.system_errno == ECONNRESET || outcome.system_errno == EPIPE) {
      return {Failure::TlsReset, std::strerror(outcome.system_errno)};
    }
    if (outcome.system_errno == 0) return {Failure::TlsEof, "the connection closed during the handshake"};
    return {Failure::TlsHandshakeError, std::strerror(outcome.system_errno)};
  }
  const std::string reason = first_reason(outcome.errors, "the handshake failed without a reason from OpenSSL");
  return {Failure::TlsHandshakeError, reason};
}

Failure chain_failure(const pki::ChainVerification& verification, std::size_t chain_length_sent) {
  if (verification.ok) return Failure::None;
  Failure best = Failure::CertInvalid;
  for (const auto& error : verification.errors) {
    Failure failure = class_of(error);
    // A lone certificate that is not self-issued and cannot be linked is a leaf without its
    // intermediate, whatever OpenSSL calls it.
    if (failure == Failure::CertUntrustedRoot && chain_length_sent == 1 && error.depth == 0) {
      failure = Failure::CertIncompleteChain;
    }
    if (chain_rank(failure) < chain_rank(best)) best = failure;
  }
  return best;
}

}  // namespace tlsdoctor::tls
