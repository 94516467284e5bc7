// One non-blocking OpenSSL call on a server connection that owns its socket, mapped to what the caller does next.
#include "reference/server/tls_steps.h"

#include <openssl/err.h>

namespace tlsdoctor::reference {
namespace {

// Reads why a call returned `result` <= 0 and empties this thread's error queue, so that the
// next call on the thread starts clean.
TlsStep after_failure(SSL* ssl, int result) {
  TlsStep step;
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ: step.outcome = TlsOutcome::WantRead; break;
    case SSL_ERROR_WANT_WRITE: step.outcome = TlsOutcome::WantWrite; break;
    case SSL_ERROR_ZERO_RETURN: step.outcome = TlsOutcome::Closed; break;
    case SSL_ERROR_SSL:
      step.reason = ERR_peek_last_error();
      // OpenSSL 3 reports a TCP close without close_notify as this reason.
      step.outcome = ERR_GET_REASON(step.reason) == SSL_R_UNEXPECTED_EOF_WHILE_READING ? TlsOutcome::Truncated
                                                                                      : TlsOutcome::Failed;
      break;
    default:  // SSL_ERROR_SYSCALL (the socket failed) and anything else
      step.reason = ERR_peek_last_error();
      step.outcome = TlsOutcome::Failed;
      break;
  }
  ERR_clear_error();
  return step;
}

TlsStep done(std::size_t bytes) { return TlsStep{TlsOutcome::Done, bytes, 0}; }

}  // namespace

tls::SslPtr make_server_ssl(SSL_CTX* ctx, int fd) {
  tls::SslPtr ssl(SSL_new(ctx));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return nullptr;
  SSL_set_mode(ssl.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  SSL_set_accept_state(ssl.get());
  return ssl;
}

TlsStep tls_accept_step(SSL* ssl) {
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl);
  return result == 1 ? done(0) : after_failure(ssl, result);
}

TlsStep tls_read_step(SSL* ssl, void* data, std::size_t size) {
  if (size == 0) return done(0);
  ERR_clear_error();
  std::size_t read = 0;
  const int result = SSL_read_ex(ssl, data, size, &read);
  return result == 1 ? done(read) : after_failure(ssl, result);
}

TlsStep tls_write_step(SSL* ssl, const void* data, std::size_t size) {
  if (size == 0) return done(0);
  ERR_clear_error();
  std::size_t written = 0;
  const int result = SSL_write_ex(ssl, data, size, &written);
  return result == 1 ? done(written) : after_failure(ssl, result);
}

TlsStep tls_shutdown_step(SSL* ssl) {
  ERR_clear_error();
  // 0: our close_notify went out and the peer's has not come; 1: both done. Either is enough.
  const int result = SSL_shutdown(ssl);
  return result >= 0 ? done(0) : after_failure(ssl, result);
}

}  // namespace tlsdoctor::reference
