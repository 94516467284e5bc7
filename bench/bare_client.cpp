// A bare OpenSSL client: blocking handshakes with one shared SSL_CTX, as the benchmark's floor.
#include "bare_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "lab/scenario_pki.h"
#include "tls/openssl_handles.h"

namespace tlsdoctor::bench {
namespace {

// Each socket read and write gives up after this long: a stuck lab server ends the benchmark
// with a count short of the target rather than hanging it.
constexpr int kSocketTimeoutSeconds = 5;

int connect_blocking(const std::string& address, std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const timeval limit{kSocketTimeoutSeconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  if (::inet_pton(AF_INET, address.c_str(), &to.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool one_handshake(SSL_CTX* ctx, const lab::ScenarioServer& server) {
  const int fd = connect_blocking(server.address(), server.port());
  if (fd < 0) return false;
  bool verified = false;
  if (tls::SslPtr ssl(SSL_new(ctx)); ssl && SSL_set_fd(ssl.get(), fd) == 1 &&
                                     SSL_set_tlsext_host_name(ssl.get(), lab::kLabHostName) == 1 &&
                                     SSL_set1_host(ssl.get(), lab::kLabHostName) == 1) {
    verified = SSL_connect(ssl.get()) == 1 && SSL_get_verify_result(ssl.get()) == X509_V_OK;
    if (verified) SSL_shutdown(ssl.get());
  }
  ::close(fd);
  return verified;
}

}  // namespace

std::size_t bare_handshakes(const lab::ScenarioServer& server, std::size_t count, unsigned threads) {
  tls::SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx || X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), lab::lab_pki().root.cert.get()) != 1) return 0;
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> verified{0};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (next++ < count) {
        if (one_handshake(ctx.get(), server)) ++verified;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  return verified;
}

}  // namespace tlsdoctor::bench
