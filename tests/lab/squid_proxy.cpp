// Starts squid in the foreground with a generated configuration and a Basic password file; stops it with its directory.
#include "lab/squid_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <tuple>

#include <fmt/format.h>

#include "lab/cert_factory.h"
#include "lab/loopback_port.h"
#include "lab/subprocess.h"

namespace tlsdoctor::lab {
namespace {

// squid 5.7 is up in about 0.15 s here; the bound leaves room for a busy 2-core CI machine.
constexpr std::chrono::seconds kSquidStartTimeout{10};
// squid's clean shutdown walks its event loop in one-second steps (about 1.7 s even with
// shutdown_lifetime 0). The lab needs no clean exit (logs are unbuffered, the directory goes
// away), so after this grace it is killed.
constexpr std::chrono::milliseconds kSquidStopGrace{200};
// Another test may take the free port between our probe for it and squid's bind.
constexpr int kStartAttempts = 3;
// The helper Debian's squid package ships for Basic authentication against an htpasswd file.
constexpr const char* kBasicAuthHelper = "/usr/lib/squid/basic_ncsa_auth";
// Its Digest helper, reading "user:password" lines.
constexpr const char* kDigestAuthHelper = "/usr/lib/squid/digest_file_auth";
// Its NTLM helper that completes the exchange for any credentials (no domain controller here).
constexpr const char* kNtlmAuthHelper = "/usr/lib/squid/ntlm_fake_auth";
// squid run as root drops to this user (Debian's squid package creates it).
constexpr const char* kSquidUserAccount = "proxy";

std::string config(const SquidOptions& options, const std::filesystem::path& dir, std::uint16_t port, bool as_root) {
  // No cache_dir: squid 5 then keeps no disk cache. The pinger and netdb would only add start
  // time and files outside our directory.
  std::string c = fmt::format(
      "http_port 127.0.0.1:{port}\n"
      "pid_filename {dir}/squid.pid\n"
      "cache deny all\n"
      "cache_mem 8 MB\n"
      "access_log stdio:{dir}/access.log\n"
      "buffered_logs off\n"
      "cache_log {dir}/cache.log\n"
      "cache_store_log none\n"
      "netdb_filename none\n"
      "pinger_enable off\n"
      "coredump_dir {dir}\n"
      "logfile_rotate 0\n"
      "shutdown_lifetime 0 seconds\n"
      "connect_timeout 5 seconds\n"
      "acl CONNECT method CONNECT\n",
      fmt::arg("port", port), fmt::arg("dir", dir.string()));
  if (as_root) c += fmt::format("cache_effective_user {}\n", kSquidUserAccount);
  // Debian's default configuration denies CONNECT to ports other than 443 and to localhost;
  // these rules replace it so that lab servers on 127.0.0.1 are reachable.
  switch (options.mode) {
    case SquidMode::Open:
      c += "http_access allow all\n";
      break;
    case SquidMode::BasicAuth:
      c += fmt::format("auth_param basic program {} {}/passwd\n", kBasicAuthHelper, dir.string());
      c += "auth_param basic children 2\n";
      c += "auth_param basic realm tlsdoctor-lab\n";
      c += "acl authenticated proxy_auth REQUIRED\n";
      c += "http_access allow authenticated\n";
      c += "http_access deny all\n";
      break;
    case SquidMode::DigestAuth:
      c += fmt::format("auth_param digest program {} {}/digest_passwd\n", kDigestAuthHelper, dir.string());
      c += "auth_param digest children 2\n";
      c += "auth_param digest realm tlsdoctor-lab\n";
      c += "acl authenticated proxy_auth REQUIRED\n";
      c += "http_access allow authenticated\n";
      c += "http_access deny all\n";
      break;
    case SquidMode::NtlmAuth:
      c += fmt::format("auth_param ntlm program {}\n", kNtlmAuthHelper);
      c += "auth_param ntlm children 2\n";
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

const char* auth_helper(SquidMode mode) {
  switch (mode) {
    case SquidMode::BasicAuth: return kBasicAuthHelper;
    case SquidMode::DigestAuth: return kDigestAuthHelper;
    case SquidMode::NtlmAuth: return kNtlmAuthHelper;
    case SquidMode::Open:
    case SquidMode::DenyConnectToPort: return nullptr;
  }
  return nullptr;
}

// The line in squid's passwd file: basic_ncsa_auth reads htpasswd files, and Apache's MD5
// ("$apr1$", what `openssl passwd -apr1` makes) is one of the hashes it checks.
tl::expected<std::string, std::string> passwd_line() {
  const auto openssl = find_on_path("openssl");
  if (!openssl) return tl::unexpected(std::string("openssl (to hash the lab's proxy password) is not installed"));
  const auto hashed = run_process({*openssl, "passwd", "-apr1", kSquidPassword});
  if (hashed.exit_code != 0) return tl::unexpected("openssl passwd failed: " + hashed.err);
  std::string hash = hashed.out;
  while (!hash.empty() && (hash.back() == '\n' || hash.back() == '\r')) hash.pop_back();
  return fmt::format("{}:{}\n", kSquidUser, hash);
}

// squid drops to its own user and must still write its logs and pid file in `dir`.
void hand_to_squid_user(const std::filesystem::path& dir) {
  const passwd* account = ::getpwnam(kSquidUserAccount);
  if (account == nullptr) return;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    (void)::chown(entry.path().c_str(), account->pw_uid, account->pw_gid);
  }
  (void)::chown(dir.c_str(), account->pw_uid, account->pw_gid);
}

}  // namespace

tl::expected<std::unique_ptr<SquidProxy>, std::string> SquidProxy::start(const SquidOptions& options) {
  const auto squid = find_on_path("squid");
  const std::string binary = squid ? *squid : "/usr/sbin/squid";
  if (!std::filesystem::exists(binary)) return tl::unexpected(std::string("squid is not installed"));
  if (const char* helper = auth_helper(options.mode); helper != nullptr && !std::filesystem::exists(helper)) {
    return tl::unexpected(fmt::format("squid's authentication helper {} is not installed", helper));
  }
  const bool as_root = ::geteuid() == 0;
  std::string last_error;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    auto dir = TempTree::create("tlsdoctor-squid-");
    if (!dir) return tl::unexpected(dir.error());
    std::filesystem::permissions(dir->path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                  std::filesystem::perms::group_exec |
                                                  std::filesystem::perms::others_read |
                                                  std::filesystem::perms::others_exec);
    if (options.mode == SquidMode::BasicAuth) {
      const auto line = passwd_line();
      if (!line) return tl::unexpected(line.error());
      if (auto written = write_file(dir->path() / "passwd", *line); !written) return tl::unexpected(written.error());
    }
    if (options.mode == SquidMode::DigestAuth) {
      // Digest needs the password itself (or its HA1) on the proxy's side; the lab's is no secret.
      const std::string line = fmt::format("{}:{}\n", kSquidUser, kSquidPassword);
      if (auto written = write_file(dir->path() / "digest_passwd", line); !written) {
        return tl::unexpected(written.error());
      }
    }
    const std::uint16_t port = unused_loopback_port();
    const auto conf = dir->path() / "squid.conf";
    if (auto written = write_file(conf, config(options, dir->path(), port, as_root)); !written) {
      return tl::unexpected(written.error());
    }
    if (as_root) hand_to_squid_user(dir->path());

    const auto started = std::chrono::steady_clock::now();
    auto process = BackgroundProcess::start({binary, "-N", "-d", "1", "-f", conf.string()},
                                            "Accepting HTTP Socket connections", kSquidStartTimeout);
    if (!process) {
      last_error = "squid did not start: " + process.error();
      if (last_error.find("Address already in use") != std::string::npos) continue;
      return tl::unexpected(last_error);
    }
    // squid logs "Accepting" as it schedules the listen: wait until a connection succeeds.
    if (!loopback_port_accepts(port, started + kSquidStartTimeout)) {
      return tl::unexpected(fmt::format("squid said it listens on port {} but refuses connections", port));
    }
    const auto startup_time =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return std::make_unique<SquidProxy>(std::move(*dir), port, std::move(*process), startup_time);
  }
  return tl::unexpected(last_error);
}

SquidProxy::~SquidProxy() {
  if (process_) (void)process_->stop(kSquidStopGrace);
}

std::string SquidProxy::url() const { return fmt::format("http://127.0.0.1:{}", port_); }

std::string SquidProxy::url_with(const std::string& user, const std::string& password) const {
  return fmt::format("http://{}:{}@127.0.0.1:{}", user, password, port_);
}

std::string SquidProxy::logs() const {
  return "access.log:\n" + read_text_file(dir_.path() / "access.log") + "cache.log:\n" +
         read_text_file(dir_.path() / "cache.log");
}

tl::expected<SquidProxy*, std::string> shared_squid(const SquidOptions& options) {
  using Key = std::tuple<SquidMode, std::uint16_t>;
  static std::mutex mutex;
  static std::map<Key, tl::expected<std::unique_ptr<SquidProxy>, std::string>> running;
  const std::lock_guard lock(mutex);
  const Key key{options.mode, options.mode == SquidMode::DenyConnectToPort ? options.denied_port : std::uint16_t{0}};
  auto found = running.find(key);
  if (found == running.end()) found = running.emplace(key, SquidProxy::start(options)).first;
  if (!found->second) return tl::unexpected(found->second.error());
  return found->second->get();
}

}  // namespace tlsdoctor::lab
