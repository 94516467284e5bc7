// One non-blocking OpenSSL call on a connection whose SSL reads and writes its socket itself, and what comes next.
#pragma once

#include <cstddef>

#include <openssl/ssl.h>

#include "tls/openssl_handles.h"

namespace tlsdoctor::reference {

// How a call ended: finished, or waiting for the socket, or the connection is over.
enum class TlsOutcome {
  Done,       // finished; `bytes` holds what was read or written
  WantRead,   // call again once the socket is readable
  WantWrite,  // call again once the socket is writable
  Closed,     // the peer sent close_notify
  Truncated,  // the peer closed the TCP connection without close_notify
  Failed,     // a TLS or socket error; `reason` holds OpenSSL's error code when it has one
};

struct TlsStep {
  TlsOutcome outcome = TlsOutcome::Failed;
  std::size_t bytes = 0;
  unsigned long reason = 0;
};

// An SSL on `ctx` that does its own I/O on the connected, non-blocking socket `fd` (as a
// server), so that bytes go between the kernel and OpenSSL without a copy in between. Partial
// writes are allowed; buffers are released while the connection is idle (slow clients hold
// less memory). Null when OpenSSL refuses.
tls::SslPtr make_server_ssl(SSL_CTX* ctx, int fd);

TlsStep tls_accept_step(SSL* ssl);
TlsStep tls_read_step(SSL* ssl, void* data, std::size_t size);
TlsStep tls_write_step(SSL* ssl, const void* data, std::size_t size);
// Sends close_notify once; Done when it went out (the peer's is not waited for).
TlsStep tls_shutdown_step(SSL* ssl);

}  // namespace tlsdoctor::reference
