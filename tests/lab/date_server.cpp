// A small blocking HTTPS server on loopback that answers any request with a chosen Date header.
#include "lab/date_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <thread>

#include <fmt/format.h>
#include <openssl/ssl.h>

#include "lab/scenario_pki.h"

namespace tlsdoctor::lab {
namespace {

// A request line and a few headers; a client sending more is not one of ours.
constexpr std::size_t kMaxRequestBytes = 16 * 1024;
// How long one client may take over its handshake and request before it is dropped.
constexpr int kClientTimeoutSeconds = 5;
// How often the accept loop looks at the stop flag.
constexpr int kAcceptSliceMs = 50;

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const noexcept { SSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(SSL* ssl) const noexcept { SSL_free(ssl); }
};

class Server final : public DateServer {
 public:
  Server(DateServerOptions options, int fd, std::uint16_t port, std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx)
      : options_(std::move(options)), fd_(fd), port_(port), ctx_(std::move(ctx)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~Server() override {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string address() const override { return options_.bind_address; }
  std::uint16_t port() const override { return port_; }
  std::size_t requests_answered() const override { return answered_; }

 private:
  void serve() {
    // A client that hangs up first turns our write into SIGPIPE, which is directed at the writing
    // thread: blocked here, the write fails with EPIPE instead of ending the test process.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, kAcceptSliceMs) <= 0) continue;
      const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      answer(client);
      ::close(client);
    }
  }

  void answer(int client) {
    timeval timeout{kClientTimeoutSeconds, 0};
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx_.get()));
    if (!ssl || SSL_set_fd(ssl.get(), client) != 1 || SSL_accept(ssl.get()) != 1) return;
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < kMaxRequestBytes) {
      const int n = SSL_read(ssl.get(), buffer, sizeof buffer);
      if (n <= 0) return;
      request.append(buffer, static_cast<std::size_t>(n));
    }
    std::string response = fmt::format("HTTP/1.1 {} Lab\r\n", options_.status);
    const std::string date =
        options_.fixed_date ? *options_.fixed_date : http_date(std::chrono::system_clock::now() + options_.offset);
    if (!date.empty()) response += "Date: " + date + "\r\n";
    response += "Content-Length: 0\r\nConnection: close\r\n\r\n";
    if (SSL_write(ssl.get(), response.data(), static_cast<int>(response.size())) > 0) ++answered_;
    SSL_shutdown(ssl.get());
  }

  DateServerOptions options_;
  int fd_;
  std::uint16_t port_;
  std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> answered_{0};
  std::thread thread_;
};

}  // namespace

std::string http_date(std::chrono::system_clock::time_point t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", kDays[utc.tm_wday], utc.tm_mday, kMonths[utc.tm_mon],
                     utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::string DateServer::url() const { return fmt::format("https://{}:{}/", kLabHostName, port()); }

std::string DateServer::resolve_entry() const {
  const auto a = address();
  return fmt::format("{}:{}:{}", kLabHostName, port(), a.find(':') != std::string::npos ? "[" + a + "]" : a);
}

tl::expected<std::unique_ptr<DateServer>, LabError> DateServer::start(const DateServerOptions& options) {
  ScenarioOptions scenario;
  scenario.behaviour = options.certificate;
  auto identity = default_identity(scenario);
  if (!identity) return tl::unexpected(identity.error());
  if (identity->empty()) return tl::unexpected(LabError("date server: that behaviour presents no certificate"));
  std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx || SSL_CTX_use_certificate(ctx.get(), identity->certificate.cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx.get(), identity->certificate.key.get()) != 1) {
    return tl::unexpected(LabError("date server: cannot load the certificate"));
  }
  for (const auto& c : identity->chain) {
    if (SSL_CTX_add1_chain_cert(ctx.get(), c.cert.get()) != 1) return tl::unexpected(LabError("date server: chain"));
  }
  const bool v6 = options.bind_address.find(':') != std::string::npos;
  const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return tl::unexpected(LabError("date server: socket failed"));
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
    a->sin6_family = AF_INET6;
    length = sizeof *a;
    if (::inet_pton(AF_INET6, options.bind_address.c_str(), &a->sin6_addr) != 1) length = 0;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&storage);
    a->sin_family = AF_INET;
    length = sizeof *a;
    if (::inet_pton(AF_INET, options.bind_address.c_str(), &a->sin_addr) != 1) length = 0;
  }
  if (length == 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    ::close(fd);
    return tl::unexpected(LabError("date server: cannot listen on " + options.bind_address));
  }
  const auto port = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                             : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  return std::unique_ptr<DateServer>(std::make_unique<Server>(options, fd, port, std::move(ctx)));
}

tl::expected<SkewedTimeHosts, LabError> SkewedTimeHosts::start(std::chrono::seconds offset, const std::string& ca_file) {
  DateServerOptions options;
  options.offset = offset;
  auto a = DateServer::start(options);
  if (!a) return tl::unexpected(a.error());
  options.bind_address = "127.0.0.2";
  auto b = DateServer::start(options);
  if (!b) return tl::unexpected(b.error());
  const auto pki = lab_pki_or_error();
  if (!pki) return tl::unexpected(pki.error());
  if (auto written = write_pem_bundle(ca_file, {&(*pki)->root}); !written) return tl::unexpected(written.error());
  return SkewedTimeHosts{std::move(*a), std::move(*b), ca_file};
}

std::vector<std::string> SkewedTimeHosts::urls() const { return {a->url(), b->url()}; }

std::vector<std::string> SkewedTimeHosts::resolve_entries() const { return {a->resolve_entry(), b->resolve_entry()}; }

}  // namespace tlsdoctor::lab
