// The lab's test client: OpenSSL with the lab root as its only anchor, a bounded connect and handshake.
#include "lab/lab_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/deadline.h"
#include "tls/handshake_io.h"
#include "tls/openssl_handles.h"

namespace tlsdoctor::lab {
namespace {

using tls::UniqueFd;

// ALPN protocol names are at most 255 bytes (RFC 7301 3.1); made-up ones pad the ClientHello.
constexpr std::size_t kAlpnNameBytes = 200;

// Alerts from the server; close_notify (0) is an orderly end, not a complaint.
void on_info(const SSL* ssl, int where, int ret) {
  if ((where & SSL_CB_ALERT) == 0 || (where & SSL_CB_READ) == 0) return;
  const auto description = static_cast<std::uint8_t>(ret & 0xff);
  auto* result = static_cast<LabClientResult*>(SSL_get_app_data(ssl));
  if (result != nullptr && !result->alert_received && description != SSL_AD_CLOSE_NOTIFY) {
    result->alert_received = description;
  }
}

std::vector<unsigned char> padding_alpn(std::size_t bytes) {
  std::vector<unsigned char> wire;
  while (wire.size() < bytes) {
    const std::size_t name = std::min(kAlpnNameBytes, bytes - wire.size() + 1);
    wire.push_back(static_cast<unsigned char>(name));
    wire.insert(wire.end(), name, 'x');
  }
  // A real protocol last, as a client that pads would still offer one.
  const std::string http = "http/1.1";
  wire.push_back(static_cast<unsigned char>(http.size()));
  wire.insert(wire.end(), http.begin(), http.end());
  return wire;
}

tl::expected<tls::SslPtr, std::string> make_client(const LabClientOptions& options, tls::SslCtxPtr& ctx) {
  ctx.reset(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return tl::unexpected(std::string("SSL_CTX_new failed"));
  if (options.security_level) SSL_CTX_set_security_level(ctx.get(), *options.security_level);
  if (options.min_version != 0) SSL_CTX_set_min_proto_version(ctx.get(), options.min_version);
  if (options.max_version != 0) SSL_CTX_set_max_proto_version(ctx.get(), options.max_version);
  if (!options.cipher_list.empty() && SSL_CTX_set_cipher_list(ctx.get(), options.cipher_list.c_str()) != 1) {
    return tl::unexpected("cipher list: " + options.cipher_list);
  }
  if (options.verify) {
    if (X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), lab_pki().root.cert.get()) != 1) {
      return tl::unexpected(std::string("cannot trust the lab root"));
    }
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  }
  if (options.client_certificate != nullptr) {
    const auto& identity = *options.client_certificate;
    if (SSL_CTX_use_certificate(ctx.get(), identity.certificate.cert.get()) != 1 ||
        SSL_CTX_use_PrivateKey(ctx.get(), identity.certificate.key.get()) != 1) {
      return tl::unexpected(std::string("client certificate"));
    }
    for (const auto& next : identity.chain) SSL_CTX_add1_chain_cert(ctx.get(), next.cert.get());
  }
  SSL_CTX_set_info_callback(ctx.get(), on_info);
  tls::SslPtr ssl(SSL_new(ctx.get()));
  if (!ssl) return tl::unexpected(std::string("SSL_new failed"));
  if (options.sni) SSL_set_tlsext_host_name(ssl.get(), options.sni->c_str());
  if (options.verify && !options.verify_name.empty()) SSL_set1_host(ssl.get(), options.verify_name.c_str());
  if (options.alpn_padding > 0) {
    const auto alpn = padding_alpn(options.alpn_padding);
    SSL_set_alpn_protos(ssl.get(), alpn.data(), static_cast<unsigned int>(alpn.size()));
  }
  return ssl;
}

tl::expected<UniqueFd, std::string> connect_to(const std::string& address, std::uint16_t port,
                                               const Deadline& deadline) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof(sockaddr_in6);
  } else {
    return tl::unexpected("not an IP address: " + address);
  }
  UniqueFd fd(::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return tl::unexpected(std::string("socket: ") + std::strerror(errno));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&storage), length) == 0) return fd;
  if (errno != EINPROGRESS) return tl::unexpected(std::string("connect: ") + std::strerror(errno));
  pollfd pfd{fd.get(), POLLOUT, 0};
  if (::poll(&pfd, 1, static_cast<int>(deadline.remaining().count())) <= 0) {
    return tl::unexpected(std::string("connect timed out"));
  }
  int error = 0;
  socklen_t error_length = sizeof(error);
  ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &error_length);
  if (error != 0) return tl::unexpected(std::string("connect: ") + std::strerror(error));
  return fd;
}

// Reads once after the handshake: close_notify, an alert, data, or nothing before the deadline.
std::string read_after_handshake(SSL* ssl, const Deadline& deadline) {
  std::array<char, 256> buffer{};
  for (;;) {
    ERR_clear_error();
    const int got = SSL_read(ssl, buffer.data(), static_cast<int>(buffer.size()));
    if (got > 0) return "data";
    const int error = SSL_get_error(ssl, got);
    if (error == SSL_ERROR_ZERO_RETURN) return "eof";
    if (error != SSL_ERROR_WANT_READ) return error == SSL_ERROR_SSL ? "alert" : "error";
    pollfd pfd{SSL_get_fd(ssl), POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(deadline.remaining().count())) <= 0) return "timeout";
  }
}

}  // namespace

LabClientResult lab_handshake(const ScenarioServer& server, const LabClientOptions& options) {
  const tls::ScopedSigpipeBlock no_sigpipe;
  LabClientResult result;
  const auto started = std::chrono::steady_clock::now();
  const Deadline deadline = Deadline::after(options.timeout);
  auto finish = [&]() -> LabClientResult& {
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return result;
  };
  tls::SslCtxPtr ctx;
  auto ssl = make_client(options, ctx);
  if (!ssl) {
    result.connect_error = "client setup: " + ssl.error();
    return finish();
  }
  auto fd = connect_to(server.address(), server.port(), deadline);
  if (!fd) {
    result.connect_error = fd.error();
    return finish();
  }
  SSL_set_fd(ssl->get(), fd->get());
  SSL_set_app_data(ssl->get(), &result);
  const auto io = tls::run_handshake(ssl->get(), tls::HandshakeSide::Client, deadline);
  result.completed = io.ok;
  result.timed_out = io.timed_out;
  result.ssl_error = io.ssl_error;
  result.system_errno = io.system_errno;
  result.reason = tls::first_reason(io.errors);
  result.verify_result = SSL_get_verify_result(ssl->get());
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl->get()); chain != nullptr) {
    for (int i = 0; i < sk_X509_num(chain); ++i) {
      unsigned char* der = nullptr;
      const int length = i2d_X509(sk_X509_value(chain, i), &der);
      if (length > 0) result.peer_chain.emplace_back(der, der + length);
      OPENSSL_free(der);
    }
  }
  if (io.ok) {
    result.version = SSL_get_version(ssl->get());
    result.cipher = SSL_get_cipher_name(ssl->get());
    if (options.read_after.count() > 0) {
      result.post_handshake = read_after_handshake(ssl->get(), Deadline::after(options.read_after));
      if (result.reason.empty()) result.reason = tls::first_reason(tls::take_openssl_errors());
    }
  }
  ERR_clear_error();
  SSL_set_app_data(ssl->get(), nullptr);
  return finish();
}

std::vector<std::uint8_t> lab_client_hello_records(const LabClientOptions& options) {
  tls::SslCtxPtr ctx;
  auto ssl = make_client(options, ctx);
  if (!ssl) return {};
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  if (in == nullptr || out == nullptr) {
    BIO_free(in);
    BIO_free(out);
    return {};
  }
  BIO_set_mem_eof_return(in, -1);
  SSL_set_bio(ssl->get(), in, out);
  SSL_connect(ssl->get());  // stops wanting the ServerHello, the ClientHello written to `out`
  std::vector<std::uint8_t> records(BIO_ctrl_pending(out));
  const int got = BIO_read(out, records.data(), static_cast<int>(records.size()));
  records.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  ERR_clear_error();
  return records;
}

}  // namespace tlsdoctor::lab
