// Starts haproxy in master-worker foreground mode with a generated TCP-mode configuration; stops it with its directory.
#include "lab/haproxy_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "lab/cert_factory.h"
#include "lab/squid_proxy.h"
#include "lab/subprocess.h"

namespace tlsdoctor::lab {
namespace {

// haproxy 2.6 is ready in about 0.08 s here; the bound leaves room for a busy 2-core CI machine.
constexpr std::chrono::seconds kHaproxyStartTimeout{10};
// On SIGINT the master stops its worker and exits within milliseconds; past this it is killed
// (the worker then exits too: it watches its pipe to the master).
constexpr std::chrono::milliseconds kHaproxyStopGrace{500};
// Another test may take the free port between our probe for it and haproxy's bind.
constexpr int kStartAttempts = 3;
// Where Debian installs it; /usr/sbin is not on an ordinary user's PATH.
constexpr const char* kDebianHaproxy = "/usr/sbin/haproxy";
// What the master prints on stderr once its worker has bound the listeners and reported ready.
// A single-process haproxy prints nothing at all when it starts well, hence master-worker mode.
constexpr const char* kReadyLine = "Loading success.";
// A lab proxy carries a handful of connections; haproxy's default would size itself on the
// process's file limit.
constexpr int kMaxConnections = 256;
// Each recv takes one log line; a test's proxy logs a few, so this only stops a runaway loop.
constexpr int kMaxLogLinesPerRead = 10000;

std::string config(const HaproxyOptions& options, std::uint16_t port, std::uint16_t log_port) {
  // noreuseport: by default haproxy binds with SO_REUSEPORT and would share a port another
  // process already listens on instead of failing, so a taken port would go unnoticed.
  // No user, group or chroot: they need root, and the lab also runs unprivileged.
  return fmt::format(
      "global\n"
      "  maxconn {maxconn}\n"
      "  noreuseport\n"
      "  log 127.0.0.1:{log_port} format raw local0 info\n"
      "defaults\n"
      "  mode tcp\n"
      "  log global\n"
      "  option tcplog\n"
      "  timeout connect 5s\n"
      "  timeout client 5s\n"
      "  timeout server 5s\n"
      "frontend lab\n"
      "  bind 127.0.0.1:{port}\n"
      "  default_backend reference\n"
      "backend reference\n"
      "  server ref 127.0.0.1:{backend}{proxy}\n",
      fmt::arg("maxconn", kMaxConnections), fmt::arg("log_port", log_port), fmt::arg("port", port),
      fmt::arg("backend", options.backend_port), fmt::arg("proxy", options.send_proxy_v2 ? " send-proxy-v2" : ""));
}

// A UDP socket on 127.0.0.1 for haproxy's log lines, non-blocking so logs() never waits.
tl::expected<std::pair<tls::UniqueFd, std::uint16_t>, std::string> open_log_socket() {
  tls::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return tl::unexpected(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return tl::unexpected(std::string("log socket: ") + std::strerror(errno));
  }
  const std::uint16_t port = ntohs(address.sin_port);
  return std::pair{std::move(fd), port};
}

}  // namespace

tl::expected<std::unique_ptr<HaproxyProxy>, std::string> HaproxyProxy::start(const HaproxyOptions& options) {
  const auto found = find_on_path("haproxy");
  const std::string binary = found ? *found : kDebianHaproxy;
  if (!std::filesystem::exists(binary)) return tl::unexpected(std::string("haproxy is not installed"));
  std::string last_error;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    auto dir = TempTree::create("tlsdoctor-haproxy-");
    if (!dir) return tl::unexpected(dir.error());
    auto log_socket = open_log_socket();
    if (!log_socket) return tl::unexpected(log_socket.error());
    const std::uint16_t port = unused_loopback_port();
    const auto conf = dir->path() / "haproxy.cfg";
    if (auto written = write_file(conf, config(options, port, log_socket->second)); !written) {
      return tl::unexpected(written.error());
    }
    const auto started = std::chrono::steady_clock::now();
    auto process = BackgroundProcess::start({binary, "-W", "-db", "-f", conf.string()}, kReadyLine, kHaproxyStartTimeout);
    if (!process) {
      last_error = "haproxy did not start: " + process.error();
      if (last_error.find("Address already in use") != std::string::npos) continue;
      return tl::unexpected(last_error);
    }
    const auto startup_time =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return std::make_unique<HaproxyProxy>(std::move(*dir), port, std::move(log_socket->first), std::move(*process),
                                          startup_time);
  }
  return tl::unexpected(last_error);
}

HaproxyProxy::~HaproxyProxy() {
  if (process_) (void)process_->stop(kHaproxyStopGrace);
}

std::string HaproxyProxy::logs() const {
  std::array<char, 4096> line{};
  for (int read = 0; read < kMaxLogLinesPerRead; ++read) {
    const ssize_t n = ::recv(log_socket_.get(), line.data(), line.size(), MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    connection_log_.append(line.data(), static_cast<std::size_t>(n));
    if (connection_log_.back() != '\n') connection_log_ += '\n';
  }
  const std::string startup_output = process_ ? process_->stderr_so_far() : std::string();
  return "haproxy stderr:\n" + startup_output + "connection log:\n" + connection_log_;
}

}  // namespace tlsdoctor::lab
