// The loopback server: per-version listening sockets, a serving thread, and what it saw per connection.
#include "tls/loopback_server.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <openssl/err.h>

#include "tls/self_signed.h"

namespace tlsdoctor::tls {
namespace {

// Accept everything the client might offer, so only the client's policy decides.
constexpr const char* kServerCipherList = "ALL:@SECLEVEL=0";
constexpr const char* kServerTls13Suites =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:"
    "TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256";
constexpr const char* kServerGroups = "X25519:P-256:P-384:P-521:X448:ffdhe2048:ffdhe3072:ffdhe4096";
// The certificate is ECDSA: allow every hash with it, so the client's list decides.
constexpr const char* kServerSigalgs = "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ECDSA+SHA224:ECDSA+SHA1";
// A few waiting connections are plenty: the measurement connects one at a time.
constexpr int kListenBacklog = 8;

tl::unexpected<Error> failure(std::string step) {
  return tl::unexpected(Error{"loopback server", step + ": " + first_reason(take_openssl_errors(), "failed")});
}

tl::expected<SslCtxPtr, Error> pinned_context(TlsVersion version, const ServerIdentity& identity) {
  // The server context is created under the same system configuration as the client; undo
  // everything in it that could make the server the side that refuses.
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return failure("creating a server context");
  SSL_CTX_clear_options(ctx.get(), SSL_OP_NO_SSL_MASK);
  SSL_CTX_set_security_level(ctx.get(), 0);
  if (SSL_CTX_set_cipher_list(ctx.get(), kServerCipherList) != 1 ||
      SSL_CTX_set_ciphersuites(ctx.get(), kServerTls13Suites) != 1) {
    return failure("setting the server's ciphers");
  }
  // Best effort: a FIPS provider may lack some groups; then the system's list stays.
  if (SSL_CTX_set1_groups_list(ctx.get(), kServerGroups) != 1) ERR_clear_error();
  if (SSL_CTX_set1_sigalgs_list(ctx.get(), kServerSigalgs) != 1) ERR_clear_error();
  const int protocol = to_openssl(version);
  if (SSL_CTX_set_min_proto_version(ctx.get(), protocol) != 1 ||
      SSL_CTX_set_max_proto_version(ctx.get(), protocol) != 1) {
    return failure("pinning the server to " + std::string(to_string(version)));
  }
  if (SSL_CTX_use_certificate(ctx.get(), identity.certificate.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx.get(), identity.key.get()) != 1) {
    return failure("loading the server certificate");
  }
  // No session tickets: nothing is resumed, and nothing is written after the handshake.
  SSL_CTX_set_num_tickets(ctx.get(), 0);
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  return ctx;
}

tl::expected<std::pair<UniqueFd, sockaddr_in>, Error> listen_on_loopback() {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return tl::unexpected(Error{"loopback server", std::string("socket: ") + std::strerror(errno)});
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t len = sizeof(address);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(fd.get(), kListenBacklog) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &len) != 0) {
    return tl::unexpected(Error{"loopback server", std::string("bind 127.0.0.1: ") + std::strerror(errno)});
  }
  return std::make_pair(std::move(fd), address);
}

}  // namespace

tl::expected<std::unique_ptr<LoopbackServer>, Error> LoopbackServer::start(
    std::span<const TlsVersion> versions, std::chrono::milliseconds handshake_timeout) {
  auto identity = make_self_signed("tlsdoctor loopback", SelfSignedKey::P384);
  if (!identity) return tl::unexpected(identity.error());
  auto server = std::make_unique<LoopbackServer>(StartTag{});
  server->handshake_timeout_ = handshake_timeout;
  for (const TlsVersion version : versions) {
    auto ctx = pinned_context(version, *identity);
    if (!ctx) return tl::unexpected(ctx.error());
    auto socket = listen_on_loopback();
    if (!socket) return tl::unexpected(socket.error());
    Listener listener;
    listener.version = version;
    listener.fd = std::move(socket->first);
    listener.address = socket->second;
    listener.ctx = std::move(*ctx);
    server->listeners_.push_back(std::move(listener));
  }
  server->wake_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!server->wake_) return tl::unexpected(Error{"loopback server", std::string("eventfd: ") + std::strerror(errno)});
  server->thread_ = std::thread([raw = server.get()] { raw->serve(); });
  return server;
}

LoopbackServer::~LoopbackServer() {
  if (thread_.joinable()) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_.get(), &one, sizeof(one));
    thread_.join();
  }
}

std::optional<sockaddr_in> LoopbackServer::address(TlsVersion version) const {
  const Listener* listener = find(version);
  if (listener == nullptr) return std::nullopt;
  return listener->address;
}

int LoopbackServer::connections_done(TlsVersion version) const {
  std::lock_guard lock(mutex_);
  const Listener* listener = find(version);
  return listener == nullptr ? 0 : listener->done;
}

std::optional<std::string> LoopbackServer::wait_for_connection(TlsVersion version, int before,
                                                                std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  const Listener* listener = find(version);
  if (listener == nullptr) return std::nullopt;
  if (!finished_.wait_for(lock, timeout, [&] { return listener->done > before; })) return std::nullopt;
  return listener->last_failure;
}

const LoopbackServer::Listener* LoopbackServer::find(TlsVersion version) const {
  for (const auto& listener : listeners_) {
    if (listener.version == version) return &listener;
  }
  return nullptr;
}

void LoopbackServer::serve() {
  const ScopedSigpipeBlock no_sigpipe;
  std::vector<pollfd> fds;
  fds.push_back(pollfd{wake_.get(), POLLIN, 0});
  for (const auto& listener : listeners_) fds.push_back(pollfd{listener.fd.get(), POLLIN, 0});
  for (;;) {
    for (auto& p : fds) p.revents = 0;
    const int ready = ::poll(fds.data(), fds.size(), -1);  // woken by a client or by the destructor
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || (fds[0].revents & POLLIN) != 0) return;
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if ((fds[i].revents & POLLIN) == 0) continue;
      UniqueFd connection(::accept4(fds[i].fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (connection) handle(listeners_[i - 1], std::move(connection));
    }
  }
}

void LoopbackServer::handle(Listener& listener, UniqueFd connection) {
  std::string failure_text;
  SslPtr ssl(SSL_new(listener.ctx.get()));
  if (!ssl || SSL_set_fd(ssl.get(), connection.get()) != 1) {
    failure_text = first_reason(take_openssl_errors(), "cannot set up the server side");
  } else {
    const auto result = run_handshake(ssl.get(), HandshakeSide::Server, Deadline::after(handshake_timeout_));
    if (result.ok) {
      SSL_shutdown(ssl.get());  // best effort close_notify; the client does not wait for it
    } else if (result.timed_out) {
      failure_text = "handshake timed out";
    } else {
      failure_text = first_reason(result.errors, "connection closed by the client");
    }
  }
  ERR_clear_error();
  {
    std::lock_guard lock(mutex_);
    listener.last_failure = std::move(failure_text);
    ++listener.done;
  }
  finished_.notify_all();
}

}  // namespace tlsdoctor::tls
