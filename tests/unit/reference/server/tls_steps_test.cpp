// Tests for reference/server/tls_steps.cpp: a server SSL doing its own I/O on a socket, one non-blocking call at a time.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <future>
#include <string>
#include <thread>

#include "lab/scenario_pki.h"
#include "reference/server/server_tls.h"
#include "reference/server/tls_steps.h"
#include "tls/handshake_io.h"
#include "tls/openssl_handles.h"

using namespace tlsdoctor;
using namespace tlsdoctor::reference;

namespace {

// Steps a test tolerates before calling the connection stuck, and how long each poll waits.
constexpr int kMaxSteps = 200;
constexpr int kPollMilliseconds = 5000;

ServerTls make_lab_server_tls(OwnLibrary own_library) {
  auto identity = lab::default_identity(lab::ScenarioOptions{});
  REQUIRE(identity);
  ServerIdentity pem;
  pem.chain_pem = identity->certificate.cert_pem();
  for (const auto& cert : identity->chain) pem.chain_pem += cert.cert_pem();
  pem.key_pem = identity->certificate.key_pem();
  auto made = make_server_tls(pem, own_library);
  REQUIRE(made);
  CHECK((made->library != nullptr) == (own_library == OwnLibrary::Yes));
  return std::move(*made);
}

// The server's context in OpenSSL's default library context, or in one of its own (as each
// io thread of a multi-threaded reference has).
const ServerTls& server_tls(OwnLibrary own_library = OwnLibrary::No) {
  static const ServerTls shared = make_lab_server_tls(OwnLibrary::No);
  static const ServerTls own = make_lab_server_tls(OwnLibrary::Yes);
  return own_library == OwnLibrary::Yes ? own : shared;
}

// A connected pair: the server's end non-blocking (as the reference's sockets are), the
// client's blocking (driven by a plain OpenSSL client on its own thread).
struct SocketPair {
  int server = -1;
  int client = -1;
  SocketPair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    server = fds[0];
    client = fds[1];
    REQUIRE(::fcntl(server, F_SETFL, ::fcntl(server, F_GETFL) | O_NONBLOCK) == 0);
  }
  ~SocketPair() {
    if (server >= 0) ::close(server);
    if (client >= 0) ::close(client);
  }
  SocketPair(const SocketPair&) = delete;
  SocketPair& operator=(const SocketPair&) = delete;
};

// Calls `step` until it stops asking to wait, polling the socket for what it asks.
TlsStep settle(int fd, const std::function<TlsStep()>& step) {
  for (int i = 0; i < kMaxSteps; ++i) {
    const TlsStep result = step();
    if (result.outcome != TlsOutcome::WantRead && result.outcome != TlsOutcome::WantWrite) return result;
    pollfd wait{fd, static_cast<short>(result.outcome == TlsOutcome::WantRead ? POLLIN : POLLOUT), 0};
    REQUIRE(::poll(&wait, 1, kPollMilliseconds) == 1);
  }
  FAIL("the connection never settled");
  return {};
}

// What the client thread did: how its handshake went and what it read.
struct ClientResult {
  bool handshake_ok = false;
  std::string read;
  int read_end_error = 0;  // SSL_get_error of the read after the answer
};

enum class ClientEnding { AwaitCloseNotify, SendCloseNotify, DropTcp };

// A blocking TLS client on `fd`: handshake, send "ping", then end as `ending` says.
std::future<ClientResult> run_client(int fd, ClientEnding ending) {
  return std::async(std::launch::async, [fd, ending] {
    ClientResult result;
    tls::SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
    tls::SslPtr ssl(ctx ? SSL_new(ctx.get()) : nullptr);
    if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return result;
    result.handshake_ok = SSL_connect(ssl.get()) == 1;
    if (!result.handshake_ok) return result;
    if (SSL_write(ssl.get(), "ping", 4) != 4) return result;
    if (ending == ClientEnding::SendCloseNotify) {
      SSL_shutdown(ssl.get());
      return result;
    }
    if (ending == ClientEnding::DropTcp) {
      ::shutdown(fd, SHUT_RDWR);
      return result;
    }
    char buffer[16];
    const int got = SSL_read(ssl.get(), buffer, sizeof buffer);
    if (got > 0) result.read.assign(buffer, static_cast<std::size_t>(got));
    const int end = SSL_read(ssl.get(), buffer, sizeof buffer);
    result.read_end_error = SSL_get_error(ssl.get(), end);
    return result;
  });
}

}  // namespace

TEST_CASE("tls steps: a handshake, a request, an answer and close_notify, one non-blocking call at a time") {
  const auto own_library = GENERATE(OwnLibrary::No, OwnLibrary::Yes);
  SocketPair sockets;
  auto ssl = make_server_ssl(server_tls(own_library).context.get(), sockets.server);
  REQUIRE(ssl);
  // Nothing has arrived yet: the handshake waits for the ClientHello instead of blocking.
  CHECK(tls_accept_step(ssl.get()).outcome == TlsOutcome::WantRead);

  auto client = run_client(sockets.client, ClientEnding::AwaitCloseNotify);
  CHECK(settle(sockets.server, [&] { return tls_accept_step(ssl.get()); }).outcome == TlsOutcome::Done);
  char request[16];
  const TlsStep read = settle(sockets.server, [&] { return tls_read_step(ssl.get(), request, sizeof request); });
  REQUIRE(read.outcome == TlsOutcome::Done);
  CHECK(std::string(request, read.bytes) == "ping");
  const TlsStep written = settle(sockets.server, [&] { return tls_write_step(ssl.get(), "pong", 4); });
  CHECK(written.outcome == TlsOutcome::Done);
  CHECK(written.bytes == 4);
  CHECK(settle(sockets.server, [&] { return tls_shutdown_step(ssl.get()); }).outcome == TlsOutcome::Done);

  const ClientResult result = client.get();
  CHECK(result.handshake_ok);
  CHECK(result.read == "pong");
  CHECK(result.read_end_error == SSL_ERROR_ZERO_RETURN);  // our close_notify arrived
}

TEST_CASE("tls steps: the client's close_notify reads as closed, a dropped TCP connection as truncated") {
  const auto ending = GENERATE(ClientEnding::SendCloseNotify, ClientEnding::DropTcp);
  // OpenSSL answers a dropped connection with an alert written to a closed socket: as on the
  // reference's io threads, that must be EPIPE, not the end of the process.
  const tls::ScopedSigpipeBlock no_sigpipe;
  SocketPair sockets;
  auto ssl = make_server_ssl(server_tls().context.get(), sockets.server);
  REQUIRE(ssl);
  auto client = run_client(sockets.client, ending);
  REQUIRE(settle(sockets.server, [&] { return tls_accept_step(ssl.get()); }).outcome == TlsOutcome::Done);
  REQUIRE(client.get().handshake_ok);
  char request[16];
  const TlsStep first = settle(sockets.server, [&] { return tls_read_step(ssl.get(), request, sizeof request); });
  REQUIRE(first.outcome == TlsOutcome::Done);
  const TlsStep next = settle(sockets.server, [&] { return tls_read_step(ssl.get(), request, sizeof request); });
  CHECK(next.outcome == (ending == ClientEnding::SendCloseNotify ? TlsOutcome::Closed : TlsOutcome::Truncated));
}

TEST_CASE("tls steps: bytes that are not TLS fail the handshake with OpenSSL's reason") {
  SocketPair sockets;
  auto ssl = make_server_ssl(server_tls().context.get(), sockets.server);
  REQUIRE(ssl);
  const std::string http = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
  REQUIRE(::write(sockets.client, http.data(), http.size()) == static_cast<ssize_t>(http.size()));
  const TlsStep step = settle(sockets.server, [&] { return tls_accept_step(ssl.get()); });
  CHECK(step.outcome == TlsOutcome::Failed);
  CHECK(step.reason != 0);
}
