// The TLS stage of a probe: build the client, handshake under the deadline, wait for a client-certificate verdict, record.
#include "tls/probe_tls.h"

#include <poll.h>

#include <cerrno>
#include <vector>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tls/classify.h"
#include "tls/client_context.h"
#include "tls/handshake_io.h"
#include "tls/observer.h"
#include "tls/openssl_errors.h"
#include "tls/probe.h"
#include "tls/probe_observations.h"
#include "tls/probe_verify.h"

namespace tlsdoctor::tls {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// False when the deadline passed before `fd` became ready.
bool wait_ready(int fd, short events, const Deadline& deadline) {
  for (;;) {
    const auto left = deadline.remaining();
    if (left.count() <= 0) return false;
    pollfd pfd{fd, events, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return true;  // the next SSL call reports the error
  }
}

// After a TLS 1.3 handshake in which the server asked for a certificate (we send none), reads
// until the server shows its verdict: an alert or a hang-up is a refusal (returned as a failed
// result, like a failed handshake), application data or a session ticket is acceptance, and
// silence until `deadline` is taken as acceptance.
HandshakeIoResult await_client_certificate_verdict(SSL* ssl, int fd, const HandshakeObserver& observer,
                                                   const Deadline& deadline) {
  HandshakeIoResult result;
  result.ok = true;
  const std::size_t tickets_before = observer.session_tickets();
  for (;;) {
    ERR_clear_error();
    errno = 0;
    unsigned char byte = 0;
    const int rc = SSL_read(ssl, &byte, 1);
    const int saved_errno = errno;
    if (rc > 0) return result;
    const int error = SSL_get_error(ssl, rc);
    short events = 0;
    if (error == SSL_ERROR_WANT_READ) {
      events = POLLIN;
    } else if (error == SSL_ERROR_WANT_WRITE) {
      events = POLLOUT;
    } else if (error == SSL_ERROR_ZERO_RETURN) {
      return result;  // an orderly close_notify: the handshake itself was accepted
    } else {
      result.ok = false;
      result.ssl_error = error;
      result.system_errno = error == SSL_ERROR_SYSCALL ? saved_errno : 0;
      result.errors = take_openssl_errors();
      return result;
    }
    if (observer.session_tickets() > tickets_before) return result;
    if (!wait_ready(fd, events, deadline)) return result;
  }
}

void fail(Handshake& handshake, ProbeStage stage, Failure failure, std::string detail) {
  handshake.stage = stage;
  handshake.failure = failure;
  handshake.detail = std::move(detail);
}

Classification classify_failure(const HandshakeIoResult& io, const HandshakeObserver& observer) {
  HandshakeOutcome outcome;
  outcome.timed_out = io.timed_out;
  outcome.ssl_error = io.ssl_error;
  outcome.system_errno = io.system_errno;
  outcome.errors = io.errors;
  outcome.alerts = observer.alerts();
  outcome.server_bytes_seen = observer.bytes_received() > 0;
  outcome.server_hello_received = !observer.server_hellos().empty();
  outcome.certificate_requested = observer.certificate_requested();
  return classify_handshake(outcome);
}

std::string verify_detail(const Handshake& handshake) {
  const VerifyObservation& verify = handshake.verify;
  if (handshake.peer_chain_truncated) {
    return "the server sent more than " + std::to_string(kMaxPeerChainLength) + " certificates; the first " +
           std::to_string(kMaxPeerChainLength) + " were kept";
  }
  if (verify.errors.empty()) return std::string(to_string(verify.failure));
  const auto& first = verify.errors.front();
  return first.message + " (depth " + std::to_string(first.depth) + ")";
}

// The SSL's own certificates for the part of the peer chain the record keeps (the first
// kMaxPeerChainLength), so that verification decodes nothing again.
std::vector<X509*> kept_peer_chain(SSL* ssl) {
  std::vector<X509*> out;
  const STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  const int count = chain != nullptr ? sk_X509_num(chain) : 0;
  for (int i = 0; i < count && out.size() < kMaxPeerChainLength; ++i) out.push_back(sk_X509_value(chain, i));
  return out;
}

}  // namespace

void run_tls_stage(Handshake& handshake, int fd, const Deadline& deadline, ClientContextCache* contexts) {
  const auto started = Clock::now();
  auto client = make_client_context(handshake.spec, contexts);
  if (!client) {
    fail(handshake, ProbeStage::Handshake, Failure::TlsHandshakeError, "client setup: " + client.error());
    handshake.timings.handshake = since(started);
    return;
  }
  SSL* ssl = client->ssl.get();
  if (SSL_set_fd(ssl, fd) != 1) {
    fail(handshake, ProbeStage::Handshake, Failure::TlsHandshakeError,
         "client setup: " + first_reason(take_openssl_errors(), "cannot attach the socket"));
    handshake.timings.handshake = since(started);
    return;
  }
  // Declared after `client`, so destroyed (and detached) before the SSL it watches.
  HandshakeObserver observer;
  observer.attach(ssl);

  auto io = run_handshake(ssl, HandshakeSide::Client, deadline);
  if (io.ok && observer.certificate_requested() && SSL_version(ssl) == TLS1_3_VERSION) {
    io = await_client_certificate_verdict(ssl, fd, observer, deadline.sub(kClientCertVerdictWait));
  }
  handshake.timings.handshake = since(started);

  record_client_hello(handshake, observer);
  handshake.server = observe_server_hello(observer, ssl, io.ok);
  record_peer_chain(handshake, ssl);
  handshake.ocsp_stapled = ocsp_stapled(ssl);
  handshake.certificate_requested = observer.certificate_requested();
  handshake.alerts = observer.alerts();
  // Verified whenever a chain arrived, even when the handshake failed later: a support engineer
  // wants to know about an expired certificate on a server that also demands a client certificate.
  handshake.verify = verify_peer_chain(handshake.spec, kept_peer_chain(ssl), handshake.peer_chain_truncated,
                                       SSL_get_security_level(ssl));

  if (!io.ok) {
    // The handshake's own failure is what stopped the probe; it takes precedence over a
    // verification failure (recorded in handshake.verify all the same).
    auto classified = classify_failure(io, observer);
    fail(handshake, ProbeStage::Handshake, classified.failure, std::move(classified.detail));
  } else {
    handshake.completed = true;
    if (handshake.verify.failure != Failure::None) {
      fail(handshake, ProbeStage::Verify, handshake.verify.failure, verify_detail(handshake));
    } else {
      fail(handshake, ProbeStage::Done, Failure::None, "");
    }
  }
  // A polite close_notify after a good handshake (best effort: one non-blocking write, no wait
  // for the server's), so servers log a clean close rather than a reset.
  if (io.ok) SSL_shutdown(ssl);
  observer.detach();
  ERR_clear_error();
}

}  // namespace tlsdoctor::tls
