// Starts squid in the foreground with a generated configuration and a Basic password file; stops it with its directory.
#include "lab/squid_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "lab/cert_factory.h"
#include "lab/subprocess.h"

namespace tlsdoctor::lab {
namespace {

// squid starts in about a second here; under ASan and a busy CI machine, give it room.
constexpr std::chrono::seconds kSquidStartTimeout{20};
// The helper Debian's squid package ships for Basic authentication against an htpasswd file.
constexpr const char* kBasicAuthHelper = "/usr/lib/squid/basic_ncsa_auth";
// squid refuses to keep root privileges; Debian's squid package creates this user.
constexpr const char* kSquidUserAccount = "proxy";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string config(const SquidOptions& options, const std::filesystem::path& dir, std::uint16_t port) {
  std::string c = fmt::format(
      "http_port 127.0.0.1:{port}\n"
      "pid_filename {dir}/squid.pid\n"
      "cache_effective_user {user}\n"
      "cache deny all\n"
      "cache_mem 8 MB\n"
      "access_log stdio:{dir}/access.log\n"
      "cache_log {dir}/cache.log\n"
      "cache_store_log none\n"
      "coredump_dir {dir}\n"
      "logfile_rotate 0\n"
      "shutdown_lifetime 0 seconds\n"
      "connect_timeout 5 seconds\n"
      "acl CONNECT method CONNECT\n",
      fmt::arg("port", port), fmt::arg("dir", dir.string()), fmt::arg("user", kSquidUserAccount));
  switch (options.mode) {
    case SquidMode::Open:
      c += "http_access allow all\n";
      break;
    case SquidMode::BasicAuth:
      c += fmt::format("auth_param basic program {} {}/passwd\n", kBasicAuthHelper, dir.string());
      c += "auth_param basic realm tlsdoctor-lab\n";
      c += "acl authenticated proxy_auth REQUIRED\n";
      c += "http_access allow authenticated\n";
      c += "http_access deny all\n";
      break;
    case SquidMode::DenyConnectToPort:
      c += fmt::format("acl denied_port port {}\n", options.denied_port);
      c += "http_access deny CONNECT denied_port\n";
      c += "http_access allow all\n";
      break;
  }
  return c;
}

// squid logs "Accepting" as it schedules the listen, and a connection at that instant can be
// refused: wait until a TCP connection actually succeeds.
bool accepts_connections(std::uint16_t port, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    if (connected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

std::uint16_t unused_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  std::uint16_t port = 1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

tl::expected<std::unique_ptr<SquidProxy>, std::string> SquidProxy::start(const SquidOptions& options) {
  const auto squid = find_on_path("squid");
  const std::string binary = squid ? *squid : "/usr/sbin/squid";
  if (!std::filesystem::exists(binary)) return tl::unexpected(std::string("squid is not installed"));
  auto dir = TempTree::create("tlsdoctor-squid-");
  if (!dir) return tl::unexpected(dir.error());
  std::filesystem::permissions(dir->path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                                std::filesystem::perms::others_exec);
  if (options.mode == SquidMode::BasicAuth) {
    // basic_ncsa_auth reads htpasswd files; Apache's MD5 ("$apr1$") is one of its formats.
    const auto hashed = run_process({"openssl", "passwd", "-apr1", kSquidPassword});
    if (hashed.exit_code != 0) return tl::unexpected("openssl passwd failed: " + hashed.err);
    std::string hash = hashed.out;
    while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r')) hash.pop_back();
    if (auto written = write_file(dir->path() / "passwd", fmt::format("{}:{}\n", kSquidUser, hash)); !written) {
      return tl::unexpected(written.error());
    }
  }
  const std::uint16_t port = unused_loopback_port();
  const auto conf = dir->path() / "squid.conf";
  if (auto written = write_file(conf, config(options, dir->path(), port)); !written) return tl::unexpected(written.error());
  // squid drops to its own user and must still write its logs and pid file here.
  if (const passwd* account = ::getpwnam(kSquidUserAccount); account != nullptr && ::geteuid() == 0) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir->path())) {
      (void)::chown(entry.path().c_str(), account->pw_uid, account->pw_gid);
    }
    (void)::chown(dir->path().c_str(), account->pw_uid, account->pw_gid);
  }
  auto process = BackgroundProcess::start({binary, "-N", "-d", "1", "-f", conf.string()},
                                          "Accepting HTTP Socket connections", kSquidStartTimeout);
  if (!process) return tl::unexpected("squid did not start: " + process.error());
  if (!accepts_connections(port, kSquidStartTimeout)) {
    return tl::unexpected(fmt::format("squid said it listens on port {} but refuses connections", port));
  }
  return std::make_unique<SquidProxy>(std::move(*dir), port, std::move(*process));
}

SquidProxy::~SquidProxy() {
  if (process_) (void)process_->stop(std::chrono::milliseconds(2000));
}

std::string SquidProxy::url() const { return fmt::format("http://127.0.0.1:{}", port_); }

std::string SquidProxy::url_with(const std::string& user, const std::string& password) const {
  return fmt::format("http://{}:{}@127.0.0.1:{}", user, password, port_);
}

std::string SquidProxy::logs() const {
  return "access.log:\n" + read_text(dir_.path() / "access.log") + "cache.log:\n" + read_text(dir_.path() / "cache.log");
}

}  // namespace tlsdoctor::lab
