// classify_handshake against real OpenSSL handshakes over local sockets: the mapping holds for the errors OpenSSL really raises.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "lab/scenario_pki.h"
#include "lab/scenario_server.h"
#include "pki/chain_verify.h"
#include "tls/classify.h"
#include "tls/failure.h"
#include "tls/handshake_io.h"
#include "tls/openssl_handles.h"

using namespace tlsdoctor;
using namespace tlsdoctor::tls;
using namespace std::chrono_literals;

namespace {

// Every handshake here runs between two threads of one process over a local socket: a few
// hundred milliseconds is plenty even under ASan on a busy CI machine, and a hung test ends soon.
constexpr auto kHandshakeBudget = 5000ms;
// The timeout test waits this long for a server that never answers: short, yet long enough
// that the ClientHello has certainly been written.
constexpr auto kShortHandshakeBudget = 300ms;
// A ClientHello fits in far less; the servers that misbehave read one chunk of this size.
constexpr std::size_t kReadChunkBytes = 16 * 1024;

struct SocketPair {
  UniqueFd client;
  UniqueFd server;
};

bool set_non_blocking(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

SocketPair unix_pair() {
  std::array<int, 2> fds{-1, -1};
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds.data()) == 0);
  return SocketPair{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// A TCP connection over 127.0.0.1: the only kind of socket that can be reset (SO_LINGER 0).
SocketPair tcp_pair() {
  UniqueFd listener(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(listener);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  REQUIRE(bind(listener.get(), reinterpret_cast<sockaddr*>(&address), length) == 0);
  REQUIRE(listen(listener.get(), 1) == 0);
  REQUIRE(getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length) == 0);
  UniqueFd client(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(client);
  // A loopback connect to a listening socket completes at once (the backlog takes it).
  REQUIRE(connect(client.get(), reinterpret_cast<sockaddr*>(&address), length) == 0);
  UniqueFd server(accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  REQUIRE(server);
  REQUIRE(set_non_blocking(client.get()));
  REQUIRE(set_non_blocking(server.get()));
  return SocketPair{std::move(client), std::move(server)};
}

// Waits (bounded) until `fd` has something to read, then reads it: the ClientHello.
std::size_t read_some(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(kHandshakeBudget.count())) != 1) return 0;
  std::array<char, kReadChunkBytes> buffer{};
  const ssize_t got = read(fd, buffer.data(), buffer.size());
  return got > 0 ? static_cast<std::size_t>(got) : 0;
}

// What the client's message callback saw: the evidence classify_handshake looks at besides
// OpenSSL's error queue.
struct ClientWatch {
  std::vector<AlertRecord> alerts;
  bool certificate_requested = false;
  bool server_hello_received = false;
};

void watch_messages(int write_p, int /*version*/, int content_type, const void* buf, std::size_t len, SSL* /*ssl*/,
                    void* arg) {
  auto* watch = static_cast<ClientWatch*>(arg);
  const auto* bytes = static_cast<const std::uint8_t*>(buf);
  if (content_type == SSL3_RT_ALERT && len == 2) {
    // RFC 8446 section 6: level (1 warning, 2 fatal), then the description.
    watch->alerts.push_back(AlertRecord{write_p != 0, bytes[0] == SSL3_AL_FATAL, bytes[1], alert_name(bytes[1])});
  } else if (content_type == SSL3_RT_HANDSHAKE && write_p == 0 && len > 0) {
    if (bytes[0] == SSL3_MT_SERVER_HELLO) watch->server_hello_received = true;
    if (bytes[0] == SSL3_MT_CERTIFICATE_REQUEST) watch->certificate_requested = true;
  }
}

struct ClientRun {
  HandshakeIoResult io;
  std::vector<std::vector<std::uint8_t>> peer_chain;  // DER, as the server sent it
  ClientWatch watch;
  HandshakeOutcome outcome;
  Classification classified;
};

// A client the way the probe builds one: no verification during the handshake (that is an
// observation made afterwards), everything else as `configure` leaves it.
ClientRun run_client(int fd, const std::function<void(SSL_CTX*)>& configure, std::chrono::milliseconds budget) {
  // OpenSSL writes an alert to a peer that has gone: EPIPE, not a dead test process.
  const ScopedSigpipeBlock no_sigpipe;
  ClientRun run;
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  REQUIRE(ctx);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  if (configure) configure(ctx.get());
  SslPtr ssl(SSL_new(ctx.get()));
  REQUIRE(ssl);
  REQUIRE(SSL_set_fd(ssl.get(), fd) == 1);
  SSL_set_tlsext_host_name(ssl.get(), lab::kLabHostName);
  SSL_set_msg_callback(ssl.get(), watch_messages);
  SSL_set_msg_callback_arg(ssl.get(), &run.watch);
  run.io = run_handshake(ssl.get(), HandshakeSide::Client, Deadline::after(budget));
  SSL_set_msg_callback(ssl.get(), nullptr);
  if (const STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get())) {
    for (int i = 0; i < sk_X509_num(chain); ++i) {
      unsigned char* der = nullptr;
      const int length = i2d_X509(sk_X509_value(chain, i), &der);
      if (length > 0) run.peer_chain.emplace_back(der, der + length);
      OPENSSL_free(der);
    }
  }

  run.outcome.timed_out = run.io.timed_out;
  run.outcome.ssl_error = run.io.ssl_error;
  run.outcome.system_errno = run.io.system_errno;
  run.outcome.errors = run.io.errors;
  run.outcome.alerts = run.watch.alerts;
  run.outcome.certificate_requested = run.watch.certificate_requested;
  run.outcome.server_hello_received = run.watch.server_hello_received;
  run.classified = classify_handshake(run.outcome);
  return run;
}

// Records the OpenSSL reason behind each test's class, so a change in OpenSSL shows in the log.
// (Shown with the checks that follow; run with -s to see them when the checks pass.)
void describe(const ClientRun& run) {
  if (run.io.ok) {
    UNSCOPED_INFO("handshake completed");
    return;
  }
  UNSCOPED_INFO("ssl_error " << run.io.ssl_error << ", errno " << run.io.system_errno << ", class "
                             << to_string(run.classified.failure) << ", detail \"" << run.classified.detail << "\"");
  for (const auto& error : run.io.errors) UNSCOPED_INFO("openssl: " << error.text);
  for (const auto& alert : run.watch.alerts) UNSCOPED_INFO((alert.sent ? "alert sent: " : "alert received: ") << alert.name);
}

// A server thread that is always joined, and whose peer is closed first so that it never waits
// for a client that has already given up.
class ServerThread {
 public:
  ServerThread(SocketPair& pair, std::function<void(int)> serve)
      : pair_(pair), thread_([fd = pair.server.get(), serve = std::move(serve)] {
          const ScopedSigpipeBlock no_sigpipe;
          serve(fd);
        }) {}
  ~ServerThread() { finish(); }
  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;

  void finish() {
    if (!thread_.joinable()) return;
    if (pair_.client) shutdown(pair_.client.get(), SHUT_RDWR);
    thread_.join();
  }

 private:
  SocketPair& pair_;
  std::thread thread_;
};

// Runs an OpenSSL server handshake on `fd` with `ctx`; the outcome is the client's concern.
void serve_tls(int fd, SSL_CTX* ctx) {
  SslPtr ssl(SSL_new(ctx));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return;
  (void)run_handshake(ssl.get(), HandshakeSide::Server, Deadline::after(kHandshakeBudget));
  ERR_clear_error();
}

// `security_level` comes first: Debian's OpenSSL refuses to even load an RSA-1024 certificate
// at its default level 2.
SslCtxPtr server_context(const lab::ServedIdentity& identity, int security_level = 1) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  REQUIRE(ctx);
  SSL_CTX_set_security_level(ctx.get(), security_level);
  REQUIRE(SSL_CTX_use_certificate(ctx.get(), identity.certificate.cert.get()) == 1);
  REQUIRE(SSL_CTX_use_PrivateKey(ctx.get(), identity.certificate.key.get()) == 1);
  for (const auto& extra : identity.chain) REQUIRE(SSL_CTX_add1_chain_cert(ctx.get(), extra.cert.get()) == 1);
  return ctx;
}

// The lab's server identities: its slow ones (RSA keys) are made once per process and shared.
lab::ServedIdentity identity_for(lab::Behaviour behaviour) {
  lab::ScenarioOptions options;
  options.behaviour = behaviour;
  auto identity = lab::default_identity(options);
  REQUIRE(identity);
  return std::move(*identity);
}

}  // namespace

TEST_CASE("real handshake: client max TLS 1.2 against a TLS 1.3-only server is tls_protocol_version",
          "[classify][handshake]") {
  auto server = server_context(identity_for(lab::Behaviour::Good));
  SSL_CTX_set_min_proto_version(server.get(), TLS1_3_VERSION);
  auto pair = unix_pair();
  ServerThread thread(pair, [ctx = server.get()](int fd) { serve_tls(fd, ctx); });
  auto run = run_client(pair.client.get(), [](SSL_CTX* ctx) { SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION); },
                        kHandshakeBudget);
  thread.finish();
  describe(run);
  CHECK(run.classified.failure == Failure::TlsProtocolVersion);
}

TEST_CASE("real handshake: disjoint TLS 1.2 cipher lists end in the server's handshake_failure alert",
          "[classify][handshake]") {
  auto server = server_context(identity_for(lab::Behaviour::Good));
  REQUIRE(SSL_CTX_set_cipher_list(server.get(), "ECDHE-ECDSA-AES128-GCM-SHA256") == 1);
  auto pair = unix_pair();
  ServerThread thread(pair, [ctx = server.get()](int fd) { serve_tls(fd, ctx); });
  auto run = run_client(pair.client.get(),
                        [](SSL_CTX* ctx) {
                          SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
                          REQUIRE(SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES256-GCM-SHA384") == 1);
                        },
                        kHandshakeBudget);
  thread.finish();
  describe(run);
  CHECK(run.classified.failure == Failure::TlsAlertHandshakeFailure);
}

TEST_CASE("real handshake: a 1024-bit DHE group against security level 2 is tls_weak_dh", "[classify][handshake]") {
  auto server = server_context(identity_for(lab::Behaviour::WeakDh));
  REQUIRE(SSL_CTX_set_cipher_list(server.get(), "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0") == 1);
  SSL_CTX_set_max_proto_version(server.get(), TLS1_2_VERSION);
  auto group = lab::weak_dh_parameters();
  REQUIRE(group);
  SSL_CTX_set_dh_auto(server.get(), 0);
  REQUIRE(SSL_CTX_set0_tmp_dh_pkey(server.get(), group->get()) == 1);
  (void)group->release();  // the context owns it now
  auto pair = unix_pair();
  ServerThread thread(pair, [ctx = server.get()](int fd) { serve_tls(fd, ctx); });
  auto run = run_client(pair.client.get(),
                        [](SSL_CTX* ctx) {
                          SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
                          REQUIRE(SSL_CTX_set_cipher_list(ctx, "DHE-RSA-AES128-GCM-SHA256") == 1);
                          SSL_CTX_set_security_level(ctx, 2);
                        },
                        kHandshakeBudget);
  thread.finish();
  describe(run);
  CHECK(run.classified.failure == Failure::TlsWeakDh);
}

// A probe's client does not verify during the handshake, so OpenSSL lets the weak key through
// (no error, no alert); the probe's verification afterwards, at the client's level, names it.
TEST_CASE("real handshake: an RSA-1024 leaf at security level 2 completes, and verification says cert_weak_key",
          "[classify][handshake]") {
  auto server = server_context(identity_for(lab::Behaviour::Rsa1024), 0);
  auto pair = unix_pair();
  ServerThread thread(pair, [ctx = server.get()](int fd) { serve_tls(fd, ctx); });
  auto run = run_client(pair.client.get(), [](SSL_CTX* ctx) { SSL_CTX_set_security_level(ctx, 2); },
                        kHandshakeBudget);
  thread.finish();
  describe(run);
  REQUIRE(run.io.ok);
  REQUIRE_FALSE(run.peer_chain.empty());

  pki::VerifyRequest request;
  request.chain = run.peer_chain;
  request.anchors.kind = pki::AnchorSource::Kind::Der;
  request.anchors.der = {lab::lab_pki().root_der()};
  request.host = lab::kLabHostName;
  request.security_level = 2;
  auto verified = pki::verify_chain(request);
  REQUIRE(verified);
  REQUIRE_FALSE(verified->errors.empty());
  CHECK(verified->errors.front().code == X509_V_ERR_EE_KEY_TOO_SMALL);
  CHECK(chain_failure(*verified, run.peer_chain.size()) == Failure::CertWeakKey);
}

TEST_CASE("real handshake: an HTTP answer to the ClientHello is tls_not_tls", "[classify][handshake]") {
  auto pair = unix_pair();
  ServerThread thread(pair, [](int fd) {
    if (read_some(fd) == 0) return;
    const std::string answer = "HTTP/1.1 400 Bad Request\r\n\r\n";
    (void)write(fd, answer.data(), answer.size());
  });
  auto run = run_client(pair.client.get(), nullptr, kHandshakeBudget);
  thread.finish();
  describe(run);
  CHECK(run.classified.failure == Failure::TlsNotTls);
}

TEST_CASE("real handshake: a server that closes after reading the ClientHello is tls_eof", "[classify][handshake]") {
  auto pair = unix_pair();
  ServerThread thread(pair, [](int fd) {
    if (read_some(fd) > 0) shutdown(fd, SHUT_RDWR);
  });
  auto run = run_client(pair.client.get(), nullptr, kHandshakeBudget);
  thread.finish();
  describe(run);
  CHECK(run.classified.failure == Failure::TlsEof);
}

TEST_CASE("real handshake: a server that resets after reading the ClientHello is tls_reset", "[classify][handshake]") {
  auto pair = tcp_pair();
  ServerThread thread(pair, [&pair](int fd) {
    if (read_some(fd) == 0) return;
    // SO_LINGER with a zero timeout turns close() into a RST.
    linger abort_on_close{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    close(pair.server.release());
  });
  auto run = run_client(pair.client.get(), nullptr, kHandshakeBudget);
  thread.finish();
  describe(run);
  CHECK(run.classified.failure == Failure::TlsReset);
}

TEST_CASE("real handshake: a server that never answers is tls_timeout", "[classify][handshake]") {
  auto pair = unix_pair();
  ServerThread thread(pair, [](int fd) {
    (void)read_some(fd);
    // Then silence: the client's deadline ends the handshake; closing the client wakes us.
    pollfd p{fd, POLLIN, 0};
    (void)poll(&p, 1, static_cast<int>(kHandshakeBudget.count()));
  });
  auto run = run_client(pair.client.get(), nullptr, kShortHandshakeBudget);
  thread.finish();
  describe(run);
  CHECK(run.classified.failure == Failure::TlsTimeout);
}

TEST_CASE("real handshake: a TLS 1.2 server that requires a client certificate is tls_client_cert_required",
          "[classify][handshake]") {
  auto server = server_context(identity_for(lab::Behaviour::Good));
  SSL_CTX_set_verify(server.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  auto pair = unix_pair();
  ServerThread thread(pair, [ctx = server.get()](int fd) { serve_tls(fd, ctx); });
  auto run = run_client(pair.client.get(), [](SSL_CTX* ctx) { SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION); },
                        kHandshakeBudget);
  thread.finish();
  describe(run);
  CHECK(run.watch.certificate_requested);
  CHECK(run.classified.failure == Failure::TlsClientCertRequired);
}
