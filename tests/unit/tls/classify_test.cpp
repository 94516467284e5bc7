// Failure classes from handshake outcomes and chain errors (checker/tls/classify.cpp).
#include <catch2/catch.hpp>

#include <cerrno>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "tls/classify.h"

using namespace tlsdoctor;
using namespace tlsdoctor::tls;

namespace {

OpenSslError ssl_reason(int reason) {
  OpenSslError e;
  e.code = ERR_PACK(ERR_LIB_SSL, 0, reason);
  e.reason = ERR_reason_error_string(e.code) != nullptr ? ERR_reason_error_string(e.code) : "?";
  return e;
}

AlertRecord received(std::uint8_t description, const char* name) { return AlertRecord{false, true, description, name}; }

Failure from_reason(int reason) {
  HandshakeOutcome o;
  o.ssl_error = SSL_ERROR_SSL;
  o.errors = {ssl_reason(reason)};
  return classify_handshake(o).failure;
}

pki::ChainVerification with_errors(std::vector<pki::ChainError> errors) {
  pki::ChainVerification v;
  v.errors = std::move(errors);
  return v;
}

}  // namespace

TEST_CASE("a timeout outranks everything else", "[classify]") {
  HandshakeOutcome o;
  o.timed_out = true;
  o.errors = {ssl_reason(SSL_R_WRONG_VERSION_NUMBER)};
  CHECK(classify_handshake(o).failure == Failure::TlsTimeout);
}

TEST_CASE("a fatal alert from the server names the class", "[classify]") {
  HandshakeOutcome o;
  o.ssl_error = SSL_ERROR_SSL;
  o.alerts = {received(112, "unrecognized_name")};
  o.errors = {ssl_reason(SSL_R_TLSV1_UNRECOGNIZED_NAME)};
  const auto c = classify_handshake(o);
  CHECK(c.failure == Failure::TlsAlertUnrecognizedName);
  CHECK_THAT(c.detail, Catch::Contains("unrecognized_name"));
  o.alerts = {received(70, "protocol_version")};
  CHECK(classify_handshake(o).failure == Failure::TlsProtocolVersion);
}

TEST_CASE("an alert after a CertificateRequest means a client certificate is required", "[classify]") {
  for (std::uint8_t d : {std::uint8_t{40}, std::uint8_t{42}, std::uint8_t{116}}) {
    HandshakeOutcome o;
    o.certificate_requested = true;
    o.alerts = {received(d, "x")};
    CHECK(classify_handshake(o).failure == Failure::TlsClientCertRequired);
  }
  HandshakeOutcome o;
  o.alerts = {received(40, "handshake_failure")};
  CHECK(classify_handshake(o).failure == Failure::TlsAlertHandshakeFailure);
}

TEST_CASE("alerts we sent do not count as the server's", "[classify]") {
  HandshakeOutcome o;
  o.ssl_error = SSL_ERROR_SSL;
  o.alerts = {AlertRecord{true, true, 70, "protocol_version"}};
  o.errors = {ssl_reason(SSL_R_UNSUPPORTED_PROTOCOL)};
  CHECK(classify_handshake(o).failure == Failure::TlsProtocolVersion);
}

TEST_CASE("OpenSSL's local refusals map by reason code", "[classify]") {
  CHECK(from_reason(SSL_R_NO_PROTOCOLS_AVAILABLE) == Failure::TlsProtocolVersion);
  CHECK(from_reason(SSL_R_UNSUPPORTED_PROTOCOL) == Failure::TlsProtocolVersion);
  CHECK(from_reason(SSL_R_NO_SHARED_CIPHER) == Failure::TlsNoSharedCipher);
  CHECK(from_reason(SSL_R_NO_CIPHERS_AVAILABLE) == Failure::TlsNoSharedCipher);
  CHECK(from_reason(SSL_R_DH_KEY_TOO_SMALL) == Failure::TlsWeakDh);
  CHECK(from_reason(SSL_R_EE_KEY_TOO_SMALL) == Failure::CertWeakKey);
  CHECK(from_reason(SSL_R_CA_MD_TOO_WEAK) == Failure::CertWeakSignature);
  CHECK(from_reason(SSL_R_EXCESSIVE_MESSAGE_SIZE) == Failure::TlsMessageTooLarge);
  CHECK(from_reason(SSL_R_WRONG_VERSION_NUMBER) == Failure::TlsNotTls);
  CHECK(from_reason(SSL_R_UNEXPECTED_EOF_WHILE_READING) == Failure::TlsEof);
  CHECK(from_reason(SSL_R_BAD_SIGNATURE) == Failure::TlsHandshakeError);
}

TEST_CASE("bytes that are not TLS after real TLS records are a damaged stream, not 'not TLS'", "[classify]") {
  HandshakeOutcome o;
  o.ssl_error = SSL_ERROR_SSL;
  o.alerts = {AlertRecord{false, false, 0, "close_notify"}};
  o.errors = {ssl_reason(SSL_R_WRONG_VERSION_NUMBER)};
  CHECK(classify_handshake(o).failure == Failure::TlsHandshakeError);
  HandshakeOutcome after_hello;
  after_hello.ssl_error = SSL_ERROR_SSL;
  after_hello.server_hello_received = true;
  after_hello.errors = {ssl_reason(SSL_R_PACKET_LENGTH_TOO_LONG)};
  CHECK(classify_handshake(after_hello).failure == Failure::TlsHandshakeError);
  after_hello.server_hello_received = false;
  CHECK(classify_handshake(after_hello).failure == Failure::TlsNotTls);
}

TEST_CASE("how the connection ended: EOF and reset", "[classify]") {
  HandshakeOutcome eof;
  eof.ssl_error = SSL_ERROR_SYSCALL;
  CHECK(classify_handshake(eof).failure == Failure::TlsEof);
  HandshakeOutcome zero;
  zero.ssl_error = SSL_ERROR_ZERO_RETURN;
  CHECK(classify_handshake(zero).failure == Failure::TlsEof);
  HandshakeOutcome reset;
  reset.ssl_error = SSL_ERROR_SYSCALL;
  reset.system_errno = ECONNRESET;
  const auto c = classify_handshake(reset);
  CHECK(c.failure == Failure::TlsReset);
  CHECK_FALSE(c.detail.empty());
  reset.system_errno = EPIPE;
  CHECK(classify_handshake(reset).failure == Failure::TlsReset);
  HandshakeOutcome other;
  other.ssl_error = SSL_ERROR_SYSCALL;
  other.system_errno = EIO;
  CHECK(classify_handshake(other).failure == Failure::TlsHandshakeError);
}

TEST_CASE("chain classes from single errors", "[classify]") {
  const auto one = [](int code, int depth = 0, bool at_ca = false, std::size_t sent = 2) {
    return chain_failure(with_errors({pki::ChainError{code, depth, "", at_ca}}), sent);
  };
  CHECK(one(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) == Failure::CertSelfSigned);
  CHECK(one(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, 1, true) == Failure::CertUntrustedRoot);
  CHECK(one(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 1, true) == Failure::CertUntrustedRoot);
  CHECK(one(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0, false, 1) == Failure::CertIncompleteChain);
  CHECK(one(X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE) == Failure::CertIncompleteChain);
  CHECK(one(X509_V_ERR_CERT_HAS_EXPIRED) == Failure::CertExpired);
  CHECK(one(X509_V_ERR_CERT_NOT_YET_VALID) == Failure::CertNotYetValid);
  CHECK(one(X509_V_ERR_HOSTNAME_MISMATCH) == Failure::CertNameMismatch);
  CHECK(one(X509_V_ERR_IP_ADDRESS_MISMATCH) == Failure::CertNameMismatch);
  // A CA certificate where the server's own belongs: the chain file is in the wrong order.
  CHECK(one(X509_V_ERR_HOSTNAME_MISMATCH, 0, true) == Failure::CertChainOrder);
  CHECK(one(X509_V_ERR_IP_ADDRESS_MISMATCH, 0, true) == Failure::CertChainOrder);
  CHECK(one(X509_V_ERR_CERT_REVOKED) == Failure::CertRevoked);
  CHECK(one(X509_V_ERR_EE_KEY_TOO_SMALL) == Failure::CertWeakKey);
  CHECK(one(X509_V_ERR_CA_MD_TOO_WEAK, 1, true) == Failure::CertWeakSignature);
  CHECK(one(X509_V_ERR_INVALID_PURPOSE) == Failure::CertWrongPurpose);
  CHECK(one(X509_V_ERR_CERT_CHAIN_TOO_LONG) == Failure::CertChainTooLong);
  CHECK(one(X509_V_ERR_CERT_SIGNATURE_FAILURE) == Failure::CertInvalid);
}

TEST_CASE("trust outranks time, which outranks the name", "[classify]") {
  const auto v = with_errors({pki::ChainError{X509_V_ERR_HOSTNAME_MISMATCH, 0, "", false},
                              pki::ChainError{X509_V_ERR_CERT_HAS_EXPIRED, 0, "", false},
                              pki::ChainError{X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, 1, "", true}});
  CHECK(chain_failure(v, 2) == Failure::CertUntrustedRoot);
  const auto time_and_name = with_errors({pki::ChainError{X509_V_ERR_HOSTNAME_MISMATCH, 0, "", false},
                                          pki::ChainError{X509_V_ERR_CERT_NOT_YET_VALID, 0, "", false}});
  CHECK(chain_failure(time_and_name, 2) == Failure::CertNotYetValid);
  pki::ChainVerification ok;
  ok.ok = true;
  CHECK(chain_failure(ok, 2) == Failure::None);
}
